package io.eddyrtc.engine.packet;

import java.lang.foreign.MemorySegment;

/**
 * Turns VP8 RTP packets back into frames (RFC 7741), handing each out as a {@link Frame} record with
 * its own array. This is the first, allocating interface the {@code Rtc} uses; it is now a thin
 * adapter over a {@link FrameAssembler} with a {@link Vp8PayloadDepacketizer}, which new code should
 * use directly (it allocates nothing per packet). The adapter unwraps the 16-bit sequence numbers
 * itself and does not wait for retransmissions: a frame missing a packet is dropped as soon as a
 * later frame is complete.
 */
public final class Vp8Depacketizer {

    /** A whole frame: its RTP timestamp, bytes and whether it is a keyframe. */
    public record Frame(long rtpTimestamp, byte[] data, boolean keyframe) {}

    private final FrameAssembler assembler =
            new FrameAssembler(new Vp8PayloadDepacketizer(), 256, 1500, 4 << 20, 0);
    private long lastExtended = -1;

    public Vp8Depacketizer() {
        assembler.layerAware = false; // frames given up are those missing a packet, as before
    }

    /**
     * Adds one packet's payload; returns a frame it completes, or null. {@code payload} holds
     * {@code length} bytes at {@code offset}. If one packet completes more than one frame (it filled
     * a reordering gap), the next call returns the next of them.
     */
    public Frame push(int sequenceNumber, long timestamp, boolean marker, byte[] payload, int offset, int length) {
        long extended = extend(sequenceNumber);
        if (offset >= 0 && length >= 0 && offset <= payload.length - length) {
            assembler.push(extended, timestamp, marker, MemorySegment.ofArray(payload), offset, length);
        }
        if (!assembler.pop()) {
            return null;
        }
        return new Frame(assembler.frameTimestamp(), assembler.frame().toByteArray(), assembler.frameKeyframe());
    }

    /** Frames given up because a packet was missing, or because they were malformed. */
    public long framesDropped() {
        return assembler.framesDropped();
    }

    private long extend(int sequenceNumber) {
        int seq = sequenceNumber & 0xFFFF;
        if (lastExtended < 0) {
            lastExtended = (1L << 16) + seq; // room below for packets reordered before the first
            return lastExtended;
        }
        long extended = lastExtended + (short) (seq - (int) (lastExtended & 0xFFFF));
        if (extended > lastExtended) {
            lastExtended = extended;
        }
        return extended;
    }
}
