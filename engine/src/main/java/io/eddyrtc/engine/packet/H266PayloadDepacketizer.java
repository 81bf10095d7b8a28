package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/**
 * H.266/VVC (RFC 9328 without DON): single NAL units, aggregation packets (type 28) and
 * fragmentation units (type 29), out as Annex B. The NAL header is F, Z, LayerId (6), then Type (5)
 * and TID+1 (3). A keyframe holds an IRAP picture (IDR_W_RADL, IDR_N_LP, CRA: types 7 to 9), with
 * the latest SPS and PPS put before one that came without them.
 */
public final class H266PayloadDepacketizer extends NalDepacketizer {
    static final int IDR_W_RADL = 7;
    static final int CRA = 9;
    static final int OPI = 12;
    static final int DCI = 13;
    static final int VPS = 14;
    static final int SPS = 15;
    static final int PPS = 16;
    static final int PH = 19;
    static final int AUD = 20;
    static final int AP = 28;
    static final int FU = 29;

    public H266PayloadDepacketizer() {
        super(2, AP, FU, 2); // 2-byte NAL header; SPS and PPS go before an IRAP
    }

    @Override
    int nalType(MemorySegment p, long at) {
        return u8(p, at + 1) >>> 3;
    }

    @Override
    int fragmentedType(int fuHeader) {
        return fuHeader & 0x1F;
    }

    @Override
    boolean appendFragmentedHeader(FrameBuffer out, MemorySegment p, long at, int type) {
        return out.appendByte(u8(p, at)) && out.appendByte((type << 3) | (u8(p, at + 1) & 0x07));
    }

    @Override
    boolean unsupported(int type) {
        return type == AP + 2 || type == 31; // PACI and reserved
    }

    /** Units that may only lead a picture unit: AUD, OPI, DCI, VPS, SPS, a picture header. */
    @Override
    boolean leadsAccessUnit(int type) {
        return switch (type) {
            case AUD, OPI, DCI, VPS, SPS, PH -> true;
            default -> false;
        };
    }

    /** VCL units: the first bit, sh_picture_header_in_slice_header_flag, marks a slice with its own picture header. */
    @Override
    boolean isFlaggedSlice(int type) {
        return type < 12;
    }

    @Override
    int parameterSetIndex(int type) {
        return type == SPS ? 0 : type == PPS ? 1 : -1;
    }

    @Override
    boolean isIrap(int type) {
        return type >= IDR_W_RADL && type <= CRA;
    }
}
