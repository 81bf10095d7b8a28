package io.eddyrtc.perf.packet;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.packet.Depacketizer;
import io.eddyrtc.engine.packet.FrameAssembler;
import io.eddyrtc.engine.packet.FrameBuffer;
import io.eddyrtc.engine.packet.Packetizer;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Packetizing and depacketizing VP8 and H.264 at MTU 1200, on a 30-frame group of pictures (one 30 KB
 * keyframe, then 2 to 6 KB frames; H.264 keyframes carry SPS and PPS, inter frames one to three
 * slices) made by the packetizers themselves from seeded random bytes (NAL units with an isolated
 * zero byte in every hundred or so, as real slices have).
 *
 * <ul>
 *   <li>{@code depacketize}: one packet into a {@link FrameAssembler} (copy into its slot) and a
 *       {@code pop} (which, on the frame's last packet, depacketizes the frame into the frame buffer);
 *       per packet.</li>
 *   <li>{@code depacketizeCodecOnly}: the codec's {@link Depacketizer} alone, one payload appended to
 *       a frame buffer (cleared per frame); per packet.</li>
 *   <li>{@code packetize}: one whole frame into payloads in a native slot; per frame.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PacketBenchmark {
    static final int MTU = 1200;
    static final int FRAMES = 30;

    @Param({"VP8", "H264"})
    public String codec;

    private Arena arena;
    private MemorySegment slot;
    private MemorySegment[] frames;
    private MemorySegment packets;
    private int[] packetOffset;
    private int[] packetLength;
    private int[] packetFrame;
    private boolean[] packetMarker;
    private Packetizer packetizer;
    private FrameAssembler assembler;
    private Depacketizer depacketizer;
    private FrameBuffer buffer;
    private long counter;
    private int nextFrame;

    @Setup
    public void setUp() {
        Codec c = Codec.valueOf(codec);
        arena = Arena.ofShared();
        slot = arena.allocate(2048, 64);
        Random r = new Random(1);
        frames = new MemorySegment[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            byte[] f = c == Codec.H264 ? h264(r, i == 0) : vp8(r, i == 0);
            frames[i] = arena.allocate(f.length).copyFrom(MemorySegment.ofArray(f));
        }
        packetizer = Packetizer.of(c);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<int[]> meta = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            packetizer.begin(frames[i], 0, (int) frames[i].byteSize(), MTU);
            while (packetizer.hasNext()) {
                int n = packetizer.next(slot, 0);
                meta.add(new int[] {all.size(), n, i, packetizer.marker() ? 1 : 0});
                all.write(slot.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, n);
            }
        }
        packets = arena.allocate(all.size()).copyFrom(MemorySegment.ofArray(all.toByteArray()));
        int n = meta.size();
        packetOffset = new int[n];
        packetLength = new int[n];
        packetFrame = new int[n];
        packetMarker = new boolean[n];
        for (int i = 0; i < n; i++) {
            int[] m = meta.get(i);
            packetOffset[i] = m[0];
            packetLength[i] = m[1];
            packetFrame[i] = m[2];
            packetMarker[i] = m[3] == 1;
        }
        assembler = FrameAssembler.forVideo(Depacketizer.of(c), PacketPool.builder().debug(false).build());
        depacketizer = Depacketizer.of(c);
        buffer = new FrameBuffer(1 << 20);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    /** Pushes the next packet of the endlessly repeated group and pops what completes. */
    @Benchmark
    public int depacketize() {
        long i = counter++;
        int p = (int) (i % packetOffset.length);
        long ts = (i / packetOffset.length) * FRAMES * 3000L + packetFrame[p] * 3000L;
        assembler.push(i, ts, packetMarker[p], packets, packetOffset[p], packetLength[p]);
        int bytes = 0;
        while (assembler.pop()) {
            bytes += assembler.frame().length();
        }
        return bytes;
    }

    /** The codec's part alone: strip the descriptor, append the bitstream. */
    @Benchmark
    public int depacketizeCodecOnly() {
        int p = (int) (counter++ % packetOffset.length);
        if (p == 0 || packetMarker[p - 1]) {
            buffer.clear();
            depacketizer.beginFrame();
        }
        depacketizer.depacketize(packets, packetOffset[p], packetLength[p], buffer);
        if (packetMarker[p]) {
            depacketizer.endFrame(buffer);
        }
        return buffer.length();
    }

    /** One frame into MTU-sized payloads. */
    @Benchmark
    public int packetize() {
        MemorySegment f = frames[nextFrame];
        nextFrame = (nextFrame + 1) % FRAMES;
        packetizer.begin(f, 0, (int) f.byteSize(), MTU);
        int bytes = 0;
        while (packetizer.hasNext()) {
            bytes += packetizer.next(slot, 0);
        }
        return bytes;
    }

    static byte[] vp8(Random r, boolean key) {
        byte[] f = bytes(r, key ? 30_000 : 2000 + r.nextInt(4000));
        f[0] = (byte) (key ? f[0] & ~1 : f[0] | 1);
        return f;
    }

    static byte[] h264(Random r, boolean key) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        if (key) {
            nal(f, 0x67, bytes(r, 12));
            nal(f, 0x68, bytes(r, 4));
            nal(f, 0x65, bytes(r, 30_000));
        } else {
            int slices = 1 + r.nextInt(3);
            for (int i = 0; i < slices; i++) {
                nal(f, 0x41, bytes(r, (2000 + r.nextInt(4000)) / slices));
            }
        }
        return f.toByteArray();
    }

    static void nal(ByteArrayOutputStream f, int header, byte[] body) {
        Random r = new Random(body.length);
        for (int i = 1; i + 1 < body.length; i++) {
            if (r.nextInt(100) == 0 && body[i - 1] != 0) {
                body[i] = 0; // isolated zero bytes, as in real slices; never 00 00 (emulation prevention)
            }
        }
        f.writeBytes(new byte[] {0, 0, 0, 1, (byte) header});
        f.writeBytes(body);
    }

    /** Bytes without zeros, so no start code appears inside a NAL unit by chance. */
    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (1 + r.nextInt(255));
        }
        return b;
    }
}
