package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.putU8;
import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/** H.265 (RFC 7798 without DON): single NAL units, aggregation packets and fragmentation units. */
public final class H265Packetizer extends NalPacketizer {

    public H265Packetizer() {
        super(2, LAYERED_START);
    }

    @Override
    int aggregationMerge(int state, MemorySegment nal, long at) {
        int b0 = u8(nal, at);
        int b1 = u8(nal, at + 1);
        return mergeLayered(state, b0 >>> 7, ((b0 & 1) << 5) | (b1 >>> 3), b1 & 7);
    }

    @Override
    void writeAggregationHeader(MemorySegment out, long at, int state) {
        int layer = (state >>> 8) & 0x3F;
        putU8(out, at, ((state >>> 16) << 7) | (H265PayloadDepacketizer.AP << 1) | (layer >>> 5));
        putU8(out, at + 1, ((layer & 0x1F) << 3) | (state & 7));
    }

    @Override
    void writeFragmentHeader(MemorySegment out, long at, MemorySegment nal, long nalAt, boolean start, boolean end,
            boolean lastOfFrame) {
        int b0 = u8(nal, nalAt);
        putU8(out, at, (b0 & 0x81) | (H265PayloadDepacketizer.FU << 1));
        putU8(out, at + 1, u8(nal, nalAt + 1));
        putU8(out, at + 2, (start ? 0x80 : 0) | (end ? 0x40 : 0) | ((b0 >>> 1) & 0x3F));
    }
}
