package io.eddyrtc.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedExtension.class)
class SequenceNumbersTest {

    @Test
    void sixteenBitComparisonTakesTheShortWayRound() {
        assertTrue(SequenceNumbers.isNewer16(1, 0));
        assertTrue(SequenceNumbers.isNewer16(0, 65535), "0 follows 65535");
        assertFalse(SequenceNumbers.isNewer16(65535, 0));
        assertFalse(SequenceNumbers.isNewer16(5, 5));
        assertTrue(SequenceNumbers.isNewer16(32767, 0));
        assertFalse(SequenceNumbers.isNewer16(32768, 0), "exactly half way counts as older");
        assertEquals(-1, SequenceNumbers.diff16(65535, 0));
        assertEquals(2, SequenceNumbers.diff16(1, 65535));
        assertEquals(-32768, SequenceNumbers.diff16(32768, 0));
    }

    @Test
    void thirtyTwoBitComparisonWraps() {
        assertTrue(SequenceNumbers.isNewer32(0, 0xFFFF_FFFFL));
        assertEquals(16, SequenceNumbers.diff32(10, 0xFFFF_FFFAL));
        assertFalse(SequenceNumbers.isNewer32(0x8000_0000L, 0));
    }

    @Test
    void extend16FollowsRolloverBothWays() {
        assertEquals(65536, SequenceNumbers.extend16(65535, 0));
        assertEquals(65535, SequenceNumbers.extend16(65536, 65535), "a late packet from before the wrap");
        assertEquals(3 * 65536 + 10, SequenceNumbers.extend16(3 * 65536 + 5, 10));
        assertEquals(65535 + 65536, SequenceNumbers.extend16(2 * 65536 + 3, 65535));
    }

    @Test
    void extend16NeverGoesNegative() {
        assertEquals(65535, SequenceNumbers.extend16(0, 65535), "before the first cycle means the next cycle");
        assertEquals(40000, SequenceNumbers.extend16(10, 40000));
    }

    @Test
    void extend32FollowsTimestampRollover() {
        assertEquals(0x1_0000_0010L, SequenceNumbers.extend32(0xFFFF_FF00L, 0x10));
        assertEquals(0xFFFF_FF00L, SequenceNumbers.extend32(0x1_0000_0010L, 0xFFFF_FF00L));
        assertEquals(0xFFFF_FFFFL, SequenceNumbers.extend32(0, 0xFFFF_FFFFL));
    }

    @Test
    void rocEstimateMatchesRfc3711Cases() {
        // s_l < 2^15: a SEQ far above it belongs to the previous ROC.
        assertEquals(4, SequenceNumbers.estimateRoc(5, 100, 65000));
        assertEquals(5, SequenceNumbers.estimateRoc(5, 100, 200));
        // s_l >= 2^15: a SEQ far below it belongs to the next ROC.
        assertEquals(6, SequenceNumbers.estimateRoc(5, 65000, 100));
        assertEquals(5, SequenceNumbers.estimateRoc(5, 65000, 40000));
        assertEquals(0xFFFF_FFFFL, SequenceNumbers.estimateRoc(0, 10, 65530), "ROC-1 wraps as an unsigned 32-bit value");
    }

    @Test
    void extend16AgreesWithTheRfc3711EstimateEverywhere(@Seed long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 200_000; i++) {
            long roc = 1 + random.nextInt(1 << 20);
            int highest = random.nextInt(65536);
            int seq = random.nextInt(65536);
            long index = SequenceNumbers.extend16((roc << 16) | highest, seq);
            long rfc = SequenceNumbers.estimateRoc(roc, highest, seq);
            // The RFC's comparisons are strict where the nearest-value rule must break a tie at
            // exactly half a cycle; those two points are the only ones allowed to differ.
            int distance = Math.abs(SequenceNumbers.diff16(seq, highest));
            if (distance != 32768) {
                assertEquals(rfc, index >>> 16, "roc=" + roc + " s_l=" + highest + " seq=" + seq);
                assertEquals(seq, index & 0xFFFF);
            }
        }
    }

    @Test
    void extenderTracksTheHighestAndPlacesLatePacketsInTheirCycle(@Seed long seed) {
        SequenceExtender ext = SequenceExtender.sixteenBit();
        assertFalse(ext.hasStarted());
        assertEquals(65530, ext.extend(65530));
        long expected = 65530;
        Random random = new Random(seed);
        for (int i = 0; i < 300_000; i++) {
            // Mostly forward, sometimes reordered by up to 100 back, sometimes a jump of a few thousand.
            int step = random.nextInt(100) < 90 ? 1 : random.nextInt(100) < 50 ? -random.nextInt(100) : random.nextInt(3000);
            long next = expected + step;
            if (next < 0) {
                continue;
            }
            long got = ext.extend(next & 0xFFFF);
            assertEquals(next, got, "step " + step + " from " + expected);
            expected = Math.max(expected, next);
            assertEquals(expected, ext.highest());
        }
        assertTrue(ext.highest() > 3 * 65536, "crossed several rollovers");
        ext.reset();
        assertEquals(7, ext.extend(7));
    }

    @Test
    void timestampExtenderCrossesThe32BitWrap() {
        SequenceExtender ext = SequenceExtender.thirtyTwoBit();
        long ts = 0xFFFF_0000L;
        assertEquals(ts, ext.extend(ts));
        for (int i = 0; i < 100; i++) {
            ts += 3000;
            assertEquals(ts, ext.extend(ts & 0xFFFF_FFFFL));
        }
        assertTrue(ts > 0xFFFF_FFFFL);
        assertEquals(ts - 6000, ext.extend((ts - 6000) & 0xFFFF_FFFFL), "a late frame stays before the wrap point it belongs to");
    }
}
