package io.eddyrtc.engine.packet;

import static io.eddyrtc.engine.packet.Payloads.put8;
import static io.eddyrtc.engine.packet.Payloads.u8;

import java.lang.foreign.MemorySegment;

/**
 * H.266 (RFC 9328 without DON): single NAL units, aggregation packets and fragmentation units, with
 * the FU header's P bit on the fragment that ends the picture's last NAL unit.
 */
public final class H266Packetizer extends NalPacketizer {

    @Override
    int headerBytes() {
        return 2;
    }

    @Override
    int fragmentHeaderBytes() {
        return 3;
    }

    /** State: F (bit 16), lowest LayerId (bits 8-13), lowest TID (bits 0-2). */
    @Override
    int aggregationInit() {
        return (63 << 8) | 7;
    }

    @Override
    int aggregationMerge(int state, MemorySegment nal, long at) {
        int b0 = u8(nal, at);
        int b1 = u8(nal, at + 1);
        int f = (state >>> 16) | (b0 >>> 7);
        int layer = Math.min((state >>> 8) & 0x3F, b0 & 0x3F);
        int tid = Math.min(state & 7, b1 & 7);
        return (f << 16) | (layer << 8) | tid;
    }

    @Override
    void writeAggregationHeader(MemorySegment out, long at, int state) {
        put8(out, at, ((state >>> 16) << 7) | ((state >>> 8) & 0x3F));
        put8(out, at + 1, (H266PayloadDepacketizer.AP << 3) | (state & 7));
    }

    @Override
    void writeFragmentHeader(MemorySegment out, long at, MemorySegment nal, long nalAt, boolean start, boolean end,
            boolean lastOfFrame) {
        int b1 = u8(nal, nalAt + 1);
        put8(out, at, u8(nal, nalAt));
        put8(out, at + 1, (H266PayloadDepacketizer.FU << 3) | (b1 & 7));
        put8(out, at + 2, (start ? 0x80 : 0) | (end ? 0x40 : 0) | (lastOfFrame ? 0x20 : 0) | (b1 >>> 3));
    }
}
