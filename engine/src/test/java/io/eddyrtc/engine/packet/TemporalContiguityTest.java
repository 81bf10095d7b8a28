package io.eddyrtc.engine.packet;

import static io.eddyrtc.engine.packet.TemporalContiguity.DROP;
import static io.eddyrtc.engine.packet.TemporalContiguity.EMIT_AFTER_LOSS;
import static io.eddyrtc.engine.packet.TemporalContiguity.EMIT_CONTIGUOUS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** L1T3 streams (layers 0, 2, 1, 2 repeating) through the temporal-layer contiguity rules, across wrap-around. */
class TemporalContiguityTest {
    static final int[] L1T3 = {0, 2, 1, 2};

    @Test
    void losingOnlyUpperLayersKeepsLayerZeroContiguous() {
        TemporalContiguity c = new TemporalContiguity();
        boolean lost = false;
        for (int i = 0; i < 2000; i++) {
            int layer = L1T3[i % 4];
            int picture = (32_700 + i) & 0x7FFF; // wraps at 15 bits
            int tl0 = (250 + i / 4) & 0xFF;       // wraps at 8 bits
            if (layer == 2 && i % 8 == 1) {
                lost = true; // every other layer-2 frame never arrives
                continue;
            }
            int verdict = c.check(picture, 15, tl0, layer, !lost);
            if (layer == 0) {
                assertEquals(EMIT_CONTIGUOUS, verdict, "picture " + i);
                lost = false;
            } else if (!lost) {
                assertEquals(EMIT_CONTIGUOUS, verdict);
            } else {
                // after a lost layer-2 frame, the upper-layer frames until the next layer 0 are not
                // the next picture on it: held back (they may refer to the lost one)
                assertEquals(DROP, verdict, "picture " + i);
            }
        }
    }

    @Test
    void losingLayerZeroBreaksContiguityUntilTheNextLayerZero() {
        TemporalContiguity c = new TemporalContiguity();
        assertEquals(EMIT_CONTIGUOUS, c.check(100, 15, 10, 0, true));
        assertEquals(EMIT_CONTIGUOUS, c.check(101, 15, 10, 2, true));
        // pictures 102 (layer 1) to 104 (layer 0, TL0 11) lost
        assertEquals(DROP, c.check(105, 15, 11, 2, false), "refers to the lost layer-0 frame");
        assertEquals(DROP, c.check(106, 15, 11, 1, false));
        assertEquals(EMIT_AFTER_LOSS, c.check(108, 15, 12, 0, false), "TL0PICIDX skipped 11");
        assertEquals(EMIT_CONTIGUOUS, c.check(109, 15, 12, 2, false), "the next picture on the new layer-0 frame");
    }

    @Test
    void withoutLayerFieldsSequenceContiguityDecides() {
        TemporalContiguity c = new TemporalContiguity();
        assertEquals(EMIT_CONTIGUOUS, c.check(-1, 15, -1, -1, true));
        assertEquals(EMIT_AFTER_LOSS, c.check(5, 15, -1, -1, false));
        assertEquals(EMIT_AFTER_LOSS, c.check(5, 7, 3, 0, false), "first frame with fields: nothing to compare");
    }
}
