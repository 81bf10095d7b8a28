package io.eddyrtc.engine.packet;

import io.eddyrtc.buffers.MemoryBudget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The VP8 frames of the shared capture ({@code vp8.pcap}), read back with the engine's own assembler and
 * VP8 depacketizer, giving up on a hole at once: what the {@code Rtc} tests send as samples, and the
 * reference they compare received frames against.
 */
public final class Vp8CaptureFrames {
    /** One whole frame: its RTP timestamp, its bytes and whether it is a keyframe. */
    public record Frame(long rtpTimestamp, byte[] data, boolean keyframe) {}

    private Vp8CaptureFrames() {
    }

    /** The capture's RTP packets, in capture order. */
    public static List<byte[]> packets() throws IOException {
        return Captures.packets("vp8");
    }

    /** Every frame of the capture, in order. */
    public static List<Frame> frames() throws IOException {
        return framesOf(packets());
    }

    /** The frames {@code packets} (VP8 RTP, in order) carry; a frame missing a packet is left out. */
    public static List<Frame> framesOf(List<byte[]> packets) {
        FrameAssembler assembler = new FrameAssembler(new Vp8PayloadDepacketizer(), AssemblerPools.pool(1500), MemoryBudget.unlimited(), 256, 4 << 20, 0);
        List<Frame> frames = new ArrayList<>();
        for (Captures.Emitted e : Captures.assemble(assembler, packets)) {
            frames.add(new Frame(e.timestamp(), e.data(), e.keyframe()));
        }
        return frames;
    }
}
