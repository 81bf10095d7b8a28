package io.eddyrtc.perf.buffers;

import io.eddyrtc.buffers.Flyweight;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.SequenceExtender;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Field access through the flyweight base on an off-heap pool slot: wrap (with validation) and read
 * the fields of an RTP-shaped fixed header, rewrite two of them in place, and extend a sequence
 * number. This is the shape of every codec's per-packet work. Expect a few ns and 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class FlyweightBenchmark {

    /** The 12-byte RTP fixed header, as a stand-in for a real codec. */
    static final class FixedHeader extends Flyweight {
        static final int FLAGS = 0;
        static final int MARKER_PT = 1;
        static final int SEQUENCE = 2;
        static final int TIMESTAMP = 4;
        static final int SSRC = 8;
        static final int LENGTH = 12;

        @Override
        protected boolean validate() {
            return length() >= LENGTH && (u8(FLAGS) >>> 6) == 2;
        }

        int payloadType() {
            return u8(MARKER_PT) & 0x7F;
        }

        int sequence() {
            return u16(SEQUENCE);
        }

        long timestamp() {
            return u32(TIMESTAMP);
        }

        long ssrc() {
            return u32(SSRC);
        }

        void ssrc(long ssrc) {
            putU32(SSRC, ssrc);
        }

        void payloadType(int pt) {
            putU8(MARKER_PT, (u8(MARKER_PT) & 0x80) | pt);
        }
    }

    private PacketPool pool;
    private PacketBuffer packet;
    private final FixedHeader header = new FixedHeader();
    private final SequenceExtender extender = SequenceExtender.sixteenBit();
    private int seq;

    @Setup(Level.Trial)
    public void setUp() {
        pool = PacketPool.builder().debug(false).build();
        packet = pool.acquire();
        packet.length(1200);
        packet.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 0x80);
        packet.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 1, (byte) 96);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        packet.release();
        pool.close();
    }

    /** wrap + four field reads. */
    @Benchmark
    public long wrapAndRead() {
        if (!header.wrap(packet.segment(), 0, packet.length())) {
            return -1;
        }
        return header.payloadType() + header.sequence() + header.timestamp() + header.ssrc();
    }

    /** wrap + the SFU's rewrite: new SSRC and payload type, in place. */
    @Benchmark
    public long wrapAndRewrite() {
        if (!header.wrap(packet.segment(), 0, packet.length())) {
            return -1;
        }
        header.ssrc(0x1234_5678L);
        header.payloadType(111);
        return header.ssrc();
    }

    /** The per-packet sequence extension a receive stream does. */
    @Benchmark
    public long extendSequence() {
        seq = (seq + 1) & 0xFFFF;
        return extender.extend(seq);
    }
}
