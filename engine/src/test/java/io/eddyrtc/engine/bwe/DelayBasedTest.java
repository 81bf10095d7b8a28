package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The delay-based path: packet groups, the trendline's verdict, and the AIMD rate it drives. */
class DelayBasedTest {
    private static final long MS = 1_000_000L;

    /** Packets sent within 5 ms are one group; the next group's delta is against the last packets of each. */
    @Test
    void packetsSentWithinFiveMillisecondsFormOneGroup() {
        ArrivalGroups groups = new ArrivalGroups();
        long t = 1_000 * MS;
        assertFalse(groups.add(t, t + 20 * MS));
        assertFalse(groups.add(t + 2 * MS, t + 22 * MS));
        assertFalse(groups.add(t + 4 * MS, t + 24 * MS));
        assertFalse(groups.add(t + 10 * MS, t + 31 * MS), "the first packet of the second group closes nothing yet");
        assertFalse(groups.add(t + 12 * MS, t + 33 * MS));
        assertTrue(groups.add(t + 20 * MS, t + 40 * MS), "the third group's first packet closes the second");
        assertEquals(8 * MS, groups.sendDelta(), "12 ms after 4 ms");
        assertEquals(9 * MS, groups.arrivalDelta(), "33 ms after 24 ms");
        assertEquals(t + 33 * MS, groups.arrival());
    }

    /** A packet that left later but arrived in the same burst (a queue releasing them) joins the group. */
    @Test
    void aBurstReleasedByAQueueJoinsTheGroup() {
        ArrivalGroups groups = new ArrivalGroups();
        long t = 1_000 * MS;
        groups.add(t, t + 50 * MS);
        assertFalse(groups.add(t + 8 * MS, t + 51 * MS), "sent 8 ms later, arrived 1 ms later: the same burst");
        groups.add(t + 30 * MS, t + 80 * MS);
        assertTrue(groups.add(t + 60 * MS, t + 110 * MS));
        assertEquals(22 * MS, groups.sendDelta(), "30 ms after 8 ms: both first packets merged into the first group");
    }

    /**
     * Once packet pairs have shown the bottleneck's rate, packets arriving at its own spacing came through its
     * queue one after another, not in a burst released at once: frames sent whole behind a standing queue stay
     * groups of their own, so the delay they add shows group by group.
     */
    @Test
    void packetsArrivingAtTheLinksSpacingAreNotABurst() {
        ArrivalGroups groups = new ArrivalGroups();
        groups.setLinkRate(2_500_000); // 1200 bytes take 3.84 ms
        long t = 1_000 * MS;
        groups.add(t, t + 50 * MS, 1200);
        assertFalse(groups.add(t + 33 * MS, t + 53_840_000, 1200), "the next frame, 3.84 ms behind: a group of its own");
        assertTrue(groups.add(t + 66 * MS, t + 57_680_000, 1200), "and the one after closes it");
        assertEquals(33 * MS, groups.sendDelta());
        assertFalse(groups.add(t + 99 * MS, t + 57_700_000, 1200), "20 µs behind, faster than the link: a burst");
    }

    /** Steady delay is normal; delay growing group after group is overuse; shrinking, underuse. */
    @Test
    void theTrendlineTellsAGrowingQueueFromASteadyOneAndADrainingOne() {
        assertEquals(BandwidthUsage.NORMAL, verdict(0));
        assertEquals(BandwidthUsage.OVERUSING, verdict(2 * MS), "each group 2 ms later than the one before");
        assertEquals(BandwidthUsage.UNDERUSING, verdict(-2 * MS));
    }

    private static BandwidthUsage verdict(long extraDelayPerGroup) {
        TrendlineEstimator trendline = new TrendlineEstimator();
        long arrival = 1_000 * MS;
        for (int i = 0; i < 3 * TrendlineEstimator.WINDOW; i++) {
            arrival += 10 * MS + extraDelayPerGroup;
            trendline.update(10 * MS + extraDelayPerGroup, 10 * MS, arrival);
        }
        return trendline.usage();
    }

    /** Jitter that comes and goes does not read as congestion: the threshold adapts to it. */
    @Test
    void jitterAloneIsNotOveruse() {
        TrendlineEstimator trendline = new TrendlineEstimator();
        long arrival = 1_000 * MS;
        Random random = new Random(7);
        int overuses = 0;
        long delay = 0;
        for (int i = 0; i < 2_000; i++) {
            long next = Math.abs((long) (random.nextGaussian() * 3 * MS)); // each group's own queueing, 0 to ~10 ms
            long variation = next - delay;
            delay = next;
            arrival += 10 * MS + variation;
            trendline.update(10 * MS + variation, 10 * MS, arrival);
            if (trendline.usage() == BandwidthUsage.OVERUSING) {
                overuses++;
            }
        }
        assertTrue(overuses < 20, overuses + " of 2000 groups read as overuse");
    }

    /** Overuse cuts to 85 % of the acknowledged throughput and holds; growth never passes 1.5 × it. */
    @Test
    void aimdCutsToBetaOfTheThroughputAndGrowsNoFurtherThanOneAndAHalfTimesIt() {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 30_000, 100_000_000);
        long t = 1_000 * MS;
        assertEquals(850_000, aimd.update(t, BandwidthUsage.OVERUSING, 1_000_000));
        assertEquals(850_000, aimd.update(t + 100 * MS, BandwidthUsage.UNDERUSING, 1_000_000), "held while the queue drains");
        long rate = 0;
        for (int i = 1; i <= 600; i++) {
            rate = aimd.update(t + 100 * MS + i * 100 * MS, BandwidthUsage.NORMAL, 600_000);
        }
        assertEquals(600_000 * 3 / 2 + 10_000, rate, "a minute of growth stops at 1.5 × the throughput + 10 kbit/s");
    }

    /**
     * Before the first overuse the rate grows by half each second; after it, by 8 % while the capacity is unknown,
     * or by the cubic climbing back to where the queue grew, which is faster here but far from the start's half.
     */
    @Test
    void aimdGrowsFastUntilTheFirstOveruseAndSlowlyAfter() {
        AimdRateControl aimd = new AimdRateControl(300_000, 30_000, 100_000_000);
        long t = 1_000 * MS;
        aimd.update(t, BandwidthUsage.NORMAL, 10_000_000);
        long afterOneSecond = aimd.update(t + 1_000 * MS, BandwidthUsage.NORMAL, 10_000_000);
        assertEquals(450_000, afterOneSecond, 2_000);
        aimd.update(t + 1_100 * MS, BandwidthUsage.OVERUSING, 450_000); // 382,500
        aimd.capacity().reset(); // as if the path changed: capacity unknown again
        aimd.update(t + 1_200 * MS, BandwidthUsage.NORMAL, 10_000_000);
        long later = aimd.update(t + 2_200 * MS, BandwidthUsage.NORMAL, 10_000_000);
        assertTrue(later >= 382_500 * 1.08 && later < 382_500 * 1.15, "8 % to 15 % in the second after the overuse: " + later);
    }

    /**
     * After a congestion event the rate climbs back to just under where the queue grew within about three
     * seconds (a 15 % cut at 10 Mbit/s: additively, a packet per response time, it took twenty), stays near it,
     * then goes past it ever faster, never by more than 3 % of the rate per response time.
     */
    @Test
    void aimdClimbsBackToJustUnderTheCongestionPointThenPastIt() {
        AimdRateControl aimd = new AimdRateControl(10_000_000, 30_000, 100_000_000);
        aimd.setRtt(20 * MS);
        long t = 1_000 * MS;
        long rate = aimd.update(t, BandwidthUsage.OVERUSING, 10_000_000);
        assertEquals(8_500_000, rate);
        long[] atSecond = new long[8];
        for (int i = 1; i <= 160; i++) { // feedback every 50 ms for 8 s, the path carrying whatever is sent
            long before = rate;
            rate = aimd.update(t + i * 50 * MS, BandwidthUsage.NORMAL, rate);
            assertTrue(rate <= before * (1 + 0.03 * 50.0 / 120) + 1, "at most 3 % per 120 ms response time");
            if (i % 20 == 0) {
                atSecond[i / 20 - 1] = rate;
            }
        }
        assertTrue(atSecond[2] > 9_300_000 && atSecond[2] <= 9_600_000, "near 95 % of the congestion point after 3 s: " + atSecond[2]);
        assertTrue(atSecond[3] < 9_700_000, "still near it after 4 s: " + atSecond[3]);
        assertTrue(atSecond[6] > 10_000_000, "past the congestion point after 7 s, looking for more: " + atSecond[6]);
    }

    /**
     * Two flows on one link, one with a tenth of it and one with most, cut by the same congestion event: knowing
     * the link's rate from packet pairs, both climb by about the same amount (AIMD's condition for equal
     * shares); each on its own rate alone, the small one gains a fraction of what the large one does and the
     * ratio between them stays.
     */
    @Test
    void flowsThatSeeTheSameBottleneckGrowByTheSameAmount() {
        long[] gainsKnowingTheLink = gainsAfterACut(5_000_000);
        long[] gainsOnTheirOwnRates = gainsAfterACut(-1);
        double knowing = (double) gainsKnowingTheLink[0] / gainsKnowingTheLink[1];
        double own = (double) gainsOnTheirOwnRates[0] / gainsOnTheirOwnRates[1];
        assertTrue(knowing > 0.7 && knowing < 1.4, "the small flow's gain over the large one's, knowing the link: " + knowing);
        assertTrue(own < 0.4, "the small flow's gain over the large one's, each on its own rate: " + own);
    }

    /**
     * 0.5 and 4.5 Mbit/s flows on a 5 Mbit/s link cut at once, then 2 s of growth on a path that carries what they
     * send (before the larger one reaches 97 % of the link, where growth stops): their gains.
     */
    private static long[] gainsAfterACut(long bottleneckBps) {
        long[] starts = {500_000, 4_500_000};
        long[] gains = new long[2];
        for (int f = 0; f < 2; f++) {
            AimdRateControl aimd = new AimdRateControl(starts[f], 30_000, 100_000_000);
            aimd.setRtt(100 * MS);
            aimd.setBottleneckRate(bottleneckBps);
            long t = 1_000 * MS;
            long cut = aimd.update(t, BandwidthUsage.OVERUSING, starts[f]);
            long rate = cut;
            for (int i = 1; i <= 40; i++) {
                rate = aimd.update(t + i * 50 * MS, BandwidthUsage.NORMAL, rate);
            }
            gains[f] = rate - cut;
        }
        return gains;
    }

    /**
     * On a 10 Mbit/s link (packet pairs), a flow cut while 7 Mbit/s of it arrived and was acknowledged holds
     * more than any other flow there: it backs off from halfway to half the link (6 Mbit/s) and counts the link
     * as shared. A lone flow at 9.5 Mbit/s, one with 3 Mbit/s, and one whose last arrivals read 7 Mbit/s while
     * 9 Mbit/s was acknowledged (a loss burst, not another flow) back off from what arrived.
     */
    @Test
    void aFlowHoldingMostOfASharedLinkIsCutDeeper() {
        assertCutOnA10MbpsLink(7_000_000, 7_000_000, 5_100_000, true);
        assertCutOnA10MbpsLink(9_500_000, 9_500_000, 8_075_000, false);
        assertCutOnA10MbpsLink(3_000_000, 3_000_000, 2_550_000, true);
        assertCutOnA10MbpsLink(7_000_000, 9_000_000, 5_950_000, false);
    }

    private static void assertCutOnA10MbpsLink(long arrivedBps, long acknowledgedBps, long cutBps, boolean shared) {
        AimdRateControl aimd = new AimdRateControl(arrivedBps, 30_000, 100_000_000);
        aimd.setBottleneckRate(10_000_000);
        aimd.setAcknowledgedRate(acknowledgedBps);
        aimd.update(1_000 * MS, BandwidthUsage.OVERUSING, arrivedBps);
        String flow = arrivedBps / 1000 + " kbit/s arrived, " + acknowledgedBps / 1000 + " acknowledged";
        assertEquals(cutBps, aimd.bitrate(), flow);
        assertEquals(shared, aimd.linkShared(), flow);
    }

    /**
     * On a 2.5 Mbit/s link (packet pairs) growth stops at 97 % of it, however much the peer acknowledges; a
     * probe's result near the link is held there too, and one well past it (a link that grew) stands.
     */
    @Test
    void growthStopsUnderTheLinksRateFromPacketPairs() {
        AimdRateControl aimd = new AimdRateControl(2_000_000, 30_000, 100_000_000);
        aimd.setRtt(20 * MS);
        aimd.setBottleneckRate(2_500_000);
        long t = 1_000 * MS;
        long rate = 0;
        for (int i = 0; i <= 200; i++) {
            rate = aimd.update(t + i * 50 * MS, BandwidthUsage.NORMAL, 10_000_000);
        }
        assertEquals(2_425_000, rate);
        assertEquals(2_425_000, aimd.withinLink(2_550_000));
        assertEquals(2_800_000, aimd.withinLink(2_800_000));
    }
}
