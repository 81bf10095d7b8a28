package io.eddyrtc.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The replay window SRTP, SRTCP and DTLS records share, against a plain set of everything accepted. */
@ExtendWith(SeedExtension.class)
class ReplayWindowTest {

    @Test
    void freshThenReplayedThenTooOld() {
        ReplayWindow w = new ReplayWindow(64);
        assertEquals(ReplayWindow.FRESH, w.check(5));
        w.accept(5);
        assertEquals(ReplayWindow.REPLAYED, w.check(5));
        assertEquals(ReplayWindow.FRESH, w.check(4), "below the highest but not seen");
        w.accept(100);
        assertEquals(ReplayWindow.TOO_OLD, w.check(5), "100 - 5 is beyond a 64-index window");
        assertEquals(ReplayWindow.FRESH, w.check(37), "the lowest index still inside");
        assertEquals(ReplayWindow.TOO_OLD, w.check(36));
        assertEquals(100, w.highest());
    }

    @Test
    void checkingChangesNothing() {
        ReplayWindow w = new ReplayWindow(64);
        assertEquals(ReplayWindow.FRESH, w.check(9));
        assertEquals(ReplayWindow.FRESH, w.check(9), "only accept() records an index");
        assertEquals(-1, w.highest());
    }

    @Test
    void agreesWithASetOfAcceptedIndicesUnderRandomOrder(@Seed long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ReplayWindow w = new ReplayWindow(128);
        Set<Long> seen = new HashSet<>();
        long highest = -1;
        for (int i = 0; i < 20_000; i++) {
            long index = Math.max(0, highest + random.nextInt(-200, 40));
            int expected = highest >= 0 && index <= highest && highest - index >= 128 ? ReplayWindow.TOO_OLD
                    : seen.contains(index) ? ReplayWindow.REPLAYED : ReplayWindow.FRESH;
            assertEquals(expected, w.check(index), "index " + index + " with highest " + highest);
            if (expected == ReplayWindow.FRESH && random.nextBoolean()) {
                w.accept(index);
                seen.add(index);
                highest = Math.max(highest, index);
            }
        }
    }

    @Test
    void sizesArePowersOfTwoFrom64To32768() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(32));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(100));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(65536));
    }
}
