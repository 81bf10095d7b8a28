package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One subscriber's copy of a two-layer simulcast track (a 150 kbit/s and a 1 Mbit/s layer, each a 30 fps
 * stream of its own numbering, a keyframe every second): the budget picks the layer, a switch waits for the
 * new layer's keyframe and asks for one, and what goes out is numbered without gaps across the switch.
 */
class LayerForwardingTest {
    static final long MS = 1_000_000L;
    final LayerRates rates = new LayerRates(2);
    final List<Integer> layersOut = new ArrayList<>();
    final List<Integer> sequencesOut = new ArrayList<>();
    long now = 1_000 * MS;
    final long[] sequence = {1_000, 50_000};
    final long[] timestamp = {90_000, 9_000_000};
    int frame;

    /** One frame of each layer: 1 packet of 625 bytes for layer 0, 4 of about 1040 for layer 1. */
    void frame(LayerForwarding forwarding) {
        boolean keyframe = frame % 30 == 0;
        for (int layer = 0; layer < 2; layer++) {
            int packets = layer == 0 ? 1 : 4;
            for (int i = 0; i < packets; i++) {
                rates.onPacket(now, layer, layer == 0 ? 625 : 1040);
                if (forwarding.forward(now, layer, keyframe && i == 0, -1, sequence[layer], timestamp[layer], 90_000)) {
                    layersOut.add(layer);
                    sequencesOut.add(forwarding.sequence());
                }
                sequence[layer]++;
            }
            timestamp[layer] += 3000;
        }
        frame++;
        now += 33 * MS;
    }

    @Test
    void theBudgetPicksTheLayerAndASwitchWaitsForItsKeyframe() {
        LayerForwarding forwarding = new LayerForwarding(rates, 400_000);
        for (int i = 0; i < 70; i++) {
            frame(forwarding);
        }
        assertEquals(0, forwarding.current(), "400 kbit/s: the low layer");
        assertTrue(layersOut.stream().allMatch(l -> l == 0), "nothing of the high layer");
        assertFalse(forwarding.baseOnly());
        forwarding.setBudget(now, 3_000_000);
        frame(forwarding); // the next packet has the selector look again
        assertEquals(1, forwarding.keyframeWanted(now), "the high layer fits: a keyframe of it is asked for");
        assertEquals(-1, forwarding.keyframeWanted(now + 100 * MS), "not again within a second");
        int before = layersOut.size();
        for (int i = 0; i < 40; i++) {
            frame(forwarding);
        }
        assertEquals(1, forwarding.current(), "switched up");
        int switchedAt = layersOut.indexOf(1);
        assertTrue(switchedAt > before, "the low layer went on until the high layer's keyframe");
        for (int i = 1; i < sequencesOut.size(); i++) {
            assertEquals((sequencesOut.get(i - 1) + 1) & 0xFFFF, sequencesOut.get(i), "one stream without gaps, at " + i);
        }
        assertTrue(layersOut.subList(switchedAt, layersOut.size()).stream().allMatch(l -> l == 1), "only the high layer after it");
    }

    @Test
    void belowTheLowestLayerOnlyItsBaseTemporalLayerGoes() {
        LayerForwarding forwarding = new LayerForwarding(rates, 100_000);
        int forwarded = 0;
        int higherTemporal = 0;
        for (int f = 0; f < 60; f++) {
            boolean keyframe = f % 30 == 0;
            int temporal = f % 2; // base and one higher temporal layer, alternating
            rates.onPacket(now, 0, 625);
            if (forwarding.forward(now, 0, keyframe, keyframe ? 0 : temporal, sequence[0]++, timestamp[0], 90_000) && f >= 30) {
                forwarded++;
                if (temporal > 0) {
                    higherTemporal++;
                }
            }
            timestamp[0] += 3000;
            now += 33 * MS;
        }
        assertTrue(forwarding.baseOnly(), "150 kbit/s does not fit 100 kbit/s");
        assertTrue(forwarded >= 14, "in the second second, the base temporal layer goes: " + forwarded);
        assertEquals(0, higherTemporal, "the higher temporal layer does not");
    }

    @Test
    void itWantsWhatTheNextLayerUpNeedsAndRoomForTheTopLayerAtTheTop() {
        LayerForwarding forwarding = new LayerForwarding(rates, 400_000);
        for (int i = 0; i < 40; i++) {
            frame(forwarding);
        }
        long high = rates.peakBitrate(now, 1);
        assertEquals((long) (high / LayerSelector.UP_HEADROOM), forwarding.wantedBitrate(now), "on the low layer: the high one, with headroom");
        forwarding.setBudget(now, 3_000_000);
        for (int i = 0; i < 40; i++) {
            frame(forwarding);
        }
        assertEquals(1, forwarding.current());
        assertEquals((long) (rates.peakBitrate(now, 1) / LayerSelector.UP_HEADROOM), forwarding.wantedBitrate(now),
                "on the top layer: its own rate, with the same headroom");
    }

    @Test
    void anotherPublicationTakesOverAtItsKeyframeWithTheNumberingGoingOn() {
        LayerForwarding forwarding = new LayerForwarding(rates, 3_000_000);
        for (int i = 0; i < 40; i++) {
            frame(forwarding);
        }
        assertEquals(1, forwarding.current());
        int last = sequencesOut.getLast();
        LayerRates next = new LayerRates(1);
        forwarding.follow(next);
        long sequence = 9_000;
        List<Integer> after = new ArrayList<>();
        for (int f = 0; f < 40; f++) {
            next.onPacket(now, 0, 2_000);
            if (forwarding.forward(now, 0, f == 5, -1, sequence++, 1_000L * f, 90_000)) {
                after.add(forwarding.sequence());
            }
            now += 33 * MS;
        }
        assertEquals(35, after.size(), "from the new publication's first keyframe on");
        assertEquals((last + 1) & 0xFFFF, after.getFirst(), "numbered on from the last packet of the old one");
        assertEquals(0, forwarding.current());
    }

    /**
     * VP8 layers are encoders of their own, each with its own picture ids and TL0PICIDX (here the numbers of the
     * ChatSimulcastTest run whose held subscriber froze: the middle layer at TL0PICIDX 41, the lowest at 215).
     * Across a switch down and back up the subscriber's stream counts on as one encoder's: each picture one more
     * than the last, each base-layer picture's TL0PICIDX one more than the last. A receiver keys its reference
     * state by these; a new layer's own numbers could land on that state and have its frames dropped.
     */
    @Test
    void vp8PictureNumbersGoOnAcrossSwitchesAsOneEncoders() {
        int[] pictureId = {11_776, 17_643};
        int[] tl0 = {214, 40};
        int[] pattern = {0, 2, 1, 2};
        LayerForwarding forwarding = new LayerForwarding(rates, 3_000_000);
        List<int[]> out = new ArrayList<>(); // frame starts forwarded: {picture id, temporal layer, TL0PICIDX}
        for (int f = 0; f < 240; f++) {
            if (f == 80) {
                forwarding.setBudget(now, 400_000);
            } else if (f == 160) {
                forwarding.setBudget(now, 3_000_000);
            }
            boolean keyframe = f % 30 == 0 || forwarding.keyframeWanted(now) >= 0; // the publisher answers a PLI at once
            int temporal = keyframe ? 0 : pattern[f % 4];
            for (int layer = 0; layer < 2; layer++) {
                pictureId[layer] = (pictureId[layer] + 1) & 0x7FFF;
                if (temporal == 0) {
                    tl0[layer] = (tl0[layer] + 1) & 0xFF;
                }
                int packets = layer == 0 ? 1 : 4;
                for (int i = 0; i < packets; i++) {
                    rates.onPacket(now, layer, layer == 0 ? 625 : 1040);
                    if (forwarding.forward(now, layer, keyframe && i == 0, temporal, sequence[layer], timestamp[layer], 90_000,
                            pictureId[layer], tl0[layer]) && i == 0) {
                        layersOut.add(layer);
                        out.add(new int[] {forwarding.pictureId(), temporal, forwarding.tl0PicIdx()});
                    }
                    sequence[layer]++;
                }
                timestamp[layer] += 3000;
            }
            now += 33 * MS;
        }
        int switches = 0;
        for (int i = 1; i < layersOut.size(); i++) {
            switches += layersOut.get(i).equals(layersOut.get(i - 1)) ? 0 : 1;
        }
        assertEquals(3, switches, "up once the high layer's rate is known, down on the low budget and up again: " + layersOut);
        for (int i = 1; i < out.size(); i++) {
            assertEquals((out.get(i - 1)[0] + 1) & 0x7FFF, out.get(i)[0], "each picture id one more than the last, at " + i);
        }
        int lastBase = -1;
        for (int[] frame : out) {
            if (frame[1] == 0) {
                assertTrue(lastBase < 0 || frame[2] == ((lastBase + 1) & 0xFF), "each base picture's TL0PICIDX one more: " + frame[2]
                        + " after " + lastBase);
                lastBase = frame[2];
            } else {
                assertEquals(lastBase, frame[2], "an upper-layer picture carries the last base picture's TL0PICIDX");
            }
        }
    }
}
