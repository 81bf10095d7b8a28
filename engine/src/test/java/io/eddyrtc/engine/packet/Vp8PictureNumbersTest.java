package io.eddyrtc.engine.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class Vp8PictureNumbersTest {

    private static byte[] rewritten(byte[] payload, int pictureId, int tl0PicIdx, boolean expected) {
        MemorySegment s = MemorySegment.ofArray(payload.clone());
        boolean done = Vp8PictureNumbers.rewrite(s, 0, payload.length, pictureId, tl0PicIdx);
        assertTrue(done == expected, "rewrite returned " + done);
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void aFifteenBitPictureIdAndTheTl0PicIdxAreWrittenInPlaceAndNothingElse() {
        byte[] in = {(byte) 0x90, (byte) 0xE0, (byte) 0x81, 0x02, 0x03, 0x40, 0x10, 0x11};
        byte[] expected = {(byte) 0x90, (byte) 0xE0, (byte) 0xFF, (byte) 0xFE, (byte) 0xAA, 0x40, 0x10, 0x11};
        assertArrayEquals(expected, rewritten(in, 0x7FFE, 0xAA, true));
    }

    @Test
    void aSevenBitPictureIdKeepsItsWidth() {
        byte[] in = {(byte) 0x90, (byte) 0xC0, 0x05, 0x09, 0x10};
        byte[] expected = {(byte) 0x90, (byte) 0xC0, 0x7E, 0x0A, 0x10};
        assertArrayEquals(expected, rewritten(in, 0x12FE, 0x0A, true), "the low 7 bits of the id, the M bit stays clear");
    }

    @Test
    void minusOneLeavesAFieldAndAFieldTheDescriptorLacksIsLeftOut() {
        byte[] in = {(byte) 0x90, (byte) 0x80, (byte) 0x81, 0x02, 0x10};
        assertArrayEquals(new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x80, 0x07, 0x10}, rewritten(in, 7, 0x33, true),
                "no L bit: no TL0PICIDX to write");
        byte[] both = {(byte) 0x90, (byte) 0xC0, (byte) 0x81, 0x02, 0x03, 0x10};
        assertArrayEquals(new byte[] {(byte) 0x90, (byte) 0xC0, (byte) 0x81, 0x02, 0x44, 0x10}, rewritten(both, -1, 0x44, true));
        byte[] plain = {0x10, 0x11, 0x12};
        assertArrayEquals(plain, rewritten(plain, 9, 9, true), "no extension byte: nothing to write");
    }

    @Test
    void aTruncatedDescriptorIsRefusedUntouched() {
        byte[] in = {(byte) 0x90, (byte) 0xE0, (byte) 0x81};
        assertArrayEquals(in, rewritten(in, 1, 1, false));
        assertFalse(Vp8PictureNumbers.rewrite(MemorySegment.ofArray(new byte[0]), 0, 0, 1, 1));
    }
}
