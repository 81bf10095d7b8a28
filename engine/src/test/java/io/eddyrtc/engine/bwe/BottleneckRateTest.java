package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/** Packet pairs: two packets sent in one instant arrive one serialization time apart at the bottleneck's rate. */
class BottleneckRateTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;

    /** {@code n} pairs of {@code bytes}, one every 100 ms, 30 ms on the way; pair {@code i}'s second packet {@code gap(i)} after its first. */
    private static BottleneckRate pairs(int n, int bytes, IntToLongFunction gap) {
        BottleneckRate rate = new BottleneckRate();
        long seq = 0;
        for (int i = 0; i < n; i++) {
            long sent = i * 100 * MS;
            long arrived = sent + 30 * MS;
            rate.onReceived(seq++, sent, arrived, bytes);
            rate.onReceived(seq++, sent, arrived + gap.applyAsLong(i), bytes);
        }
        return rate;
    }

    /** 1000-byte pairs 0.8 ms apart at the peer: 10 Mbit/s, however slowly the flow itself sends (160 kbit/s). */
    @Test
    void pairsShowTheLinksRateNotTheFlows() {
        assertEquals(10_000_000, pairs(10, 1000, i -> 800 * US).rate());
    }

    /** Packets sent apart are no pair (another flow's may queue between them), and too few pairs say nothing. */
    @Test
    void packetsSentApartAndTooFewPairsGiveNoRate() {
        BottleneckRate rate = new BottleneckRate();
        long seq = 0;
        for (int i = 0; i < 50; i++) {
            rate.onReceived(seq++, i * MS, 30 * MS + i * MS, 1000);
        }
        assertEquals(-1, rate.rate(), "paced packets, no pairs");
        for (int i = 0; i < 4; i++) {
            long sent = 100 * MS + i * 100 * MS;
            rate.onReceived(seq++, sent, sent + 30 * MS, 1000);
            rate.onReceived(seq++, sent, sent + 30 * MS + 800 * US, 1000);
        }
        assertEquals(-1, rate.rate(), "four pairs are too few");
        assertFalse(rate.untimed(), "and say nothing of the path's speed");
    }

    /**
     * The median holds against pairs another packet got between (twice the gap) and a pair squeezed by a later
     * hop (a tenth of it); a loss between two packets makes no pair; pairs older than five seconds are forgotten.
     */
    @Test
    void theMedianOfRecentPairsIgnoresOutliersLossesAndOldPairs() {
        BottleneckRate rate = new BottleneckRate();
        long seq = 0;
        long[] gaps = {800, 1600, 800, 80, 800, 1600, 800, 800, 80};
        long sent = 0;
        for (long gap : gaps) {
            sent += 100 * MS;
            rate.onReceived(seq++, sent, sent + 30 * MS, 1000);
            rate.onReceived(seq++, sent, sent + 30 * MS + gap * US, 1000);
        }
        assertEquals(10_000_000, rate.rate());

        sent += 100 * MS;
        rate.onReceived(seq, sent, sent + 30 * MS, 1000);
        rate.onLost();
        seq += 2; // the packet between was lost: the next one is no pair with the one before it
        rate.onReceived(seq++, sent, sent + 31 * MS, 1000);
        assertEquals(10_000_000, rate.rate(), "a 1 ms gap across a loss would count 8 Mbit/s");

        for (int i = 0; i < 5; i++) { // the link is 2 Mbit/s now, six seconds later
            sent += i == 0 ? 6_000 * MS : 100 * MS;
            rate.onReceived(seq++, sent, sent + 30 * MS, 1000);
            rate.onReceived(seq++, sent, sent + 30 * MS + 4 * MS, 1000);
        }
        assertEquals(2_000_000, rate.rate(), "only the last five seconds' pairs count");
    }

    /**
     * 1200-byte pairs 0.9 ms apart (10.7 Mbit/s) read through the feedback's 250 µs steps: six of ten gaps read
     * 1 ms, four 0.75 ms. The median pair says 9.6 Mbit/s; the pairs' bytes over their gaps say the link's rate.
     */
    @Test
    void theFeedbacksStepsAverageOut() {
        assertEquals(10_666_666, pairs(10, 1200, i -> (i % 5 < 3 ? 1000 : 750) * US).rate(), 10_000);
    }

    /**
     * On a path faster than the feedback can time (a LAN, loopback), pairs arrive within one 250 µs step; the few
     * that the receiver's scheduling split (its thread preempted between the two) read as a link of 0.5–2 Mbit/s.
     * The median pair is untimed, so the rate is unknown rather than theirs.
     */
    @Test
    void pairsTooFastToTimeLeaveTheRateUnknownNotTheRateOfTheFewASchedulerSplit() {
        // a third split by a stall at the receiver, the rest 20 µs apart
        BottleneckRate rate = pairs(15, 1200, i -> i % 3 == 0 ? (5 + i) * MS : 20 * US);
        assertEquals(-1, rate.rate());
        assertTrue(rate.untimed(), "a path faster than the feedback times");
    }

    /** Timed pairs that are most of them still give the link's rate; the untimed few are outliers, as a squeezed pair. */
    @Test
    void aFewUntimedPairsAmongTimedOnesAreOutliers() {
        BottleneckRate rate = pairs(15, 1000, i -> i % 4 == 0 ? 0 : 800 * US);
        assertEquals(10_000_000, rate.rate());
        assertFalse(rate.untimed());
    }

    /**
     * A link that doubled shows in three pairs, not once most of the window's fifteen have turned over; three
     * pairs a little faster than the rest are the feedback's steps, not a faster link.
     */
    @Test
    void aLinkThatGrewShowsInAFewPairs() {
        assertEquals(4_000_000, afterFifteenPairsAnd3(2 * MS));
        assertEquals(2_025_316, afterFifteenPairsAnd3(3_750 * US), 1_000);
        assertEquals(-1, afterFifteenPairsAnd3(100 * US), "a link grown past what the feedback times is not held to the old rate");
    }

    /** The rate after fifteen 1000-byte pairs 4 ms apart (2 Mbit/s) and three {@code gap} apart. */
    private static long afterFifteenPairsAnd3(long gap) {
        BottleneckRate rate = new BottleneckRate();
        long seq = 0;
        long sent = 0;
        for (int i = 0; i < 18; i++) {
            sent += 200 * MS;
            rate.onReceived(seq++, sent, sent + 30 * MS, 1000);
            rate.onReceived(seq++, sent, sent + 30 * MS + (i < 15 ? 4 * MS : gap), 1000);
        }
        return rate.rate();
    }
}
