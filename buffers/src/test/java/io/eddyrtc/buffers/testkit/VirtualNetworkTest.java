package io.eddyrtc.buffers.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedExtension.class)
class VirtualNetworkTest {
    static final long MS = 1_000_000L;
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 6000);

    /** Records arrivals; sends what it is told to, when it is told to. */
    static class Probe implements SansIoNode {
        final List<long[]> arrivals = new ArrayList<>(); // {time, first byte, second byte}
        final List<byte[]> payloads = new ArrayList<>();
        final ArrayDeque<Object[]> outbox = new ArrayDeque<>();
        final List<Long> timeouts = new ArrayList<>();
        long deadline = Long.MAX_VALUE;
        long period;

        @Override
        public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
            arrivals.add(new long[] {now, datagram[0] & 0xFF, datagram.length > 1 ? datagram[1] & 0xFF : 0});
            payloads.add(datagram);
        }

        @Override
        public void timeout(long now) {
            timeouts.add(now);
            deadline = period > 0 ? now + period : Long.MAX_VALUE;
        }

        @Override
        public long nextDeadline() {
            return deadline;
        }

        @Override
        public void drainTransmits(long now, Transmitter out) {
            while (!outbox.isEmpty()) {
                Object[] o = outbox.poll();
                out.send((InetSocketAddress) o[0], (InetSocketAddress) o[1], (byte[]) o[2]);
            }
        }

        void queue(InetSocketAddress from, InetSocketAddress to, byte[] data) {
            outbox.add(new Object[] {from, to, data});
        }
    }

    private static byte[] numbered(int i, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) (i >> 8);
        b[1] = (byte) i;
        return b;
    }

    private static int number(long[] arrival) {
        return (int) (arrival[1] << 8 | arrival[2]);
    }

    @Test
    void deliversInOrderAfterTheLatency(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        Probe a = new Probe();
        Probe b = new Probe();
        net.attach(a, A).attach(b, B).defaultConditions(LinkConditions.perfect().withLatencyMillis(25));
        for (int i = 0; i < 100; i++) {
            a.queue(A, B, numbered(i, 100));
        }
        net.runFor(24 * MS);
        assertEquals(0, b.arrivals.size(), net.toString());
        net.runFor(1 * MS);
        assertEquals(100, b.arrivals.size(), net.toString());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, number(b.arrivals.get(i)));
            assertEquals(25 * MS, b.arrivals.get(i)[0]);
        }
        assertEquals(25 * MS, net.now());
    }

    @Test
    void theDatagramArrivesIntact(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        Probe a = new Probe();
        Probe b = new Probe();
        net.attach(a, A).attach(b, B);
        byte[] data = new byte[1200];
        net.random().nextBytes(data);
        net.send(A, B, data.clone());
        net.runFor(1);
        assertArrayEquals(data, b.payloads.get(0));
    }

    @Test
    void firesTimeoutsAtTheirDeadlines(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed, 1_000 * MS);
        Probe a = new Probe();
        a.period = 50 * MS;
        a.deadline = 1_010 * MS;
        net.attach(a, A);
        net.runUntil(1_200 * MS);
        assertEquals(List.of(1_010 * MS, 1_060 * MS, 1_110 * MS, 1_160 * MS), a.timeouts);
        assertEquals(1_200 * MS, net.now());
    }

    @Test
    void runUntilStopsWhenTheConditionHolds(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        Probe a = new Probe();
        Probe b = new Probe();
        net.attach(a, A).attach(b, B).defaultConditions(LinkConditions.perfect().withLatencyMillis(10));
        a.queue(A, B, numbered(1, 10));
        assertTrue(net.runUntil(() -> !b.arrivals.isEmpty(), 1_000 * MS));
        assertEquals(10 * MS, net.now());
        assertFalse(net.runUntil(() -> b.arrivals.size() > 1, 500 * MS), "nothing more will come");
        assertEquals(500 * MS, net.now());
    }

    @Test
    void aNodeThatNeverAdvancesItsDeadlineIsReported(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        SansIoNode stuck = new Probe() {
            @Override
            public long nextDeadline() {
                return 0;
            }
        };
        net.attach(stuck, A);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.runFor(MS));
        assertTrue(e.getMessage().contains("seed=" + seed), e.getMessage());
    }

    @Test
    void randomLossIsWithinStatisticalBounds(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        Probe b = new Probe();
        net.attach(new Probe(), A).attach(b, B).defaultConditions(LinkConditions.perfect().withLoss(0.2));
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            net.send(A, B, numbered(i, 20));
        }
        net.runFor(MS);
        double lossRate = 1 - (double) b.arrivals.size() / n;
        double sigma = Math.sqrt(0.2 * 0.8 / n);
        assertEquals(0.2, lossRate, 4.5 * sigma, net.toString());
        assertEquals(n - b.arrivals.size(), net.totals().lost);
    }

    @Test
    void burstyLossHasTheConfiguredMeanAndLongRuns(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        Probe b = new Probe();
        GilbertElliott model = GilbertElliott.bursts(0.1, 8);
        assertEquals(0.1, model.meanLoss(), 1e-9);
        net.attach(new Probe(), A).attach(b, B).defaultConditions(LinkConditions.perfect().withBursts(model));
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            net.send(A, B, numbered(i, 20));
        }
        net.runFor(MS);
        int received = b.arrivals.size();
        assertEquals(0.1, 1 - (double) received / n, 0.02, net.toString());
        // Mean length of runs of consecutive losses should be near 8 (independent loss would give ~1.1).
        int runs = 0;
        int lostInRuns = 0;
        int expected = 0;
        for (long[] arrival : b.arrivals) {
            int got = number(arrival) + (expected & ~0xFFFF);
            if (got < expected) {
                got += 0x10000;
            }
            if (got > expected) {
                runs++;
                lostInRuns += got - expected;
            }
            expected = got + 1;
        }
        double meanRun = (double) lostInRuns / runs;
        assertTrue(meanRun > 5 && meanRun < 11, "mean burst " + meanRun + " " + net);
    }

    @Test
    void duplicationDeliversExtraCopies(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        Probe b = new Probe();
        net.attach(new Probe(), A).attach(b, B).defaultConditions(LinkConditions.perfect().withDuplicate(0.1));
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            net.send(A, B, numbered(i, 20));
        }
        net.runFor(MS);
        int extra = b.arrivals.size() - n;
        assertEquals(net.totals().duplicated, extra);
        assertEquals(0.1 * n, extra, 4.5 * Math.sqrt(n * 0.1 * 0.9), net.toString());
    }

    @Test
    void reorderingHoldsSomeDatagramsBack(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        Probe b = new Probe();
        net.attach(new Probe(), A).attach(b, B).defaultConditions(LinkConditions.perfect().withLatencyMillis(10).withReorder(0.05, 5));
        for (int i = 0; i < 2_000; i++) {
            net.send(A, B, numbered(i, 20));
            net.runFor(MS);
        }
        net.runFor(100 * MS);
        assertEquals(2_000, b.arrivals.size());
        int outOfOrder = 0;
        for (int i = 1; i < b.arrivals.size(); i++) {
            if (number(b.arrivals.get(i)) < number(b.arrivals.get(i - 1))) {
                outOfOrder++;
            }
        }
        assertTrue(outOfOrder > 20 && outOfOrder < 200, "out of order: " + outOfOrder + " " + net);
        long late = b.arrivals.stream().filter(x -> x[0] - number(x) * MS > 10 * MS).count();
        assertEquals(net.totals().reordered, late, "exactly the held-back datagrams arrive late");
    }

    @Test
    void rateLimitSetsThroughputAndTheQueueDropsTheExcess(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        Probe b = new Probe();
        // 1 Mbit/s, 10 kB of queue, 1000-byte datagrams: 8 ms each on the wire.
        net.attach(new Probe(), A).attach(b, B).defaultConditions(LinkConditions.perfect().withRate(1_000_000, 10_000));
        for (int i = 0; i < 50; i++) {
            net.send(A, B, numbered(i, 1_000));
        }
        net.runFor(10_000 * MS);
        assertEquals(10, b.arrivals.size(), "queue holds 10 datagrams; the rest are tail-dropped " + net);
        assertEquals(40, net.totals().queueDropped);
        for (int i = 0; i < 10; i++) {
            assertEquals((i + 1) * 8 * MS, b.arrivals.get(i)[0], "serialised one after another");
        }
    }

    @Test
    void sustainedRateMatchesTheLink(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        // Offer 2 Mbit/s (1000 bytes every 4 ms) into a 1 Mbit/s link for 10 s: about 1 Mbit/s comes out.
        Probe sender = new Probe() {
            @Override
            public void timeout(long now) {
                super.timeout(now);
                queue(A, B, numbered(0, 1_000));
            }
        };
        sender.period = 4 * MS;
        sender.deadline = 0;
        Probe b = new Probe();
        net.attach(sender, A).attach(b, B).defaultConditions(LinkConditions.perfect().withRate(1_000_000, 20_000));
        net.runUntil(10_000 * MS);
        long bits = b.arrivals.size() * 1_000L * 8;
        assertEquals(10_000_000, bits, 100_000, net.toString());
        assertTrue(net.totals().queueDropped > 1_000, "the excess was dropped at the queue " + net);
    }

    @Test
    void mtuAndBlockingDropAndCount(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        Probe b = new Probe();
        net.attach(new Probe(), A).attach(b, B).conditions(A, B, LinkConditions.perfect().withMtu(500));
        net.send(A, B, new byte[501]);
        net.send(A, B, new byte[500]);
        net.runFor(MS);
        assertEquals(1, b.arrivals.size());
        assertEquals(1, net.stats(A, B).mtuDropped);
        net.conditions(A, B, LinkConditions.perfect().withBlocked(true));
        net.send(A, B, new byte[10]);
        net.runFor(MS);
        assertEquals(1, b.arrivals.size());
        assertEquals(1, net.totals().blocked);
    }

    @Test
    void conditionsAreDirectional(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        Probe a = new Probe();
        Probe b = new Probe();
        net.attach(a, A).attach(b, B).conditions(A, B, LinkConditions.perfect().withLatencyMillis(50));
        net.send(A, B, numbered(1, 10));
        net.send(B, A, numbered(2, 10));
        net.runFor(MS);
        assertEquals(1, a.arrivals.size(), "B to A has the default: no delay");
        assertEquals(0, b.arrivals.size());
        net.runFor(50 * MS);
        assertEquals(1, b.arrivals.size());
    }

    @Test
    void datagramsToNobodyAreCountedUnroutable(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        net.attach(new Probe(), A);
        net.send(A, B, new byte[10]);
        net.runFor(MS);
        assertEquals(1, net.totals().unroutable);
    }

    @Test
    void theSameSeedGivesTheSameRun(@Seed long seed) {
        assertEquals(lossPattern(seed), lossPattern(seed));
        assertFalse(lossPattern(seed).equals(lossPattern(seed + 1)), "a different seed gives a different run");
    }

    @Test
    void trackedDeadlinesFireAndDeliverAsTheDefaultDoes(@Seed long seed) {
        assertEquals(pingPong(seed, false), pingPong(seed, true));
    }

    @Test
    void trackedDeadlinesAskOnlyTheNodesTheyTouch(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed).trackDeadlines();
        int[] asked = new int[1];
        Probe idle = new Probe() {
            @Override
            public long nextDeadline() {
                asked[0]++;
                return super.nextDeadline();
            }
        };
        Probe ticker = new Probe();
        ticker.period = MS;
        ticker.deadline = MS;
        net.attach(idle, A).attach(ticker, B);
        net.runFor(1_000 * MS);
        assertEquals(1_000, ticker.timeouts.size(), net.toString());
        assertEquals(1, asked[0], "the idle node is asked once, when the run starts, not at each of the 1,000 steps");
    }

    /** A ticking node that answers every datagram with one of its own: arrivals and timeouts, in order. */
    private static List<Long> pingPong(long seed, boolean tracked) {
        VirtualNetwork net = new VirtualNetwork(seed);
        if (tracked) {
            net.trackDeadlines();
        }
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(7).withJitterMillis(3));
        List<Long> log = new ArrayList<>();
        Probe a = new Probe() {
            @Override
            public void timeout(long now) {
                super.timeout(now);
                log.add(now);
                queue(A, B, numbered(timeouts.size(), 10));
            }
        };
        a.period = 20 * MS;
        a.deadline = 5 * MS;
        Probe b = new Probe() {
            @Override
            public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
                super.receive(now, source, destination, datagram);
                log.add(-now);
                queue(B, A, datagram);
            }
        };
        net.attach(a, A).attach(b, B);
        net.runFor(500 * MS);
        a.arrivals.forEach(x -> log.add(x[0] * 1000 + number(x)));
        return log;
    }

    private static List<Integer> lossPattern(long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        Probe b = new Probe();
        net.attach(new Probe(), A).attach(b, B).defaultConditions(LinkConditions.typical().withLoss(0.3));
        for (int i = 0; i < 200; i++) {
            net.send(A, B, numbered(i, 20));
        }
        net.runFor(1_000 * MS);
        List<Integer> got = new ArrayList<>();
        b.arrivals.forEach(x -> got.add(number(x)));
        return got;
    }
}
