package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/**
 * H.264 (RFC 6184, packetization-mode 0 and 1): single NAL units, STAP-A and FU-A, out as Annex B.
 * A keyframe holds an IDR slice. The latest SPS and PPS are remembered, and put before an IDR whose
 * frame did not carry them, so every keyframe this emits can start a decoder.
 */
public final class H264PayloadDepacketizer extends NalDepacketizer {
    static final int SLICE = 1;
    static final int IDR = 5;
    static final int SEI = 6;
    static final int SPS = 7;
    static final int PPS = 8;
    static final int AUD = 9;
    static final int STAP_A = 24;
    static final int FU_A = 28;

    public H264PayloadDepacketizer() {
        super(1, STAP_A, FU_A, 2); // 1-byte NAL header; SPS and PPS go before an IDR
    }

    @Override
    int nalType(MemorySegment p, long at) {
        return u8(p, at) & 0x1F;
    }

    @Override
    int fragmentedType(int fuHeader) {
        return fuHeader & 0x1F;
    }

    @Override
    boolean appendFragmentedHeader(FrameBuffer out, MemorySegment p, long at, int type) {
        return out.appendByte((u8(p, at) & 0xE0) | type); // F and NRI from the FU indicator
    }

    @Override
    boolean unsupported(int type) {
        return type == 0 || type >= 24; // STAP-B, MTAP, FU-B (interleaved mode) and reserved types
    }

    @Override
    boolean leadsAccessUnit(int type) {
        return type == AUD || type == SPS;
    }

    /** first_mb_in_slice is ue(v) first in the slice header: a leading 1 bit means 0. */
    @Override
    boolean isFlaggedSlice(int type) {
        return type == SLICE || type == IDR;
    }

    @Override
    int parameterSetIndex(int type) {
        return type == SPS ? 0 : type == PPS ? 1 : -1;
    }

    @Override
    boolean isIrap(int type) {
        return type == IDR;
    }
}
