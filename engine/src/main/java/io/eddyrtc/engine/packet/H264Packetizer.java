package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.putU8;
import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/** H.264 (RFC 6184, packetization-mode 1): single NAL units, STAP-A and FU-A from an Annex B frame. */
public final class H264Packetizer extends NalPacketizer {

    public H264Packetizer() {
        super(1, 0); // the aggregation state is the F and NRI bits, none set yet
    }

    /** F is the OR, NRI the maximum of the aggregated units (RFC 6184 §5.7.1). */
    @Override
    int aggregationMerge(int state, MemorySegment nal, long at) {
        int h = u8(nal, at);
        return (state & 0x80 | h & 0x80) | Math.max(state & 0x60, h & 0x60);
    }

    @Override
    void writeAggregationHeader(MemorySegment out, long at, int state) {
        putU8(out, at, state | H264PayloadDepacketizer.STAP_A);
    }

    @Override
    void writeFragmentHeader(MemorySegment out, long at, MemorySegment nal, long nalAt, boolean start, boolean end,
            boolean lastOfFrame) {
        int h = u8(nal, nalAt);
        putU8(out, at, (h & 0xE0) | H264PayloadDepacketizer.FU_A);
        putU8(out, at + 1, (start ? 0x80 : 0) | (end ? 0x40 : 0) | (h & 0x1F));
    }
}
