package io.eddyrtc.engine.packet;

import java.lang.foreign.MemorySegment;

/**
 * Opus, PCMU/PCMA, G.722 and CN carry one whole frame per packet with no descriptor (RFC 7587,
 * RFC 3551, RFC 3389): the payload is the frame. The marker bit means "start of a talkspurt", not
 * "end of frame", so every packet is both a start and an end.
 */
public final class AudioDepacketizer implements Depacketizer {

    @Override
    public boolean isFrameStart(MemorySegment payload, long offset, int length) {
        return true;
    }

    @Override
    public boolean isFrameEnd(MemorySegment payload, long offset, int length, boolean marker) {
        return true;
    }

    @Override
    public void beginFrame() {
    }

    @Override
    public boolean depacketize(MemorySegment payload, long offset, int length, FrameBuffer out) {
        return out.append(payload, offset, length);
    }

    @Override
    public boolean endFrame(FrameBuffer out) {
        return true;
    }

    /** Audio frames do not depend on each other the way video frames do; always false. */
    @Override
    public boolean keyframe() {
        return false;
    }
}
