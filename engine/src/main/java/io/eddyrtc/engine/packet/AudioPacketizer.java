package io.eddyrtc.engine.packet;

import java.lang.foreign.MemorySegment;

/** One audio frame, one payload, unchanged (Opus, G.711, G.722, CN). */
public final class AudioPacketizer implements Packetizer {
    private MemorySegment frame;
    private long offset;
    private int length;
    private boolean pending;

    @Override
    public void begin(MemorySegment frame, long offset, int length, int mtu) {
        if (length <= 0 || length > mtu) {
            throw new IllegalArgumentException("an audio frame must fit one packet: " + length + " bytes, MTU " + mtu);
        }
        this.frame = frame;
        this.offset = offset;
        this.length = length;
        this.pending = true;
    }

    @Override
    public boolean hasNext() {
        return pending;
    }

    @Override
    public int next(MemorySegment out, long at) {
        MemorySegment.copy(frame, offset, out, at, length);
        pending = false;
        return length;
    }

    /** Always false: for audio the marker bit flags the start of a talkspurt, which the sender decides. */
    @Override
    public boolean marker() {
        return false;
    }
}
