package io.eddyrtc.examples.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The held player's bottleneck: datagrams leave at its rate with their times, the queue's overflow is dropped, and lifted it holds nothing back. */
class BottleneckLinkTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 9);

    @Test
    void datagramsLeaveAtItsRateAndWhatWouldWaitTooLongIsDropped() {
        BottleneckLink link = new BottleneckLink(400_000); // 1 000 bytes take 20 ms; the queue holds 200 ms
        for (int i = 0; i < 20; i++) {
            link.offer(0, new byte[1_000], FROM);
        }
        assertEquals(9, link.dropped(), "eleven fit: the last of them starts after 200 ms of waiting");
        assertNull(link.poll(19 * MS), "the first leaves after 20 ms");
        List<Long> left = new ArrayList<>();
        for (BottleneckLink.Datagram d; (d = link.poll(1_000 * MS)) != null; ) {
            left.add(d.leavesAt());
        }
        assertEquals(11, left.size());
        for (int i = 0; i < left.size(); i++) {
            assertEquals((i + 1) * 20 * MS, left.get(i), "one after another, each its size over the rate: " + left);
        }
    }

    @Test
    void liftedWhatWaitsLeavesAtOnceAndTheRestAsItComes() {
        BottleneckLink link = new BottleneckLink(80_000); // 1 000 bytes take 100 ms
        link.offer(0, new byte[1_000], FROM);
        link.offer(0, new byte[1_000], FROM);
        assertEquals(100 * MS, link.nextAt());
        link.setRate(10 * MS, 0);
        assertEquals(10 * MS, link.nextAt(), "both leave when the limit is lifted");
        assertEquals(10 * MS, link.poll(10 * MS).leavesAt());
        assertEquals(10 * MS, link.poll(10 * MS).leavesAt());
        link.offer(30 * MS, new byte[1_000], FROM);
        assertEquals(30 * MS, link.poll(30 * MS).leavesAt());
        assertEquals(Long.MAX_VALUE, link.nextAt(), "nothing waits");
    }
}
