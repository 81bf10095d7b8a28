package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The leaky bucket: media at 2.5 × the estimate, probes at their own rate with padding, long queues drained. */
class PacerTest {
    private static final long MS = 1_000_000L;

    /** A keyframe's burst leaves at 2.5 × the estimate, not at once. */
    @Test
    void aBurstLeavesAtTwoAndAHalfTimesTheEstimate() {
        Pacer pacer = new Pacer(1_000_000); // 2.5 Mbit/s
        long t = 1_000 * MS;
        long queued = 100 * 1200;
        int sent = 0;
        long now = t;
        while (queued > 0) {
            now = pacer.nextSendAt(now, queued);
            assertTrue(pacer.canSend(now, queued));
            pacer.onSent(now, 1200, true);
            queued -= 1200;
            sent++;
        }
        // 100 packets of 1200 bytes at 2.5 Mbit/s take 384 ms; the first go at once
        assertEquals(384, (now - t) / MS, 5);
        assertEquals(100, sent);
    }

    /**
     * After an idle spell two packets leave together even where the rate's 2 ms burst is less than one packet:
     * a pair for the bottleneck's rate, five times a second; the frames between are paced.
     */
    @Test
    void twoPacketsLeaveTogetherAfterAnIdleSpellFiveTimesASecond() {
        Pacer pacer = new Pacer(400_000); // 1 Mbit/s: 2 ms is 250 bytes, a frame half of 33 ms
        long t = 1_000 * MS;
        int pairs = 0;
        for (int frame = 0; frame < 30; frame++) { // a second of frames of two 1000-byte packets
            long now = t + frame * 33 * MS;
            assertTrue(pacer.canSend(now, 2000));
            pacer.onSent(now, 1000, true);
            if (pacer.canSend(now, 1000)) {
                pairs++;
            }
            pacer.onSent(pacer.nextSendAt(now, 1000), 1000, true);
        }
        assertEquals(5, pairs, 1);
    }

    /** Unpaced packets (audio, RTCP) are never held, but count against the budget. */
    @Test
    void unpacedPacketsCountAgainstTheBudget() {
        Pacer pacer = new Pacer(400_000); // 1 Mbit/s
        long t = 1_000 * MS;
        pacer.canSend(t, 1200);
        pacer.onSent(t, 1250, false); // audio and RTCP: 10 ms of the budget
        assertFalse(pacer.canSend(t, 1200));
        assertEquals(t + 10 * MS, pacer.nextSendAt(t, 1200), MS / 10);
    }

    /** More than half a second of queued media at the pacing rate is drained faster. */
    @Test
    void aLongQueueIsDrainedWithinHalfASecond() {
        Pacer pacer = new Pacer(100_000); // 250 kbit/s
        long t = 1_000 * MS;
        long queued = 500 * 1200; // 600 kB: 19 s at the pacing rate
        long now = t;
        int sent = 0;
        while (now < t + 500 * MS && queued > 0) {
            now = pacer.nextSendAt(now, queued);
            pacer.onSent(now, 1200, true);
            queued -= 1200;
            sent++;
        }
        assertTrue(sent > 250, "after half a second most of the queue is out: " + sent + " of 500");
    }

    /** A probe sends at its rate: media first, padding when none waits, to its minimum bytes and packets. */
    @Test
    void aProbeRunsAtItsTargetWithPaddingAndEnds() {
        Pacer pacer = new Pacer(300_000);
        long t = 1_000 * MS;
        ProbeCluster cluster = new ProbeCluster(3, 4_000_000, false); // 7.5 kB in 15 ms
        pacer.startProbe(t, cluster);
        long now = t;
        long bytes = 0;
        int packets = 0;
        while (pacer.probing()) {
            now = pacer.nextSendAt(now, 0);
            int padding = pacer.paddingWanted(now);
            assertTrue(padding > 0, "no media waits, so padding is wanted at " + (now - t));
            int size = Math.min(padding, 1000);
            assertEquals(3, pacer.onSent(now, size, true), "probe packets carry the cluster's id");
            bytes += size;
            packets++;
        }
        assertTrue(bytes >= cluster.minBytes() && packets >= ProbeCluster.MIN_PACKETS);
        double rate = (bytes - 1000) * 8e9 / Math.max(1, now - t);
        assertTrue(rate > 3_000_000 && rate < 10_000_000, "sent at " + rate + " bit/s for a 4 Mbit/s probe");
        assertEquals(-1, pacer.onSent(now, 1000, true), "after the probe, packets are plain media");
        assertEquals(0, pacer.paddingWanted(now));
    }
}
