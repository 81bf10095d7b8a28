package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One subscriber's layer of a three-layer simulcast track, by its budget: switched at keyframes, without flapping. */
class LayerSelectorTest {
    private static final long MS = 1_000_000L;
    /** The layers' rates: 150 kbit/s, 500 kbit/s, 1.5 Mbit/s (a camera's q, h, f). */
    private static final long[] RATES = {150_000, 500_000, 1_500_000};

    private final LayerRates rates = new LayerRates(3);
    private long now = 1_000 * MS;
    private int frame;

    /**
     * Runs {@code millis} of the publisher's three layers at 30 frames a second, a keyframe on each every
     * {@code keyframeEvery} frames, and returns how many packets of each layer {@code selector} forwarded.
     */
    private int[] run(LayerSelector selector, long millis, int keyframeEvery) {
        int[] forwarded = new int[3];
        long end = now + millis * MS;
        for (; now < end; now += 33 * MS, frame++) {
            for (int l = 0; l < 3; l++) {
                int bytes = (int) (RATES[l] / 8 / 30);
                rates.onPacket(now, l, bytes);
                boolean keyframe = frame % keyframeEvery == 0;
                if (selector.forward(now, l, keyframe, frame % 2)) {
                    forwarded[l]++;
                }
            }
        }
        return forwarded;
    }

    @Test
    void theHighestLayerThatFitsIsForwardedFromItsKeyframe() {
        LayerSelector selector = new LayerSelector(rates, 800_000);
        assertEquals(0, selector.forwardedBitrate(now), "nothing forwarded before a keyframe");
        run(selector, 2_000, 30);
        assertEquals(1, selector.current(), "500 kbit/s fits 800 kbit/s, 1.5 Mbit/s does not");
        assertEquals(rates.bitrate(now, 1), selector.forwardedBitrate(now), "what goes is layer 1's rate");
        int[] forwarded = run(selector, 1_000, 30);
        assertEquals(0, forwarded[0]);
        assertEquals(0, forwarded[2]);
        assertTrue(forwarded[1] > 25);
    }

    @Test
    void goingDownWaitsForAKeyframeOfTheLowerLayerAndAsksForOne() {
        LayerSelector selector = new LayerSelector(rates, 2_000_000);
        run(selector, 3_000, 15);
        assertEquals(2, selector.current());
        selector.setBudget(now, 600_000);
        int[] beforeKeyframe = run(selector, 33, 1_000_000); // one frame, no keyframe
        assertEquals(1, selector.target());
        assertEquals(2, selector.current(), "no keyframe of layer 1 yet: layer 2 goes on");
        assertEquals(1, beforeKeyframe[2]);
        assertEquals(1, selector.keyframeWanted(now), "ask the publisher for a keyframe of layer 1");
        assertEquals(-1, selector.keyframeWanted(now + 100 * MS), "once a second at most");
        frame = 0; // the next frame is a keyframe
        run(selector, 33, 1_000_000);
        assertEquals(1, selector.current());
    }

    @Test
    void goingUpNeedsHeadroomForTwoSecondsAndNotRightAfterGoingDown() {
        LayerSelector selector = new LayerSelector(rates, 2_000_000);
        run(selector, 3_000, 15);
        selector.setBudget(now, 1_000_000);
        run(selector, 1_000, 15);
        assertEquals(1, selector.current());
        selector.setBudget(now, 1_600_000); // 1.5 Mbit/s fits, but not with 15 % to spare
        run(selector, 10_000, 15);
        assertEquals(1, selector.current(), "no headroom: stays down");
        selector.setBudget(now, 2_000_000);
        run(selector, 1_500, 15);
        assertEquals(1, selector.current(), "headroom for less than two seconds");
        run(selector, 1_500, 15);
        assertEquals(2, selector.current());
    }

    /**
     * A layer whose rate dips under the budget for a few seconds is not gone up to: its peak of the last seconds
     * is what it will take again (Chromium's middle layer swings so); once the peak has passed, it is.
     */
    @Test
    void goingUpTakesALayersPeakOfTheLastSeconds() {
        LayerSelector selector = new LayerSelector(rates, 400_000);
        run(selector, 5_000, 15);
        assertEquals(0, selector.current(), "500 kbit/s does not fit 400");
        long[] dipped = {150_000, 300_000, 1_500_000};
        for (int i = 0; i < 120; i++, now += 33 * MS, frame++) { // layer 1 dips to 300 kbit/s for four seconds
            for (int l = 0; l < 3; l++) {
                rates.onPacket(now, l, (int) (dipped[l] / 8 / 30));
                selector.forward(now, l, frame % 15 == 0, frame % 2);
            }
        }
        assertEquals(0, selector.current(), "300 kbit/s fits 85 % of 400 now, but its peak of the last seconds does not");
        for (int i = 0; i < 120; i++, now += 33 * MS, frame++) { // and four more
            for (int l = 0; l < 3; l++) {
                rates.onPacket(now, l, (int) (dipped[l] / 8 / 30));
                selector.forward(now, l, frame % 15 == 0, frame % 2);
            }
        }
        assertEquals(1, selector.current(), "eight seconds at 300 kbit/s: the 500 kbit/s seconds are out of the window");
    }

    @Test
    void anEstimateWobblingAroundALayerDoesNotFlap() {
        LayerSelector selector = new LayerSelector(rates, 2_000_000);
        run(selector, 3_000, 15);
        long switches = selector.switches();
        for (int i = 0; i < 20; i++) {
            selector.setBudget(now, i % 2 == 0 ? 1_450_000 : 1_800_000); // around layer 2's 1.5 Mbit/s, 500 ms each
            run(selector, 500, 15);
        }
        assertTrue(selector.switches() - switches <= 2, "switched " + (selector.switches() - switches) + " times in 10 s");
    }

    @Test
    void belowTheLowestLayerOnlyItsBaseTemporalLayerGoes() {
        LayerSelector selector = new LayerSelector(rates, 100_000);
        run(selector, 2_000, 15);
        assertEquals(0, selector.current());
        assertTrue(selector.baseOnly());
        assertFalse(selector.forward(now, 0, false, 1), "temporal layer 1 is left out");
        assertTrue(selector.forward(now, 0, false, 0), "the base layer goes");
        assertTrue(selector.forward(now, 0, false, -1), "a packet that does not say goes");
        selector.setBudget(now, 400_000);
        run(selector, 200, 15);
        assertFalse(selector.baseOnly());
    }

    @Test
    void aLayerThePublisherStopsIsReplacedAtTheNextKeyframe() {
        LayerSelector selector = new LayerSelector(rates, 2_000_000);
        run(selector, 3_000, 15);
        assertEquals(2, selector.current());
        for (int i = 0; i < 45; i++, now += 33 * MS, frame++) { // layer 2 stops
            for (int l = 0; l < 2; l++) {
                rates.onPacket(now, l, (int) (RATES[l] / 8 / 30));
                selector.forward(now, l, frame % 15 == 0, 0);
            }
        }
        assertEquals(1, selector.current());
    }
}
