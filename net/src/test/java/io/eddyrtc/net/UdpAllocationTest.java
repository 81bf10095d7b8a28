package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static io.eddyrtc.net.Loopback.V4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** The Linux backend's per-datagram path allocates nothing, once the JIT has compiled it. */
class UdpAllocationTest {
    private static final int BATCH = 32;

    @Test
    void sendingAndReceivingBatchesAllocatesNothing() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Production mode: a debug pool allocates an ownership record per acquisition by design.
        try (PacketPool pool = PacketPool.builder().debug(false).build();
                UdpTransport a = UdpTransport.open(UdpConfig.builder(V4).backend(UdpBackend.LINUX_BATCHED).build());
                UdpTransport b = UdpTransport.open(UdpConfig.builder(V4).backend(UdpBackend.LINUX_BATCHED).build());
                RecvBatch in = new RecvBatch(pool, BATCH)) {
            SendBatch out = new SendBatch(BATCH);
            PacketBuffer[] slots = new PacketBuffer[BATCH];
            for (int i = 0; i < BATCH; i++) {
                slots[i] = pool.acquire().length(1200);
            }
            UdpAddress to = UdpAddress.of(b.localAddress());
            UdpAddress aAddress = UdpAddress.of(a.localAddress());

            for (int i = 0; i < 20_000; i++) {
                round(a, b, out, in, slots, to, aAddress);
            }
            // On a busy machine the JIT may still be compiling after the warm-up, and code not yet compiled
            // by C2 allocates what escape analysis later removes. So measure windows until one is clean; an
            // allocation per datagram or per batch shows in every window and fails the test.
            List<Long> windows = new ArrayList<>();
            int rounds = 2_000;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (windows.isEmpty() || windows.getLast() != 0 && System.nanoTime() < deadline) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < rounds; i++) {
                    round(a, b, out, in, slots, to, aAddress);
                }
                windows.add(threads.getCurrentThreadAllocatedBytes() - before);
            }

            assertEquals(0, windows.getLast(), "bytes allocated in each window of " + rounds * BATCH
                    + " datagrams sent and received: " + windows);
            assertEquals(0, a.stats().totalDrops() + b.stats().totalDrops());
            for (PacketBuffer s : slots) {
                s.release();
            }
        }
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
