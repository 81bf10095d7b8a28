package io.eddyrtc.perf.engine;

import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.MediaWriter;
import io.eddyrtc.engine.media.MediaTime;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The publisher of the forwarding benchmarks: one VP8 frame of a fixed size per call, written on a {@link DirectWire}'s
 * virtual clock, which then moves on a millisecond so the frame's packet travels the wire.
 */
final class FrameSource {
    private static final long STEP_NANOS = 1_000_000L;

    private final MediaWriter writer;
    private final MemorySegment frame;
    private final int bytes;
    private long ticks;

    FrameSource(Media media, int bytes) {
        this.writer = media.writer(media.pt());
        this.bytes = bytes;
        this.frame = Arena.ofAuto().allocate(bytes);
        frame.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x10); // a VP8 payload descriptor: start of a partition
    }

    /** Writes the next frame (3000 ticks of 90 kHz after the last) and runs the wire one millisecond. */
    void publish(DirectWire wire) {
        ticks += 3000;
        writer.write(wire.now(), MediaTime.of(ticks, 90_000), frame, 0, bytes);
        wire.step(STEP_NANOS);
    }
}
