package io.eddyrtc.engine.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.media.Codec;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hot paths allocate nothing once warm: packetizing a frame into a caller's segment, and pushing
 * its packets through an assembler and popping the frame. Measured with the JVM's per-thread
 * allocation counter around a few hundred frames.
 */
class SteadyStateAllocationTest {

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"OPUS", "VP8", "VP9", "H264", "H265", "H266", "AV1"})
    void packetizeAndDepacketizeAllocateNothing(Codec codec) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random r = new Random(42);
        int mtu = 1200;
        MemorySegment[] frames = new MemorySegment[20];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = MemorySegment.ofArray(RoundTripPacketizerTest.sample(codec, mtu, i, r).input());
        }
        Packetizer packetizer = Packetizer.of(codec);
        FrameAssembler assembler = codec == Codec.OPUS ? FrameAssembler.forAudio(Depacketizer.of(codec), AssemblerPools.pool(2048))
                : FrameAssembler.forVideo(Depacketizer.of(codec), AssemblerPools.pool(2048));
        MemorySegment payload = MemorySegment.ofArray(new byte[mtu]);
        long[] seq = {1, 0}; // next sequence number, frames sent
        Runnable round = () -> {
            for (int i = 0; i < frames.length; i++) {
                MemorySegment f = frames[i];
                packetizer.begin(f, 0, (int) f.byteSize(), mtu);
                long timestamp = 3000 * seq[1]++;
                while (packetizer.hasNext()) {
                    int n = packetizer.next(payload, 0);
                    assembler.push(seq[0]++, timestamp, packetizer.marker() || codec == Codec.OPUS, payload, 0, n);
                    while (assembler.pop()) {
                        // consume the frame view
                    }
                }
            }
        };
        for (int i = 0; i < 50; i++) {
            round.run(); // warm up; the frame buffer grows to the largest frame here
        }
        long emitted = assembler.framesEmitted();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20; i++) {
            round.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(emitted + 20L * frames.length, assembler.framesEmitted());
        assertTrue(allocated < 1024, codec + ": " + allocated + " bytes over " + 20 * frames.length + " frames");
        assertEquals(0, assembler.framesDropped());
    }
}
