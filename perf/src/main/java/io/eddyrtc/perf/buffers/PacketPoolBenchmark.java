package io.eddyrtc.perf.buffers;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
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
 * The cost of taking and returning a packet slot, the first and last thing every datagram does.
 * Production mode (no debug tracking). Expect a few ns and 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class PacketPoolBenchmark {
    private PacketPool pool;
    private final PacketBuffer[] burst = new PacketBuffer[32];

    @Setup(Level.Trial)
    public void setUp() {
        pool = PacketPool.builder().slotSize(2048).slotsPerSlab(256).debug(false).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** One datagram: acquire, set its length, release. */
    @Benchmark
    public int acquireRelease() {
        PacketBuffer b = pool.acquire();
        b.length(1200);
        int length = b.length();
        b.release();
        return length;
    }

    /** A receive burst: 32 slots held at once (as a recvmmsg batch would), then all returned. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(32)
    public int burstOf32() {
        int total = 0;
        for (int i = 0; i < burst.length; i++) {
            burst[i] = pool.acquire();
            total += burst[i].capacity();
        }
        for (int i = burst.length - 1; i >= 0; i--) {
            burst[i].release();
        }
        return total;
    }
}
