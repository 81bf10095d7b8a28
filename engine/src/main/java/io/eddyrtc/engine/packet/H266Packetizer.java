package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.putU8;
import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/**
 * H.266 (RFC 9328 without DON): single NAL units, aggregation packets and fragmentation units, with
 * the FU header's P bit on the fragment that ends the picture's last NAL unit.
 */
public final class H266Packetizer extends NalPacketizer {

    public H266Packetizer() {
        super(2, LAYERED_START);
    }

    @Override
    int aggregationMerge(int state, MemorySegment nal, long at) {
        int b0 = u8(nal, at);
        int b1 = u8(nal, at + 1);
        return mergeLayered(state, b0 >>> 7, b0 & 0x3F, b1 & 7);
    }

    @Override
    void writeAggregationHeader(MemorySegment out, long at, int state) {
        putU8(out, at, ((state >>> 16) << 7) | ((state >>> 8) & 0x3F));
        putU8(out, at + 1, (H266PayloadDepacketizer.AP << 3) | (state & 7));
    }

    @Override
    void writeFragmentHeader(MemorySegment out, long at, MemorySegment nal, long nalAt, boolean start, boolean end,
            boolean lastOfFrame) {
        int b1 = u8(nal, nalAt + 1);
        putU8(out, at, u8(nal, nalAt));
        putU8(out, at + 1, (H266PayloadDepacketizer.FU << 3) | (b1 & 7));
        putU8(out, at + 2, (start ? 0x80 : 0) | (end ? 0x40 : 0) | (lastOfFrame ? 0x20 : 0) | (b1 >>> 3));
    }
}
