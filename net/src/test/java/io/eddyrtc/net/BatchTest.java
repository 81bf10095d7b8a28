package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the batches refuse misuse, and how they hand pool slots around. */
class BatchTest {

    @Test
    void sendBatchRefusesWhatCannotBeSent() {
        SendBatch batch = new SendBatch(1);
        MemorySegment memory = Arena.ofAuto().allocate(100);
        UdpAddress to = new UdpAddress().setIpv4(0x7F00_0001, 9);
        assertThrows(IllegalArgumentException.class, () -> batch.add(memory, 90, 20, to), "past the end");
        assertThrows(IllegalArgumentException.class, () -> batch.add(memory, -1, 20, to));
        assertThrows(IllegalArgumentException.class, () -> batch.add(memory, 0, 10, new UdpAddress()), "no destination");
        batch.add(memory, 0, 100, to);
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> batch.add(memory, 0, 1, to));
        assertTrue(full.getMessage().contains("send it"), full.getMessage());
        assertTrue(batch.isFull());
        batch.clear();
        assertEquals(0, batch.count());
        assertThrows(IllegalArgumentException.class, () -> new SendBatch(0));
        assertThrows(IllegalArgumentException.class, () -> new SendBatch(SendBatch.MAX_CAPACITY + 1));
    }

    @Test
    void sendBatchCopiesTheDestination() {
        SendBatch batch = new SendBatch(2);
        MemorySegment memory = Arena.ofAuto().allocate(10);
        UdpAddress to = new UdpAddress().setIpv4(0x7F00_0001, 9);
        batch.add(memory, 0, 10, to);
        to.setIpv4(0x7F00_0002, 10);
        assertEquals(new UdpAddress().setIpv4(0x7F00_0001, 9), batch.destination(0));
        assertTrue(batch.source(0).isEmpty());
    }

    @Test
    void recvBatchKeepsItsSlotsUntilTakenOrClosed() {
        try (PacketPool pool = PacketPool.builder().build()) {
            RecvBatch batch = new RecvBatch(pool, 4);
            assertEquals(4, batch.prepare());
            assertEquals(4, pool.inUse());
            batch.filled(2);
            PacketBuffer taken = batch.take(1);
            IllegalStateException gone = assertThrows(IllegalStateException.class, () -> batch.buffer(1));
            assertTrue(gone.getMessage().contains("taken"), gone.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> batch.source(2));
            assertEquals(4, batch.prepare(), "a fresh slot replaces the taken one");
            assertEquals(5, pool.inUse());
            taken.release();
            batch.close();
            assertEquals(0, pool.inUse());
            assertThrows(IllegalStateException.class, batch::prepare);
            assertThrows(IllegalArgumentException.class, () -> new RecvBatch(pool, 0));
            assertThrows(IllegalArgumentException.class, () -> new RecvBatch(pool, RecvBatch.MAX_CAPACITY + 1));
        }
    }

    @Test
    void anExhaustedPoolLeavesAShorterBatchWithoutHoles() {
        try (PacketPool pool = PacketPool.builder().slotsPerSlab(3).maxSlots(3).build()) {
            RecvBatch batch = new RecvBatch(pool, 4);
            assertEquals(3, batch.prepare());
            batch.filled(3);
            PacketBuffer first = batch.take(0);
            assertEquals(2, batch.prepare(), "the last held slot moves down to fill entry 0, leaving no hole");
            assertEquals(3, pool.inUse());
            first.release();
            assertEquals(3, batch.prepare());
            batch.close();
        }
    }
}
