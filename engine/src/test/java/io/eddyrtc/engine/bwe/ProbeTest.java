package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When probes go out, and what their feedback says about the path. */
class ProbeTest {
    private static final long MS = 1_000_000L;

    /** Feeds a cluster of {@code packets} sent {@code sendGap} apart that arrive {@code arrivalGap} apart. */
    private static long measure(ProbeCluster cluster, int packets, long sendGap, long arrivalGap) {
        ProbeResults results = new ProbeResults();
        results.start(cluster);
        long t = 1_000 * MS;
        for (int i = 0; i < packets; i++) {
            results.onPacket(cluster.id(), t + i * sendGap, t + 40 * MS + i * arrivalGap, 1000);
        }
        return results.takeResult();
    }

    /** A path that carries the whole probe measures the probe's rate; a saturated one 95 % of what got through. */
    @Test
    void aCarriedProbeMeasuresItsRateAndASaturatedOneWhatArrived() {
        ProbeCluster cluster = new ProbeCluster(1, 4_000_000, false);
        assertEquals(4_000_000, measure(cluster, 10, 2 * MS, 2 * MS), 1_000, "1000 bytes every 2 ms");
        assertEquals(0.95 * 2_000_000, measure(cluster, 10, 2 * MS, 4 * MS), 1_000, "arriving half as fast");
    }

    /** A check (of a stagnant estimate) that the path could not carry says nothing. */
    @Test
    void aSaturatedCheckGivesNoResult() {
        assertEquals(-1, measure(new ProbeCluster(1, 4_000_000, true), 10, 2 * MS, 4 * MS));
        assertEquals(4_000_000, measure(new ProbeCluster(1, 4_000_000, true), 10, 2 * MS, 2 * MS), 1_000);
    }

    /**
     * A probe the path could not carry also says what the path carries for us: the rate all our packets arrived
     * at meanwhile, the cluster's and the others sent with it (here as many again, between the cluster's), 95 % of
     * it; a check too, though its result is none. A carried probe says nothing of that.
     */
    @Test
    void aSaturatedProbeMeasuresWhatThePathDeliveredOfAllOurPackets() {
        for (boolean check : new boolean[] {false, true}) {
            ProbeResults results = new ProbeResults();
            ProbeCluster cluster = new ProbeCluster(1, 4_000_000, check);
            results.start(cluster);
            long t = 1_000 * MS;
            for (int i = 0; i < 10; i++) { // sent every 2 ms, arriving every 4 ms with another packet of ours between
                results.onPacket(cluster.id(), t + i * 2 * MS, t + 40 * MS + i * 4 * MS, 1000);
                if (i < 9) {
                    results.onOtherPacket(t + 42 * MS + i * 4 * MS, 1000);
                }
            }
            assertEquals(0.95 * 4_000_000, results.takeSaturated(), 1_000, "18 000 bytes in 36 ms, check " + check);
            assertEquals(check ? -1 : 0.95 * 2_000_000, results.takeResult(), 1_000, "the cluster's own result as before");
        }
        ProbeResults carried = new ProbeResults();
        ProbeCluster cluster = new ProbeCluster(2, 4_000_000, false);
        carried.start(cluster);
        for (int i = 0; i < 10; i++) {
            carried.onPacket(cluster.id(), i * 2 * MS, 40 * MS + i * 2 * MS, 1000);
        }
        assertEquals(-1, carried.takeSaturated());
    }

    /** Too few packets back, or an implausible timing, give no result. */
    @Test
    void tooLittleOrImplausibleFeedbackGivesNoResult() {
        ProbeCluster cluster = new ProbeCluster(1, 4_000_000, false);
        assertEquals(-1, measure(cluster, 3, 2 * MS, 2 * MS), "3 packets");
        assertEquals(-1, measure(cluster, 10, 2 * MS, MS / 2), "arriving four times faster than sent");
    }

    /** At the start two clusters go out at 3 and 6 × the estimate; a good result leads to one at twice the new estimate. */
    @Test
    void initialProbesThenFurtherProbingWhileResultsAreGood() {
        ProbeController controller = new ProbeController(100_000_000, true);
        long t = 1_000 * MS;
        controller.onStart(t, 300_000);
        assertEquals(900_000, controller.next().targetBps());
        assertEquals(1_800_000, controller.next().targetBps());
        assertNull(controller.next());
        controller.onEstimate(t + 200 * MS, 1_700_000, 1_700_000);
        ProbeCluster further = controller.next();
        assertEquals(3_400_000, further.targetBps());
        assertFalse(further.check());
        controller.onEstimate(t + 400 * MS, 2_000_000, 2_000_000); // under 70 % of 3.4 Mbit/s: the path is found
        assertNull(controller.next());
    }

    /** Probes stay under twice the desired rate, and stop once the estimate reaches it. */
    @Test
    void probesStayUnderTwiceTheDesiredRate() {
        ProbeController controller = new ProbeController(100_000_000, true);
        controller.setDesired(500_000);
        long t = 1_000 * MS;
        controller.onStart(t, 300_000);
        assertEquals(900_000, controller.next().targetBps());
        assertEquals(1_000_000, controller.next().targetBps());
        controller.onEstimate(t + 200 * MS, 950_000, 950_000);
        assertNull(controller.next(), "the estimate is over what the application wants");
    }

    /** After two quiet seconds below what the application wants, a gentle check (1.1 ×) goes out; not while the delay rises. */
    @Test
    void aStagnantEstimateIsCheckedGentlyUnlessTheDelayRises() {
        ProbeController controller = new ProbeController(100_000_000, true);
        long t = 1_000 * MS;
        controller.onEstimate(t, 1_000_000, -1);
        controller.onTimeout(t + ProbeController.STAGNANT_NANOS - MS, 1_000_000, false, false, false, false);
        assertFalse(controller.hasPending(), "not yet");
        controller.onTimeout(t + ProbeController.STAGNANT_NANOS, 1_000_000, true, false, false, false);
        assertFalse(controller.hasPending(), "the delay rises");
        long recheck = controller.nextCheckAt();
        assertTrue(recheck > t + ProbeController.STAGNANT_NANOS);
        controller.onTimeout(recheck, 1_000_000, false, false, false, false);
        ProbeCluster check = controller.next();
        assertEquals(1_100_000, check.targetBps());
        assertTrue(check.check());
    }

    /**
     * Other flows share the link: a short probe would pass between their bursts and read the link as ours, so a
     * stagnant estimate is not checked; once the link is ours again it is.
     */
    @Test
    void aStagnantEstimateOnASharedLinkIsNotChecked() {
        ProbeController controller = new ProbeController(100_000_000, true);
        long t = 1_000 * MS;
        controller.onEstimate(t, 1_000_000, -1);
        controller.onTimeout(t + ProbeController.STAGNANT_NANOS, 1_000_000, false, false, true, false);
        assertFalse(controller.hasPending(), "others share the link");
        controller.onTimeout(controller.nextCheckAt(), 1_000_000, false, false, false, false);
        assertEquals(1_100_000, controller.next().targetBps());
    }

    /**
     * An application sending less than the estimate is checked only when it said it wants more than the estimate
     * (an SFU a layer step below it), not when it just has less to send.
     */
    @Test
    void aQuietApplicationIsCheckedOnlyWhenItWantsMore() {
        long t = 1_000 * MS;
        ProbeController unsaid = new ProbeController(100_000_000, true);
        unsaid.onEstimate(t, 1_000_000, -1);
        unsaid.onTimeout(t + ProbeController.STAGNANT_NANOS, 1_000_000, false, false, false, true);
        assertFalse(unsaid.hasPending(), "no desired rate: its quiet says nothing about the path");
        ProbeController wanting = new ProbeController(100_000_000, true);
        wanting.setDesired(3_000_000);
        wanting.onEstimate(t, 1_000_000, -1);
        wanting.onTimeout(t + ProbeController.STAGNANT_NANOS, 1_000_000, false, false, false, true);
        assertEquals(1_100_000, wanting.next().targetBps(), "held back by the estimate: checked");
    }

    /**
     * An estimate fallen under the smallest probe (a spurious overuse while an SFU forwarded little) is still
     * checked, at the smallest probe's rate, and a check that finds room leads on: without it the estimate
     * could never grow again while the application sends less than it.
     */
    @Test
    void anEstimateUnderTheSmallestProbeIsCheckedAtThatRateAndClimbs() {
        ProbeController controller = new ProbeController(100_000_000, true);
        controller.setDesired(2_000_000);
        long t = 1_000 * MS;
        controller.onEstimate(t, 84_000, -1);
        controller.onTimeout(t + ProbeController.STAGNANT_NANOS, 84_000, false, false, false, true);
        ProbeCluster check = controller.next();
        assertEquals(ProbeController.MIN_PROBE_BPS, check.targetBps());
        assertTrue(check.check());
        controller.onEstimate(t + ProbeController.STAGNANT_NANOS + 100 * MS, 100_000, 100_000);
        assertEquals(150_000, controller.next().targetBps(), "the path carried it: the next step");
    }

    /** Without probing nothing is ever sent. */
    @Test
    void disabledProbingSendsNothing() {
        ProbeController controller = new ProbeController(100_000_000, false);
        long t = 1_000 * MS;
        controller.onStart(t, 300_000);
        controller.request(t, 2_000_000);
        controller.onTimeout(t + 10 * ProbeController.STAGNANT_NANOS, 300_000, false, false, false, false);
        assertNull(controller.next());
        assertEquals(Long.MAX_VALUE, controller.nextCheckAt());
    }
}
