package io.eddyrtc.engine.packet;

import static io.eddyrtc.engine.packet.Payloads.put8;
import static io.eddyrtc.engine.packet.Payloads.u8;

import java.lang.foreign.MemorySegment;

/** H.265 (RFC 7798 without DON): single NAL units, aggregation packets and fragmentation units. */
public final class H265Packetizer extends NalPacketizer {

    @Override
    int headerBytes() {
        return 2;
    }

    @Override
    int fragmentHeaderBytes() {
        return 3;
    }

    /** State: F (bit 16), lowest LayerId (bits 8-13), lowest TID (bits 0-2) as RFC 7798 §4.4.2 asks. */
    @Override
    int aggregationInit() {
        return (63 << 8) | 7;
    }

    @Override
    int aggregationMerge(int state, MemorySegment nal, long at) {
        int b0 = u8(nal, at);
        int b1 = u8(nal, at + 1);
        int f = (state >>> 16) | (b0 >>> 7);
        int layer = Math.min((state >>> 8) & 0x3F, ((b0 & 1) << 5) | (b1 >>> 3));
        int tid = Math.min(state & 7, b1 & 7);
        return (f << 16) | (layer << 8) | tid;
    }

    @Override
    void writeAggregationHeader(MemorySegment out, long at, int state) {
        int layer = (state >>> 8) & 0x3F;
        put8(out, at, ((state >>> 16) << 7) | (H265PayloadDepacketizer.AP << 1) | (layer >>> 5));
        put8(out, at + 1, ((layer & 0x1F) << 3) | (state & 7));
    }

    @Override
    void writeFragmentHeader(MemorySegment out, long at, MemorySegment nal, long nalAt, boolean start, boolean end,
            boolean lastOfFrame) {
        int b0 = u8(nal, nalAt);
        put8(out, at, (b0 & 0x81) | (H265PayloadDepacketizer.FU << 1));
        put8(out, at + 1, u8(nal, nalAt + 1));
        put8(out, at + 2, (start ? 0x80 : 0) | (end ? 0x40 : 0) | ((b0 >>> 1) & 0x3F));
    }
}
