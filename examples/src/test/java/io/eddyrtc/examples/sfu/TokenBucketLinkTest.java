package io.eddyrtc.examples.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The test's bottleneck: holds datagrams to its rate, drops past its queue, and lets all pass once lifted. */
class TokenBucketLinkTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 9);

    @Test
    void itPassesItsRateAndDropsWhatOverflowsTheQueue() {
        TokenBucketLink link = new TokenBucketLink();
        link.setRate(0, 400_000); // 50 000 bytes a second; the queue holds 200 ms of it, 10 000 bytes
        for (int i = 0; i < 20; i++) {
            link.offer(0, new byte[1_000], FROM);
        }
        assertEquals(10, link.dropped(), "ten fit the queue");
        int passed = 0;
        for (long t = 0; t <= 100 * MS; t += MS) {
            while (link.poll(t) != null) {
                passed++;
            }
        }
        assertTrue(passed >= 5 && passed <= 7, "about 100 ms at 400 kbit/s (5 000 bytes, and the burst): " + passed);
        assertTrue(link.nextAt(100 * MS) > 100 * MS, "the next waits for tokens");
    }

    @Test
    void liftedItLetsEverythingPassAtOnce() {
        TokenBucketLink link = new TokenBucketLink();
        link.setRate(0, 100_000);
        link.offer(0, new byte[1_000], FROM);
        link.offer(0, new byte[1_000], FROM);
        assertNotNull(link.poll(0), "the burst lets one through");
        assertNull(link.poll(0));
        link.setRate(MS, 0);
        assertNotNull(link.poll(MS));
        assertEquals(Long.MAX_VALUE, link.nextAt(MS), "nothing waits");
    }
}
