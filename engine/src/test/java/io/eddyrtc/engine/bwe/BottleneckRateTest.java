package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Packet pairs: two packets sent in one instant arrive one serialization time apart at the bottleneck's rate. */
class BottleneckRateTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;

    /** 1000-byte pairs 0.8 ms apart at the peer: 10 Mbit/s, however slowly the flow itself sends. */
    @Test
    void pairsShowTheLinksRateNotTheFlows() {
        BottleneckRate rate = new BottleneckRate();
        long seq = 0;
        for (int i = 0; i < 10; i++) { // a pair every 100 ms: 160 kbit/s of our own
            long sent = i * 100 * MS;
            long arrived = sent + 30 * MS;
            rate.onReceived(seq++, sent, arrived, 1000);
            rate.onReceived(seq++, sent, arrived + 800 * US, 1000);
        }
        assertEquals(10_000_000, rate.rate());
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
}
