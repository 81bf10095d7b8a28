package io.eddyrtc.perf.sctp;

import io.eddyrtc.sctp.SctpAssociation;
import io.eddyrtc.sctp.SctpConfig;
import io.eddyrtc.sctp.SctpEvent;
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
 * follows from the size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SctpBenchmark {
    @Param({"1024", "65536"})
    public int size;

    private SctpAssociation a;
    private SctpAssociation b;
    private byte[] message;
    private long now;

    @Setup
    public void setUp() {
        a = new SctpAssociation(SctpConfig.defaults(), new SecureRandom());
        b = new SctpAssociation(SctpConfig.defaults(), new SecureRandom());
        a.connect(0);
        pump();
        if (!a.isEstablished() || !b.isEstablished()) {
            throw new IllegalStateException("no association");
        }
        message = new byte[size];
        new SecureRandom().nextBytes(message);
    }

    /** Moves packets until both sides are quiet; returns the message B completed, or null. */
    private byte[] pump() {
        byte[] got = null;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (byte[] p; (p = a.pollTransmit()) != null; moved = true) {
                b.handleReceive(now, p);
            }
            for (byte[] p; (p = b.pollTransmit()) != null; moved = true) {
                a.handleReceive(now, p);
            }
            for (SctpEvent e; (e = b.pollEvent()) != null; ) {
                if (e instanceof SctpEvent.Message m) {
                    got = m.data();
                }
            }
            while (a.pollEvent() != null) {
                // drain
            }
        }
        return got;
    }

    @Benchmark
    public byte[] sendAndDeliver() {
        now += 1_000_000; // 1 ms per message: delayed SACKs and timers see time pass
        a.send(now, 1, 53, message, true);
        byte[] got = pump();
        if (got == null) {
            // the window may need a delayed SACK: let its timer run
            now += 250_000_000;
            b.handleTimeout(now);
            a.handleTimeout(now);
            got = pump();
        }
        return got;
    }
}
