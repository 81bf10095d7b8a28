package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/**
 * H.265 (RFC 7798 without DON): single NAL units, aggregation packets (type 48) and fragmentation
 * units (type 49), out as Annex B. A keyframe holds an IRAP picture (NAL types 16 to 23: BLA, IDR,
 * CRA), with the latest VPS, SPS and PPS put before one that came without them. PACI packets
 * (type 50) are dropped.
 */
public final class H265PayloadDepacketizer extends NalDepacketizer {
    static final int AP = 48;
    static final int FU = 49;
    static final int VPS = 32;
    static final int SPS = 33;
    static final int PPS = 34;
    static final int AUD = 35;

    public H265PayloadDepacketizer() {
        super(2, AP, FU, 3); // 2-byte NAL header; VPS, SPS and PPS go before an IRAP
    }

    @Override
    int nalType(MemorySegment p, long at) {
        return (u8(p, at) >>> 1) & 0x3F;
    }

    @Override
    int fragmentedType(int fuHeader) {
        return fuHeader & 0x3F;
    }

    @Override
    boolean appendFragmentedHeader(FrameBuffer out, MemorySegment p, long at, int type) {
        // F and the LayerId's top bit from the payload header, then the original type; TID byte as is
        return out.appendByte((u8(p, at) & 0x81) | (type << 1)) && out.appendByte(u8(p, at + 1));
    }

    @Override
    boolean unsupported(int type) {
        return type >= 48;
    }

    @Override
    boolean leadsAccessUnit(int type) {
        return type == VPS || type == AUD || type == SPS;
    }

    /** VCL units: the slice header's first bit is first_slice_segment_in_pic_flag. */
    @Override
    boolean isFlaggedSlice(int type) {
        return type < 32;
    }

    @Override
    int parameterSetIndex(int type) {
        return type >= VPS && type <= PPS ? type - VPS : -1;
    }

    @Override
    boolean isIrap(int type) {
        return type >= 16 && type <= 23;
    }
}
