package io.eddyrtc.perf.sctp;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.sctp.SctpAssociation;
import io.eddyrtc.sctp.SctpConfig;
import io.eddyrtc.sctp.SctpEvent;
import io.eddyrtc.sctp.SctpTransmit;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Two in-process associations on one core: one op sends a message from A and moves packets both ways
 * until B has it whole (fragments, DATA, SACKs, reassembly). Messages per second is 1e6 / (µs/op); MB/s
 * follows from the size. {@code storage}: {@code pool}, message bytes in slots of a shared {@link PacketPool} as an
 * {@code Rtc} runs it; {@code heap}, an association on its own that keeps them in arrays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SctpBenchmark {
    @Param({"1024", "65536"})
    public int size;

    @Param({"pool", "heap"})
    public String storage;

    private SctpAssociation a;
    private SctpAssociation b;
    private byte[] message;
    private long now;

    @Setup
    public void setUp() {
        PacketPool pool = storage.equals("pool") ? PacketPool.builder().debug(false).build() : null;
        a = new SctpAssociation(SctpConfig.defaults(), new SecureRandom(), pool, MemoryBudget.unlimited());
        b = new SctpAssociation(SctpConfig.defaults(), new SecureRandom(), pool, MemoryBudget.unlimited());
        a.connect(0);
        pump();
        if (!a.isEstablished() || !b.isEstablished()) {
            throw new IllegalStateException("no association");
        }
        message = new byte[size];
        new SecureRandom().nextBytes(message);
    }

    /** Moves packets until both sides are quiet; returns the length of the message B completed, or -1. */
    private int pump() {
        int got = -1;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (SctpTransmit p; (p = a.pollTransmit()) != null; moved = true) {
                b.handleReceive(now, p.bytes(), p.length());
            }
            for (SctpTransmit p; (p = b.pollTransmit()) != null; moved = true) {
                a.handleReceive(now, p.bytes(), p.length());
            }
            for (SctpEvent e; (e = b.pollEvent()) != null; ) {
                if (e instanceof SctpEvent.Message m) {
                    got = m.length(); // read while lent: the next poll gives its slot back
                }
            }
            while (a.pollEvent() != null) {
                // drain
            }
        }
        return got;
    }

    @Benchmark
    public int sendAndDeliver() {
        now += 1_000_000; // 1 ms per message: delayed SACKs and timers see time pass
        a.send(now, 1, 53, message, true);
        int got = pump();
        if (got < 0) {
            // the window may need a delayed SACK: let its timer run
            now += 250_000_000;
            b.handleTimeout(now);
            a.handleTimeout(now);
            got = pump();
        }
        return got;
    }
}
