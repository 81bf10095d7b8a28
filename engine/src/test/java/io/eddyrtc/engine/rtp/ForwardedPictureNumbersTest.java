package io.eddyrtc.engine.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ForwardedPictureNumbersTest {
    private final ForwardedPictureNumbers numbers = new ForwardedPictureNumbers();

    private void forward(int layer, long sequence, int pictureId, int tl0) {
        numbers.forward(layer, sequence, pictureId, tl0);
    }

    @Test
    void theFirstLayerKeepsItsNumbers() {
        forward(1, 100, 27_000, 44);
        assertEquals(27_000, numbers.pictureId());
        assertEquals(44, numbers.tl0PicIdx());
    }

    /**
     * The layer switched to counts its pictures and base-layer pictures from numbers of its own; the subscriber
     * sees them go on from the last ones it got (in ChatSimulcastTest's failing run the middle layer's
     * TL0PICIDX ran 41 to 57 and the lowest one's started at 215, and 74 base frames later Chromium dropped
     * every frame as one it had seen).
     */
    @Test
    void aSwitchGoesOnFromTheLastNumbersForwardedAndKeepsTheNewLayersDistances() {
        forward(1, 100, 17_704, 57);
        forward(1, 101, 17_705, 57);
        forward(0, 5_000, 11_777, 215); // the lower layer's keyframe
        assertEquals(17_706, numbers.pictureId());
        assertEquals(58, numbers.tl0PicIdx());
        forward(0, 5_001, 11_778, 215);
        forward(0, 5_003, 11_781, 216); // two frames of upper temporal layers left out: the gap stays
        assertEquals(17_710, numbers.pictureId());
        assertEquals(59, numbers.tl0PicIdx());
        forward(1, 120, 17_800, 70); // and back up
        assertEquals(17_711, numbers.pictureId());
        assertEquals(60, numbers.tl0PicIdx());
    }

    @Test
    void theNumbersWrapAtTheirWidths() {
        forward(0, 1, 0x7FFF, 0xFF);
        forward(1, 9, 5, 3);
        assertEquals(0, numbers.pictureId());
        assertEquals(0, numbers.tl0PicIdx());
        forward(1, 10, 6, 4);
        assertEquals(1, numbers.pictureId());
        assertEquals(1, numbers.tl0PicIdx());
    }

    @Test
    void aPacketOlderThanTheNewestTakesItsOwnNumbersAndIsNotFollowedOn() {
        forward(0, 10, 100, 20);
        forward(0, 12, 102, 21);
        forward(0, 11, 101, 20); // a repair from the publisher, late
        assertEquals(101, numbers.pictureId());
        forward(1, 50, 9_000, 90);
        assertEquals(103, numbers.pictureId(), "the switch follows the newest, not the late one");
        assertEquals(22, numbers.tl0PicIdx());
    }

    @Test
    void aPacketWithoutNumbersLeavesThemAndANewSourceIsFollowedOnAsASwitchIs() {
        forward(0, 1, 300, 9);
        forward(0, 2, -1, -1);
        assertEquals(-1, numbers.pictureId());
        assertEquals(-1, numbers.tl0PicIdx());
        numbers.sourceChanged();
        forward(0, 77, 4_000, 200);
        assertEquals(301, numbers.pictureId());
        assertEquals(10, numbers.tl0PicIdx());
    }
}
