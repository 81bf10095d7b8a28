package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The leaky bucket: media at 2.5 × the estimate, probes at their own rate with padding, long queues drained. */
class PacerTest {
    private static final long MS = 1_000_000L;

    /** Sends {@code bytes} queued at {@code t} in packets of at most 1200 as the pacer lets them; when the last left. */
    private static long sendQueued(Pacer pacer, long t, int bytes, int[] atOnce) {
        long now = t;
        int queued = bytes;
        while (queued > 0) {
            now = pacer.nextSendAt(now, queued);
            assertTrue(pacer.canSend(now, queued));
            int packet = Math.min(1200, queued);
            pacer.onSent(now, packet, true);
            queued -= packet;
            if (now == t) {
                atOnce[0] += packet;
            }
        }
        return now;
    }

    /** A frame within 30 ms of the pacing rate leaves at once: spreading it would only delay it. */
    @Test
    void aFrameTheRateHasRoomForLeavesAtOnce() {
        Pacer pacer = new Pacer(1_600_000); // 4 Mbit/s: 30 ms of it is 15 kB
        long t = 1_000 * MS;
        int[] atOnce = new int[1];
        assertEquals(t, sendQueued(pacer, t, 15_000, atOnce));
        assertEquals(15_000, atOnce[0]);
    }

    /** However fast the rate, at most 16 kB go ahead of it. */
    @Test
    void noMoreThanSixteenKilobytesGoAhead() {
        Pacer pacer = new Pacer(10_000_000); // 25 Mbit/s: 30 ms of it would be 94 kB
        long t = 1_000 * MS;
        int[] atOnce = new int[1];
        sendQueued(pacer, t, 40 * 1200, atOnce);
        assertEquals(16_800, atOnce[0], "14 packets: to 16 kB ahead, and what the rest before allowed");
    }

    /**
     * On a path faster than the feedback can time, a 1 Mbit/s player's 21 kB keyframe leaves whole: 32 kB may go
     * ahead there, whatever the pacing rate; what is past that is paced as anywhere.
     */
    @Test
    void onAFastPathAWholeKeyframeLeavesAtOnce() {
        Pacer pacer = new Pacer(1_700_000); // 4.25 Mbit/s: 30 ms of it is 16 kB, the most on any other path
        pacer.setFastPath(true);
        long t = 1_000 * MS;
        int[] atOnce = new int[1];
        assertEquals(t, sendQueued(pacer, t, 21_000, atOnce));
        assertEquals(21_000, atOnce[0]);

        Pacer fast = new Pacer(1_700_000);
        fast.setFastPath(true);
        atOnce[0] = 0;
        long last = sendQueued(fast, t, 60 * 1200, atOnce);
        assertEquals(32_400, atOnce[0], "27 packets: to 32 kB ahead, and what the rest before allowed");
        assertTrue(last - t >= 70 * MS, "the other 39.6 kB at 4.25 Mbit/s take 75 ms: " + (last - t) / MS + " ms");

        Pacer slow = new Pacer(1_700_000);
        atOnce[0] = 0;
        sendQueued(slow, t, 21_000, atOnce);
        assertEquals(16_800, atOnce[0], "on a path the pairs time, 16 kB go at once and the tail is paced");
    }

    /**
     * What a keyframe has past 30 ms of the pacing rate is paced at 2.5 × the estimate: the budget holds a burst
     * past the estimate back.
     */
    @Test
    void whatAKeyframeHasPastTheBurstLeavesAtTwoAndAHalfTimesTheEstimate() {
        Pacer pacer = new Pacer(1_000_000); // 2.5 Mbit/s: 30 ms of it is 9.4 kB
        long t = 1_000 * MS;
        int[] atOnce = new int[1];
        long last = sendQueued(pacer, t, 100 * 1200, atOnce);
        assertEquals(9_600, atOnce[0], "8 packets at once (to 9.4 kB ahead, and what the rest before allowed)");
        // the other 110.4 kB at 2.5 Mbit/s take 353 ms
        assertEquals(353, (last - t) / MS, 5);
    }

    /** Where 30 ms of the pacing rate is under two packets, frames are paced: sending one early changes nothing. */
    @Test
    void atALowRateFramesArePaced() {
        Pacer pacer = new Pacer(200_000); // 500 kbit/s: 30 ms of it is 1.9 kB
        long t = 1_000 * MS;
        int[] atOnce = new int[1];
        long last = sendQueued(pacer, t, 3 * 1200, atOnce);
        assertEquals(1_200, atOnce[0], "one packet at once");
        assertEquals(38, (last - t) / MS, 2, "two more at 500 kbit/s, 19.2 ms apart");
    }

    /**
     * After an idle spell two packets leave together even where the rate's 2 ms burst is less than one packet:
     * a pair for the bottleneck's rate, five times a second; the frames between are paced.
     */
    @Test
    void twoPacketsLeaveTogetherAfterAnIdleSpellFiveTimesASecond() {
        Pacer pacer = new Pacer(200_000); // 500 kbit/s: 2 ms is 125 bytes, a frame a third of 33 ms
        long t = 1_000 * MS;
        int pairs = 0;
        for (int frame = 0; frame < 30; frame++) { // a second of frames of two 500-byte packets
            long now = t + frame * 33 * MS;
            assertTrue(pacer.canSend(now, 1000));
            pacer.onSent(now, 500, true);
            if (pacer.canSend(now, 500)) {
                pairs++;
            }
            pacer.onSent(pacer.nextSendAt(now, 500), 500, true);
        }
        assertEquals(5, pairs, 1);
    }

    /**
     * A frame of one packet that leaves when a pair is due is followed in the same instant by 100 bytes of
     * padding, which completes the pair: at most twice a second, and only in that instant.
     */
    @Test
    void aPacketLeftAloneWhenAPairIsDueGetsPaddingForASecond() {
        Pacer pacer = new Pacer(100_000); // 250 kbit/s: frames of one packet
        long t = 1_000 * MS;
        int padded = 0;
        for (int frame = 0; frame < 30; frame++) { // a second of frames of one 400-byte packet
            long now = t + frame * 33 * MS;
            assertTrue(pacer.canSend(now, 400));
            pacer.onSent(now, 400, true);
            int padding = pacer.paddingWanted(now);
            if (padding > 0) {
                assertEquals(Pacer.PAIR_PADDING_BYTES, padding);
                pacer.onSent(now, padding, true);
                assertEquals(0, pacer.paddingWanted(now), "the pair is complete");
                padded++;
            }
            assertEquals(0, pacer.paddingWanted(now + MS), "only in the packet's own instant");
        }
        assertEquals(2, padded);
    }

    /** Two packets of a frame are a pair by themselves: no padding. */
    @Test
    void aPairOfMediaNeedsNoPadding() {
        Pacer pacer = new Pacer(200_000);
        long t = 1_000 * MS;
        pacer.canSend(t, 1000);
        pacer.onSent(t, 500, true);
        long now = t + 300 * MS;
        assertTrue(pacer.canSend(now, 1000));
        pacer.onSent(now, 500, true);
        assertTrue(pacer.canSend(now, 500));
        pacer.onSent(now, 500, true);
        assertEquals(0, pacer.paddingWanted(now));
    }

    /** Unpaced packets (audio, RTCP) are never held, but count against the budget. */
    @Test
    void unpacedPacketsCountAgainstTheBudget() {
        Pacer pacer = new Pacer(200_000); // 500 kbit/s
        long t = 1_000 * MS;
        pacer.canSend(t, 1200);
        pacer.onSent(t, 1250, false); // audio and RTCP: 20 ms of the budget
        assertFalse(pacer.canSend(t, 1200));
        assertEquals(t + 20 * MS, pacer.nextSendAt(t, 1200), MS / 10);
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
