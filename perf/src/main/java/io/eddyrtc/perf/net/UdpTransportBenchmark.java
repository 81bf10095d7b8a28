package io.eddyrtc.perf.net;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Real sockets on loopback: time per 1,200-byte datagram sent from one socket and received on another by
 * one thread, in batches of 1, 32 and 64, for each transport ({@link LoopbackPair.Mode}). One operation is
 * one datagram, out and in. {@code -prof gc} shows the allocation per datagram, which must be 0 for the
 * Linux backend. {@link UdpLoopbackRun} measures the same rounds in CPU time per datagram.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class UdpTransportBenchmark {
    @Param({"LINUX_GSO_GRO", "LINUX_GSO", "LINUX", "CHANNEL"})
    public String transport;

    @Param({"1200"})
    public int payloadBytes;

    private LoopbackPair batch1;
    private LoopbackPair batch32;
    private LoopbackPair batch64;

    @Setup(Level.Trial)
    public void setUp() {
        LoopbackPair.Mode mode = LoopbackPair.Mode.valueOf(transport);
        batch1 = new LoopbackPair(mode, 1, payloadBytes);
        batch32 = new LoopbackPair(mode, 32, payloadBytes);
        batch64 = new LoopbackPair(mode, 64, payloadBytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        batch1.close();
        batch32.close();
        batch64.close();
    }

    @Benchmark
    public int batchOf1() {
        return batch1.round();
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public int batchOf32() {
        return batch32.round();
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public int batchOf64() {
        return batch64.round();
    }
}
