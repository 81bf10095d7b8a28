package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** GoogCC's loss thresholds: over 10 % cuts, 2–10 % holds, under 2 % lets the limit grow until it no longer binds. */
class LossBasedControlTest {
    private static final long MS = 1_000_000L;

    /** One second of 100 packets with {@code lostPercent} % lost, then an update. */
    private static long second(LossBasedControl loss, long start, int lostPercent, long current, long delayBased) {
        return second(loss, start, lostPercent, current, delayBased, false);
    }

    private static long second(LossBasedControl loss, long start, int lostPercent, long current, long delayBased, boolean limited) {
        for (int i = 0; i < 100; i++) {
            loss.onPacket(start + i * 10 * MS, i >= lostPercent, false);
        }
        return loss.update(start + 1_000 * MS, current, delayBased, 100 * MS, limited);
    }

    /** While the application sends less than it may, no loss shows no room: the limit holds instead of growing. */
    @Test
    void anApplicationLimitedSenderDoesNotGrowTheLimit() {
        LossBasedControl loss = new LossBasedControl();
        long t = 1_000 * MS;
        long cut = second(loss, t, 20, 2_000_000, 2_000_000);
        assertEquals(cut, second(loss, t + 1_001 * MS, 0, cut, 2_000_000, true), "held while application-limited");
        assertTrue(second(loss, t + 2_002 * MS, 0, cut, 2_000_000, false) > cut, "grows once it is not");
    }

    @Test
    void lossUnderTenPercentNeverSetsALimit() {
        LossBasedControl loss = new LossBasedControl();
        long t = 1_000 * MS;
        for (int s = 0; s < 10; s++) {
            assertEquals(LossBasedControl.UNSET, second(loss, t + s * 1_001 * MS, 8, 2_000_000, 2_000_000));
        }
    }

    @Test
    void highLossCutsThenModerateLossHoldsThenLowLossReleases() {
        LossBasedControl loss = new LossBasedControl();
        long t = 1_000 * MS;
        long cut = second(loss, t, 20, 2_000_000, 2_000_000);
        assertEquals(1_800_000, cut, "20 % lost: 2 Mbit/s × (1 - 0.1)");
        assertEquals(1_800_000, second(loss, t + 1_001 * MS, 5, 1_800_000, 2_000_000), "5 % lost: held");
        long grown = second(loss, t + 2_002 * MS, 0, 1_800_000, 2_000_000);
        assertTrue(grown > 1_900_000 || grown == LossBasedControl.UNSET, "no loss: grows 8 % a second, " + grown);
        assertEquals(LossBasedControl.UNSET, second(loss, t + 3_003 * MS, 0, grown, 2_000_000),
                "past the delay-based rate the limit is lifted");
    }

    /** A packet reported lost that turns up late does not count as lost. */
    @Test
    void aLateArrivalIsNotALoss() {
        LossBasedControl loss = new LossBasedControl();
        long t = 1_000 * MS;
        for (int i = 0; i < 100; i++) {
            boolean lost = i % 5 == 0; // 20 % reported lost...
            loss.onPacket(t + i * 10 * MS, !lost, false);
            if (lost) {
                loss.onPacket(t + i * 10 * MS + 5 * MS, true, true); // ...and each arrives late
            }
        }
        assertEquals(LossBasedControl.UNSET, loss.update(t + 1_000 * MS, 2_000_000, 2_000_000, 100 * MS, false));
        assertEquals(0.0, loss.lastLoss());
    }
}
