package io.eddyrtc.net;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.eddyrtc.net.Loopback.V4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Linux backend's system calls allocate nothing: sending, receiving, waiting with nothing to read, being woken,
 * and waiting until a datagram comes. The build runs this class twice: with the usual JIT, and with C1 alone
 * ({@code -XX:TieredStopAtLevel=1}, the {@code without-c2} execution), where no escape analysis removes an object,
 * as in the interpreter and C1 code a server runs until C2 has compiled its loop, and again after a deoptimization.
 */
class UdpAllocationTest {
    private static final int BATCH = 32;
    private static final boolean WITHOUT_C2 = Boolean.getBoolean("eddy.test.withoutC2");

    @BeforeAll
    static void theJitIsTheOneThisRunIsFor() {
        String level = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("TieredStopAtLevel").getValue();
        assertEquals(WITHOUT_C2, level.equals("1"), "eddy.test.withoutC2=" + WITHOUT_C2 + " but TieredStopAtLevel=" + level
                + ": the without-c2 execution in net/pom.xml sets both");
    }

    @Test
    void sendingAndReceivingBatchesAllocatesNothing() throws Exception {
        // Production mode: a debug pool allocates an ownership record per acquisition by design.
        try (PacketPool pool = PacketPool.builder().debug(false).build();
                UdpTransport a = linux();
                UdpTransport b = linux();
                RecvBatch in = new RecvBatch(pool, BATCH)) {
            SendBatch out = new SendBatch(BATCH);
            PacketBuffer[] slots = new PacketBuffer[BATCH];
            for (int i = 0; i < BATCH; i++) {
                slots[i] = pool.acquire().length(1200);
            }
            UdpAddress to = UdpAddress.of(b.localAddress());
            UdpAddress aAddress = UdpAddress.of(a.localAddress());

            assertAllocatesNothing("datagrams sent and received", BATCH, () -> round(a, b, out, in, slots, to, aAddress));
            assertEquals(0, a.stats().totalDrops() + b.stats().totalDrops());
            for (PacketBuffer s : slots) {
                s.release();
            }
        }
    }

    @Test
    void waitingForNothingAndBeingWokenAllocatesNothing() throws Exception {
        try (PacketPool pool = PacketPool.builder().debug(false).build();
                UdpTransport b = linux();
                RecvBatch in = new RecvBatch(pool, BATCH)) {
            assertAllocatesNothing("waits", 2, () -> {
                // Nothing to read: recvmmsg fails, ppoll times out.
                if (b.receive(in, 1_000) != 0) {
                    fail("a datagram from nowhere");
                }
                // Woken: ppoll returns at once for the eventfd, which is read to reset it.
                b.wakeup();
                if (b.receive(in, TimeUnit.SECONDS.toNanos(10)) != 0) {
                    fail("a datagram from nowhere");
                }
            });
        }
    }

    @Test
    void aReceiverWaitingForEachDatagramAllocatesNothing() throws Exception {
        // b waits for each datagram and echoes it; a, on a thread of its own, sends the next when the echo is back.
        // So b's reads mostly find nothing, wait in ppoll until the datagram comes, and read again, as a server loop's do.
        try (PacketPool pool = PacketPool.builder().debug(false).build();
                UdpTransport a = linux();
                UdpTransport b = linux();
                RecvBatch inA = new RecvBatch(pool, 1);
                RecvBatch inB = new RecvBatch(pool, 1)) {
            UdpAddress toA = UdpAddress.of(a.localAddress());
            UdpAddress toB = UdpAddress.of(b.localAddress());
            PacketBuffer ping = pool.acquire().length(200);
            SendBatch outA = new SendBatch(1);
            SendBatch outB = new SendBatch(1);
            Echoer echoer = new Echoer(a, inA, outA, ping, toB);
            Thread sender = Thread.ofPlatform().name("ping").start(echoer);
            try {
                assertAllocatesNothing("datagrams waited for and echoed", 1, () -> {
                    int got;
                    long deadline = System.nanoTime() + Loopback.PATIENCE_NANOS;
                    while ((got = b.receive(inB, Loopback.POLL_NANOS)) == 0) {
                        if (System.nanoTime() > deadline) {
                            fail("no ping for 20 s: " + b.stats());
                        }
                    }
                    for (int i = 0; i < got; i++) {
                        outB.add(inB.segment(i), 0, inB.length(i), toA, null);
                    }
                    b.send(outB);
                });
            } finally {
                echoer.stop = true;
                sender.join(TimeUnit.SECONDS.toMillis(30));
                ping.release();
            }
            assertEquals(0, a.stats().totalDrops() + b.stats().totalDrops());
        }
    }

    /** Sends a ping, and another each time the echo comes back, until stopped. */
    private static final class Echoer implements Runnable {
        private final UdpTransport a;
        private final RecvBatch in;
        private final SendBatch out;
        private final PacketBuffer ping;
        private final UdpAddress to;
        volatile boolean stop;

        Echoer(UdpTransport a, RecvBatch in, SendBatch out, PacketBuffer ping, UdpAddress to) {
            this.a = a;
            this.in = in;
            this.out = out;
            this.ping = ping;
            this.to = to;
        }

        @Override
        public void run() {
            while (!stop) {
                out.add(ping, to);
                a.send(out);
                while (!stop && a.receive(in, Loopback.POLL_NANOS) == 0) {
                    // the echo is on its way
                }
            }
        }
    }

    private static UdpTransport linux() throws Exception {
        return UdpTransport.open(UdpConfig.builder(V4).backend(UdpBackend.LINUX_BATCHED).build());
    }

    /**
     * Runs {@code round} until compiled, then measures what this thread allocates over windows of rounds. On a busy
     * machine the JIT may still be compiling after the warm-up, and code not yet compiled by C2 allocates what escape
     * analysis later removes; so windows are measured until one is clean. An allocation per datagram, per call or per
     * round shows in every window and fails the test.
     */
    private static void assertAllocatesNothing(String what, int perRound, Runnable round) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            round.run();
        }
        List<Long> windows = new ArrayList<>();
        int rounds = 2_000;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (windows.isEmpty() || windows.getLast() != 0 && System.nanoTime() < deadline) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < rounds; i++) {
                round.run();
            }
            windows.add(threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, windows.getLast(), "bytes allocated in each window of " + rounds * perRound + " " + what
                + (WITHOUT_C2 ? " (C1 only)" : "") + ": " + windows);
    }

    /** One batch out (a GSO send) and the same datagrams in. */
    private static void round(UdpTransport a, UdpTransport b, SendBatch out, RecvBatch in, PacketBuffer[] slots,
            UdpAddress to, UdpAddress from) {
        for (PacketBuffer s : slots) {
            out.add(s, to);
        }
        a.send(out);
        int got = 0;
        int idle = 0;
        while (got < BATCH) {
            int n = b.receive(in, Loopback.POLL_NANOS);
            for (int i = 0; i < n; i++) {
                if (!in.source(i).sameAs(from)) {
                    fail("a datagram from a stranger");
                }
            }
            got += n;
            idle = n == 0 ? idle + 1 : 0;
            if (idle > 1_000) { // 20 s of nothing
                fail("datagrams went missing on loopback: " + b.stats());
            }
        }
    }
}
