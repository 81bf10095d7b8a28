package io.eddyrtc.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class FlyweightTest {

    /** A toy format: 2-byte length-of-body, 1-byte type, then the body. */
    static final class LengthPrefixed extends Flyweight {
        static final int BODY_LENGTH_OFFSET = 0;
        static final int TYPE_OFFSET = 2;
        static final int HEADER_LENGTH = 3;

        @Override
        protected boolean validate() {
            return length() >= HEADER_LENGTH && bodyLength() <= length() - HEADER_LENGTH;
        }

        int bodyLength() {
            return u16(BODY_LENGTH_OFFSET);
        }

        int type() {
            return u8(TYPE_OFFSET);
        }

        boolean trimToDeclared() {
            return limit(HEADER_LENGTH + bodyLength());
        }
    }

    static final class AllWidths extends Flyweight {
        void write() {
            putU8(0, 0xFE);
            putU16(1, 0xFEDC);
            putU24(3, 0xFEDCBA);
            putU32(6, 0xFEDCBA98L);
            putU48(10, 0xFEDCBA987654L);
            putU64(16, 0xFEDCBA9876543210L);
        }
    }

    @Test
    void readsAndWritesEveryWidthBigEndianRelativeToTheOffset() {
        MemorySegment s = MemorySegment.ofArray(new byte[40]);
        AllWidths f = new AllWidths();
        assertTrue(f.wrap(s, 7, 24));
        f.write();
        assertEquals(0xFE, f.u8(0));
        assertEquals(0xFEDC, f.u16(1));
        assertEquals(0xFEDCBA, f.u24(3));
        assertEquals(0xFEDCBA98L, f.u32(6));
        assertEquals(0xFEDCBA98, f.i32(6));
        assertEquals(0xFEDCBA987654L, f.u48(10));
        assertEquals(0xFEDCBA9876543210L, f.u64(16));
        byte[] raw = s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        assertEquals(0, raw[6], "nothing written before the offset");
        assertEquals((byte) 0xFE, raw[7]);
        assertEquals((byte) 0xFE, raw[8]);
        assertEquals((byte) 0xDC, raw[9]);
        assertEquals((byte) 0x10, raw[7 + 23]);
    }

    @Test
    void unsignedValuesStayUnsigned() {
        MemorySegment s = MemorySegment.ofArray(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        assertEquals(0xFF, BigEndian.u8(s, 0));
        assertEquals(0xFFFF, BigEndian.u16(s, 0));
        assertEquals(0xFFFFFF, BigEndian.u24(s, 0));
        assertEquals(0xFFFF_FFFFL, BigEndian.u32(s, 0));
    }

    @Test
    void wrapRefusesWindowsOutsideTheSegment() {
        MemorySegment s = MemorySegment.ofArray(new byte[10]);
        LengthPrefixed f = new LengthPrefixed();
        assertFalse(f.wrap(s, 8, 3), "window runs past the end");
        assertFalse(f.wrap(s, -1, 3));
        assertFalse(f.wrap(s, 0, -1));
        assertFalse(f.wrap(s, Long.MAX_VALUE, 3), "no overflow in the bounds arithmetic");
        assertFalse(f.wrap(s, 3, Integer.MAX_VALUE));
        assertFalse(f.wrap(null, 0, 0));
        assertFalse(f.isWrapped());
        assertEquals(0, f.length());
    }

    @Test
    void wrapAsksTheFormatToValidateDeclaredLengths() {
        byte[] bytes = {0, 4, 9, 1, 2, 3};
        LengthPrefixed f = new LengthPrefixed();
        assertFalse(f.wrap(MemorySegment.ofArray(bytes)), "declares 4 body bytes, has 3");
        bytes[1] = 3;
        assertTrue(f.wrap(MemorySegment.ofArray(bytes)));
        assertEquals(9, f.type());
        assertEquals(3, f.bodyLength());
        bytes[1] = 1;
        assertTrue(f.wrap(MemorySegment.ofArray(bytes)));
        assertTrue(f.trimToDeclared());
        assertEquals(4, f.length());
    }

    @Test
    void aFailedWrapLeavesNoStaleView() {
        LengthPrefixed f = new LengthPrefixed();
        assertTrue(f.wrap(MemorySegment.ofArray(new byte[] {0, 0, 7})));
        assertFalse(f.wrap(MemorySegment.ofArray(new byte[] {0, 9, 7})));
        assertFalse(f.isWrapped());
        assertEquals(0, f.length());
    }

    @Test
    void worksOnOffHeapSlicesOfAPool() {
        try (PacketPool pool = PacketPool.builder().debug(false).build()) {
            PacketBuffer b = pool.acquire();
            BigEndian.putU16(b.segment(), 0, 2);
            BigEndian.putU8(b.segment(), 2, 0x42);
            b.length(5);
            LengthPrefixed f = new LengthPrefixed();
            assertTrue(f.wrap(b.segment(), 0, b.length()));
            assertEquals(0x42, f.type());
            b.release();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(3);
            assertTrue(new LengthPrefixed().wrap(s));
        }
    }
}
