package io.eddyrtc.buffers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The {@code byte[]} accessors agree with the segment ones: network order, unsigned, at any offset. */
class BigEndianTest {

    @Test
    void arrayFieldsAreBigEndianAndUnsignedAtAnyOffset() {
        byte[] b = new byte[16];
        BigEndian.putU16(b, 1, 0xFEDC);
        BigEndian.putU32(b, 3, 0xF123_4567L);
        BigEndian.putU64(b, 7, 0x8877_6655_4433_2211L);
        assertArrayEquals(new byte[] {0, (byte) 0xFE, (byte) 0xDC, (byte) 0xF1, 0x23, 0x45, 0x67,
                (byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0}, b);
        assertEquals(0xFEDC, BigEndian.u16(b, 1), "16 bits come back unsigned");
        assertEquals(0xF123_4567L, BigEndian.u32(b, 3), "32 bits come back unsigned");
        assertEquals(0x8877_6655_4433_2211L, BigEndian.u64(b, 7));
        MemorySegment s = MemorySegment.ofArray(b);
        assertEquals(BigEndian.u16(s, 1), BigEndian.u16(b, 1));
        assertEquals(BigEndian.u32(s, 3), BigEndian.u32(b, 3));
        assertEquals(BigEndian.u64(s, 7), BigEndian.u64(b, 7));
    }

    @Test
    void writesKeepOnlyTheFieldsWidth() {
        byte[] b = new byte[6];
        BigEndian.putU16(b, 0, 0x1_2345);
        BigEndian.putU32(b, 2, 0x1_89AB_CDEFL);
        assertEquals(0x2345, BigEndian.u16(b, 0));
        assertEquals(0x89AB_CDEFL, BigEndian.u32(b, 2));
    }

    @Test
    void anIndexPastTheArrayThrows() {
        byte[] b = new byte[4];
        assertThrows(IndexOutOfBoundsException.class, () -> BigEndian.u32(b, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> BigEndian.putU16(b, 3, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> BigEndian.u64(b, 0));
    }
}
