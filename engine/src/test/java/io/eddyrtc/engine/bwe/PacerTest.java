package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The leaky bucket: media at 2.5 × the estimate, a frame within the capacity the estimate left unused at once,
 * probes at their own rate with padding, long queues drained.
 */
@ExtendWith(SeedExtension.class)
class PacerTest {
    private static final long MS = 1_000_000L;
    private static final int PACKET = 1200;

    /** When each of {@code packets} queued at {@code now} leaves, sent as soon as the pacer lets it. */
    private static long[] sendAll(Pacer pacer, long now, int packets) {
        long[] at = new long[packets];
        long queued = (long) packets * PACKET;
        for (int i = 0; i < packets; i++) {
            now = pacer.nextSendAt(now, queued);
            assertTrue(pacer.canSend(now, queued));
            pacer.onSent(now, PACKET, true);
            queued -= PACKET;
            at[i] = now;
        }
        return at;
    }

    /** The pacer sees time pass with nothing to send (the caller asks it as its loop comes by). */
    private static void idle(Pacer pacer, long from, long to) {
        for (long t = from; t <= to; t += 10 * MS) {
            pacer.canSend(t, 0);
        }
    }

    private static int leftAt(long[] at, long time) {
        int n = 0;
        for (long a : at) {
            n += a == time ? 1 : 0;
        }
        return n;
    }

    /**
     * An SFU's subscriber: 1 Mbit/s of video under a 2.2 Mbit/s estimate. Its frames and its keyframe (five
     * frames, 21 kB) fit the capacity the estimate leaves unused, so each leaves in one batch.
     */
    @Test
    void aFrameWithinTheSpareLeavesAtOnce() {
        Pacer pacer = new Pacer(2_200_000);
        long t = 1_000 * MS;
        sentBefore(pacer, t);
        idle(pacer, t, t + 100 * MS);
        for (int frame = 0; frame < 60; frame++) {
            long now = t + 100 * MS + frame * 33 * MS;
            int packets = frame == 59 ? 18 : 4; // 4.8 kB, then a 21.6 kB keyframe
            long[] at = sendAll(pacer, now, packets);
            assertEquals(packets, leftAt(at, now), "frame " + frame + " all at once");
            idle(pacer, now, now + 30 * MS);
        }
    }

    /**
     * A keyframe larger than the spare: what fits leaves at once, the rest at 2.5 × the estimate from there,
     * not after the burst has been paid for.
     */
    @Test
    void aFrameAboveTheSpareIsPacedFromWhereItEnds() {
        Pacer pacer = new Pacer(1_000_000); // paced at 2.5 Mbit/s; spare 40 ms of that, 12.5 kB
        long t = 1_000 * MS;
        sentBefore(pacer, t);
        idle(pacer, t, t + 1_000 * MS);
        long start = t + 1_000 * MS;
        long[] at = sendAll(pacer, start, 50); // 60 kB
        int atOnce = leftAt(at, start);
        assertEquals(11, atOnce, "12.5 kB of spare: ten packets and the one that crosses it");
        for (int i = atOnce + 1; i < at.length; i++) {
            assertEquals(PACKET * 8e9 / 2_500_000, at[i] - at[i - 1], MS / 10, "packet " + i + " paced at 2.5 Mbit/s");
        }
        // the first paced packet waits for the overshoot of the one that crossed, not for the spare to be paid back
        assertTrue(at[atOnce] - start <= PACKET * 8e9 / 2_500_000, "pacing starts where the spare ends: " + (at[atOnce] - start));
    }

    /**
     * Keyframes one after another: each takes its room from the last 500 ms, and once what went out over that
     * window passes 3/4 of what the estimate allowed, nothing more is banked: the sixth is paced.
     */
    @Test
    void burstsSpendTheRoomOfTheWindow() {
        Pacer pacer = new Pacer(2_200_000); // 500 ms of it: 137.5 kB, three quarters 103 kB
        long t = 1_000 * MS;
        sentBefore(pacer, t);
        idle(pacer, t, t + 600 * MS);
        int[] atOnce = new int[6];
        long now = t + 600 * MS;
        for (int k = 0; k < atOnce.length; k++, now += 40 * MS) { // 40 ms drains what the last one banked at 5.5 Mbit/s
            idle(pacer, now - 40 * MS, now);
            atOnce[k] = leftAt(sendAll(pacer, now, 18), now);
        }
        for (int k = 0; k < 5; k++) {
            assertEquals(18, atOnce[k], "keyframe " + k + " (21.6 kB) at once: " + 21.6 * k + " kB went before it");
        }
        assertTrue(atOnce[5] <= 2, "108 kB went before the sixth: a 2 ms burst, the rest paced: " + atOnce[5] + " at once");
    }

    /** One small unpaced packet well before {@code t}: the pacer has a window's history, so it may bank spare. */
    private static void sentBefore(Pacer pacer, long t) {
        pacer.onSent(t - Pacer.SPARE_WINDOW_NANOS - 100 * MS, 100, false);
    }

    /** A pacer that has not sent for a window yet knows nothing of the sender's rate, and banks nothing. */
    @Test
    void aNewPacerBanksNothingBeforeAWindowOfHistory() {
        Pacer pacer = new Pacer(2_200_000);
        long t = 1_000 * MS;
        idle(pacer, t, t + 100 * MS);
        long now = t + 100 * MS;
        assertTrue(leftAt(sendAll(pacer, now, 18), now) <= 2, "a keyframe from a new sender is paced (the 2 ms burst aside)");
    }

    /** An estimate that just rose (a probe's result) is not room the path had all along: the window's lowest counts. */
    @Test
    void anEstimateThatJustRoseIsNotRoom() {
        Pacer pacer = new Pacer(1_000_000);
        long t = 1_000 * MS;
        sentBefore(pacer, t);
        for (int frame = 0; frame < 30; frame++) { // 960 kbit/s under a 1 Mbit/s estimate: near it, nothing banked
            long now = t + frame * 33 * MS;
            sendAll(pacer, now, 3);
            idle(pacer, now, now + 33 * MS);
        }
        long now = t + 30 * 33 * MS;
        pacer.setEstimate(4_000_000); // what went out is now a quarter of the estimate, but was not a moment ago
        assertTrue(leftAt(sendAll(pacer, now, 18), now) <= 8, "the keyframe is paced, not let out on the risen estimate");
    }

    /** However long the sender was quiet, it banked no more than the cap. */
    @Test
    void anIdlePeriodBanksNoMoreThanTheCap() {
        int[] atOnce = new int[2];
        long[] quiet = {100 * MS, 60_000 * MS};
        for (int i = 0; i < 2; i++) {
            Pacer pacer = new Pacer(1_000_000);
            long t = 1_000 * MS;
            sentBefore(pacer, t);
            idle(pacer, t, t + quiet[i]);
            long start = t + quiet[i];
            atOnce[i] = leftAt(sendAll(pacer, start, 100), start);
        }
        assertEquals(atOnce[0], atOnce[1], "a minute of quiet banks what 100 ms did");
        assertTrue(atOnce[1] * PACKET <= 12_500 + PACKET, "at most the spare and one packet: " + atOnce[1]);
        assertTrue(atOnce[0] * PACKET >= 12_500, "and the spare itself: " + atOnce[0]);

        Pacer fast = new Pacer(50_000_000); // 40 ms of 125 Mbit/s would be 625 kB
        idle(fast, 0, 1_000 * MS);
        long start = 1_000 * MS + 1;
        assertTrue(leftAt(sendAll(fast, start, 200), start) * PACKET <= Pacer.MAX_SPARE_BYTES + PACKET,
                "the spare is capped in bytes too");
    }

    /**
     * Frames of random sizes at random times, sent as soon as the pacer lets them: over any span what left is at
     * most the pacing rate's bytes and one spare, however the spare was banked and spent.
     */
    @Test
    void theSpareDoesNotLetTheAverageExceedThePacingRate(@Seed long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long estimate = 1_000_000;
        double pacingBytesPerNano = estimate * Pacer.PACING_FACTOR / 8e9;
        double spare = estimate * Pacer.PACING_FACTOR * Pacer.SPARE_NANOS / 8e9;
        Pacer pacer = new Pacer(estimate);
        ArrayDeque<long[]> sent = new ArrayDeque<>(); // {time, bytes} within the longest span checked
        long queued = 0;
        long nextFrame = 0;
        long now = 0;
        long busy = 0;
        while (now < 20_000 * MS) {
            if (now >= nextFrame) {
                // up to 24 kB, 1 Mbit/s on average, often faster than the pacing rate for a while; kept under
                // what would make the pacer drain a long queue faster than its rate
                queued = Math.min(100_000, queued + (long) PACKET * (1 + random.nextInt(20)));
                nextFrame = now + random.nextLong(1, 200) * MS;
            }
            if (queued > 0 && pacer.canSend(now, queued)) {
                pacer.onSent(now, PACKET, true);
                queued -= PACKET;
                busy++;
                sent.add(new long[] {now, PACKET});
                long bytes = 0;
                for (var it = sent.descendingIterator(); it.hasNext(); ) {
                    long[] s = it.next();
                    bytes += s[1];
                    long span = now - s[0];
                    assertTrue(bytes <= pacingBytesPerNano * span + spare + PACKET,
                            bytes + " bytes in " + span / MS + " ms at " + now / MS + " ms");
                }
                while (now - sent.peekFirst()[0] > 2_000 * MS) {
                    sent.pollFirst();
                }
                continue;
            }
            long next = queued > 0 ? pacer.nextSendAt(now, queued) : Long.MAX_VALUE;
            now = Math.max(now + 1, Math.min(next, nextFrame));
        }
        assertTrue(busy > 1_000, "the sender was often held: " + busy + " packets");
    }

    /**
     * A sender near the estimate (87 % of it) banks nothing, where the estimator needs paced sends: its keyframe
     * leaves at 2.5 × the estimate after a 2 ms burst. The same sender at 29 % of it gets the keyframe out at once.
     */
    @Test
    void noSpareNearTheEstimate() {
        Pacer pacer = new Pacer(1_000_000);
        long now = 1_000 * MS;
        for (int frame = 0; frame < 30; frame++, now += 33 * MS) {
            sendAll(pacer, now, 3); // 3.6 kB every 33 ms: 870 kbit/s
        }
        long[] at = sendAll(pacer, now, 10);
        assertEquals(1, leftAt(at, now), "625 bytes of burst: one packet");
        assertEquals(8 * PACKET * 8e9 / 2_500_000, at[9] - at[1], MS / 10, "the rest at 2.5 Mbit/s");

        now += 33 * MS;
        for (int frame = 0; frame < 30; frame++, now += 33 * MS) {
            sendAll(pacer, now, 1); // 290 kbit/s
        }
        assertEquals(10, leftAt(sendAll(pacer, now, 10), now), "with room, the same keyframe leaves at once");
    }

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
        // two seconds of frames of two 1000-byte packets, more than the estimate: no spare once the pacer's window
        // holds what was sent, so the second second's pairs are the pairs alone
        for (int frame = 0; frame < 60; frame++) {
            long now = t + frame * 33 * MS;
            assertTrue(pacer.canSend(now, 2000));
            pacer.onSent(now, 1000, true);
            if (pacer.canSend(now, 1000) && frame >= 30) {
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
