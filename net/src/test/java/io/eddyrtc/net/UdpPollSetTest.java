package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.eddyrtc.net.Loopback.V4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One thread waiting on many sockets: it wakes for the ones with a datagram, and only those are ready. */
@ExtendWith(SeedExtension.class)
class UdpPollSetTest {

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void awaitWakesForTheSocketsADatagramCameToAndNamesThem(UdpBackend backend, @Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<UdpTransport> sockets = new ArrayList<>();
        try (PacketPool pool = PacketPool.builder().slotSize(2048).build();
             UdpTransport sender = Loopback.open(backend, V4);
             UdpPollSet set = new UdpPollSet(8)) {
            for (int i = 0; i < 8; i++) {
                sockets.add(Loopback.open(backend, V4));
                assertEquals(i, set.add(sockets.get(i)));
            }
            assertEquals(0, set.await(TimeUnit.MILLISECONDS.toNanos(20)), "nothing sent: the wait times out");
            int first = random.nextInt(8);
            int second = (first + 1 + random.nextInt(7)) % 8;
            for (int target : new int[] {first, second}) {
                Loopback.sendAll(sender, pool, List.of(Loopback.payload(random, target, 100)), UdpAddress.of(sockets.get(target).localAddress()));
            }
            long giveUp = System.nanoTime() + Loopback.PATIENCE_NANOS;
            boolean[] seen = new boolean[8];
            try (RecvBatch batch = new RecvBatch(pool, 4)) {
                while ((!seen[first] || !seen[second]) && System.nanoTime() < giveUp) {
                    int ready = set.await(Loopback.POLL_NANOS);
                    int counted = 0;
                    for (int i = 0; i < 8; i++) {
                        if (set.isReady(i)) {
                            counted++;
                            assertTrue(i == first || i == second, "socket " + i + " got nothing, yet was ready");
                            seen[i] |= sockets.get(i).receive(batch, 0) > 0;
                        }
                    }
                    assertEquals(ready, counted, "await counts the ready sockets");
                }
            }
            assertTrue(seen[first] && seen[second], "both sockets that got a datagram were named ready");
            assertEquals(0, set.await(0), "everything was read: nothing is ready");
            for (int i = 0; i < 8; i++) {
                assertFalse(set.isReady(i));
            }
            assertThrows(IllegalStateException.class, () -> set.add(sender), "a full set says so");
        } finally {
            sockets.forEach(UdpTransport::close);
        }
    }
}
