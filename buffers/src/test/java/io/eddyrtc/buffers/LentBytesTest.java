package io.eddyrtc.buffers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class LentBytesTest {
    @Test
    void bytesOfTheirOwnAreReadAndCopiedWithoutASlot() {
        LentBytes bytes = LentBytes.of(new byte[] {1, 2, 3});
        assertEquals(3, bytes.length());
        assertArrayEquals(new byte[] {1, 2, 3}, bytes.copy());
        assertTrue(bytes.segment().isReadOnly());
        assertSame(PacketBuffer.NONE, bytes.retainSlot(), "heap bytes have no slot to keep");
    }

    @Test
    void aLentSlotIsHeldUntilTheLoanEndsAndKeptByWhoeverRetainsIt() {
        try (PacketPool pool = PacketPool.builder().slotSize(64).slotsPerSlab(4).maxSlots(4).debug(true).build()) {
            PacketBuffer slot = pool.acquire();
            slot.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
            LentBytes bytes = new LentBytes();
            bytes.lend(slot, MemorySegment.ofArray(new byte[] {9}), 1);
            assertArrayEquals(new byte[] {7}, bytes.copy(), "the slot's bytes, not the heap segment's");
            assertThrows(IllegalArgumentException.class,
                    () -> bytes.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 1), "lent bytes are read-only");

            PacketBuffer kept = bytes.retainSlot();
            assertEquals(2, pool.holders(slot));
            PacketBuffer held = bytes.endLoan();
            assertSame(slot, held);
            assertEquals(0, bytes.length());
            assertSame(PacketBuffer.NONE, bytes.slot(), "blank after the loan");
            held.release();
            assertEquals(1, pool.inUse(), "the retained holder keeps it");
            kept.release();
            pool.checkNoLeaks();
        }
    }
}
