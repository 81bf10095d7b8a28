package io.eddyrtc.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.FlightRecordings;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

class PacketPoolTest {

    /**
     * A dry spell is one flight recording event: from the first refusal until an eighth of the slots is free again,
     * with every refusal in between counted, however many there were; the next dry spell is another event.
     */
    @Test
    void aDrySpellIsOneFlightRecordingEventWithItsRefusals() {
        List<RecordedEvent> events;
        try (FlightRecordings recording = FlightRecordings.start("io.eddyrtc.PoolExhausted");
             PacketPool pool = PacketPool.builder().slotSize(64).slotsPerSlab(16).maxSlots(16).debug(false).build()) {
            List<PacketBuffer> held = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                held.add(pool.acquire());
            }
            for (int i = 0; i < 5; i++) {
                assertTrue(pool.acquire().isNone());
            }
            held.removeFirst().release(); // one free slot: still dry (an eighth is two)
            held.add(pool.acquire());
            assertTrue(pool.acquire().isNone()); // refused again, in the same spell
            held.removeFirst().release();
            held.removeFirst().release(); // two free: over
            held.add(pool.acquire());
            held.add(pool.acquire());
            assertTrue(pool.acquire().isNone()); // a second spell, still going when the pool closes
            pool.close();
            events = FlightRecordings.named(recording.stop(), "io.eddyrtc.PoolExhausted");
            assertEquals(7, pool.exhaustions());
        }
        assertEquals(List.of(6L, 1L), events.stream().map(e -> e.getLong("refused")).toList(), "refusals per spell");
        for (RecordedEvent e : events) {
            assertEquals(16, e.getInt("maxSlots"));
            assertEquals(64, e.getInt("slotSize"));
        }
    }

    @Test
    void acquiredBuffersAreDistinctSlotsOfTheConfiguredSize() {
        try (PacketPool pool = PacketPool.builder().slotSize(1500).slotsPerSlab(8).maxSlots(8).debug(false).build()) {
            Set<Long> addresses = new HashSet<>();
            List<PacketBuffer> held = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                PacketBuffer b = pool.acquire();
                assertFalse(b.isNone());
                assertEquals(1500, b.capacity());
                assertEquals(0, b.length());
                assertTrue(addresses.add(b.segment().address()), "slots must not overlap");
                held.add(b);
            }
            assertEquals(8, pool.inUse());
            held.forEach(PacketBuffer::release);
            assertEquals(0, pool.inUse());
            pool.checkNoLeaks();
        }
    }

    @Test
    void aRetainedSlotIsFreeOnlyWhenItsLastHolderReleasesIt() {
        try (PacketPool pool = PacketPool.builder().slotSize(64).slotsPerSlab(4).maxSlots(4).debug(true).build()) {
            PacketBuffer shared = pool.acquire();
            shared.segment().fill((byte) 0x5A);
            shared.retain().retain();
            assertEquals(3, pool.holders(shared));
            shared.release();
            shared.release();
            assertEquals(1, pool.inUse(), "one holder left keeps the slot");
            assertEquals(0x5A, shared.segment().get(ValueLayout.JAVA_BYTE, 63), "and its bytes");
            shared.release();
            assertEquals(0, pool.inUse());
            assertEquals(0, pool.holders(shared));
            assertThrows(IllegalStateException.class, shared::release, "a release beyond the holders is misuse");
            pool.checkNoLeaks();
        }
    }

    @Test
    void theReadOnlySegmentSeesTheSlotAndRefusesWrites() {
        for (boolean debug : new boolean[] {false, true}) {
            try (PacketPool pool = PacketPool.builder().slotSize(64).slotsPerSlab(2).debug(debug).build()) {
                PacketBuffer b = pool.acquire();
                b.segment().set(ValueLayout.JAVA_BYTE, 5, (byte) 7);
                MemorySegment view = b.readOnlySegment();
                assertEquals(7, view.get(ValueLayout.JAVA_BYTE, 5));
                assertTrue(view.isReadOnly());
                assertSame(view, b.readOnlySegment(), "made once, not per call");
                assertThrows(IllegalArgumentException.class, () -> view.set(ValueLayout.JAVA_BYTE, 5, (byte) 1));
                b.release();
            }
        }
    }

    @Test
    void cachesMayNotTakeTheLastEighthOfThePool() {
        try (PacketPool pool = PacketPool.builder().slotSize(64).slotsPerSlab(16).maxSlots(16).debug(false).build()) {
            List<PacketBuffer> kept = new ArrayList<>();
            for (PacketBuffer b = pool.acquireToKeep(); !b.isNone(); b = pool.acquireToKeep()) {
                kept.add(b);
            }
            assertEquals(14, kept.size(), "16 slots, 2 left for packets passing through");
            assertEquals(1, pool.keepRefusals());
            assertFalse(pool.acquire().isNone(), "a packet passing through still gets a slot");
            assertEquals(0, pool.exhaustions());
        }
    }

    @Test
    void trimGivesBackTheSlabsABurstAddedOnceTheirSlotsAreFree() {
        for (boolean debug : new boolean[] {false, true}) {
            try (PacketPool pool = PacketPool.builder().slotSize(64).slotsPerSlab(4).maxSlots(64).debug(debug).build()) {
                List<PacketBuffer> burst = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    burst.add(pool.acquire());
                }
                assertEquals(12, pool.capacity(), "three slabs");
                PacketBuffer kept = burst.remove(5); // in the second slab: that one must stay
                burst.forEach(PacketBuffer::release);
                assertEquals(4, pool.trim(), "the third slab is all free; the first is kept, the second is in use");
                assertEquals(8, pool.capacity());
                assertEquals(1, pool.inUse());
                kept.release();
                assertEquals(4, pool.trim());
                assertEquals(4, pool.capacity(), "back to the first slab");
                assertEquals(0, pool.trim(), "the first slab always stays");
                List<PacketBuffer> again = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    PacketBuffer b = pool.acquire();
                    assertFalse(b.isNone());
                    b.segment().fill((byte) i); // the memory is there again
                    again.add(b);
                }
                assertEquals(12, pool.capacity(), "grown again into the ranges trim emptied");
                assertThrows(IllegalStateException.class, kept::release, "a buffer of a trimmed slab is stale");
                again.forEach(PacketBuffer::release);
                pool.checkNoLeaks();
            }
        }
    }

    @Test
    void slotsDoNotShareMemory() {
        try (PacketPool pool = PacketPool.builder().slotSize(64).slotsPerSlab(4).debug(false).build()) {
            PacketBuffer a = pool.acquire();
            PacketBuffer b = pool.acquire();
            a.segment().fill((byte) 0x11);
            b.segment().fill((byte) 0x22);
            for (int i = 0; i < 64; i++) {
                assertEquals(0x11, a.segment().get(ValueLayout.JAVA_BYTE, i));
            }
            a.release();
            b.release();
        }
    }

    @Test
    void exhaustionReturnsTheSentinelAndCountsIt() {
        try (PacketPool pool = PacketPool.builder().slotSize(64).slotsPerSlab(2).maxSlots(3).debug(false).build()) {
            PacketBuffer a = pool.acquire();
            PacketBuffer b = pool.acquire();
            PacketBuffer c = pool.acquire();
            assertEquals(3, pool.capacity(), "grows by slabs up to the cap, a partial last slab included");
            PacketBuffer none = pool.acquire();
            assertSame(PacketBuffer.NONE, none);
            assertTrue(none.isNone());
            assertEquals(0, none.capacity());
            assertEquals(1, pool.exhaustions());
            c.release();
            assertFalse(pool.acquire().isNone(), "a released slot is handed out again");
            assertEquals(1, pool.exhaustions());
            a.release();
            b.release();
        }
    }

    @Test
    void growsBySlabsOnlyWhenNeeded() {
        try (PacketPool pool = PacketPool.builder().slotSize(64).slotsPerSlab(4).maxSlots(100).initialSlabs(1).debug(false).build()) {
            assertEquals(4, pool.capacity());
            List<PacketBuffer> held = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                held.add(pool.acquire());
            }
            assertEquals(8, pool.capacity());
            held.forEach(PacketBuffer::release);
            for (int i = 0; i < 100; i++) {
                pool.acquire().release();
            }
            assertEquals(8, pool.capacity(), "steady acquire/release does not grow the pool");
        }
    }

    @Test
    void doubleReleaseThrowsInProductionMode() {
        try (PacketPool pool = PacketPool.builder().slotSize(64).debug(false).build()) {
            PacketBuffer a = pool.acquire();
            a.release();
            IllegalStateException e = assertThrows(IllegalStateException.class, a::release);
            assertTrue(e.getMessage().contains("released twice"), e.getMessage());
        }
    }

    @Test
    void releaseToTheWrongPoolIsRefused() {
        try (PacketPool one = PacketPool.builder().debug(false).build(); PacketPool other = PacketPool.builder().debug(false).build()) {
            PacketBuffer a = one.acquire();
            assertThrows(IllegalArgumentException.class, () -> other.release(a));
            a.release();
        }
    }

    @Test
    void lengthBeyondCapacityIsAMisuseThatSaysWhatToDo() {
        try (PacketPool pool = PacketPool.builder().slotSize(64).debug(false).build()) {
            PacketBuffer a = pool.acquire();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.length(65));
            assertTrue(e.getMessage().contains("slot size"), e.getMessage());
            a.length(64);
            assertEquals(64, a.contents().byteSize());
            a.release();
        }
    }

    @Test
    void debugModeDetectsUseAfterRelease() {
        try (PacketPool pool = PacketPool.builder().slotSize(64).debug(true).build()) {
            PacketBuffer a = pool.acquire();
            MemorySegment view = a.segment();
            view.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            a.release();
            assertThrows(IllegalStateException.class, a::segment, "the buffer refuses use after release");
            assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0),
                    "a segment taken before release is dead after it");
        }
    }

    @Test
    void debugModeDetectsReleaseThroughAStaleReference() {
        try (PacketPool pool = PacketPool.builder().slotSize(64).slotsPerSlab(1).maxSlots(1).debug(true).build()) {
            PacketBuffer first = pool.acquire();
            first.release();
            PacketBuffer second = pool.acquire();
            assertNotSame(first, second, "debug mode gives every acquisition its own handle");
            IllegalStateException e = assertThrows(IllegalStateException.class, first::release);
            assertEquals(1, e.getSuppressed().length, "the report names the current owner's acquisition site");
            second.release();
        }
    }

    @Test
    void debugModeReportsLeaksWithTheirAcquisitionSites() {
        PacketPool pool = PacketPool.builder().slotSize(64).debug(true).build();
        pool.acquire();
        PacketBuffer released = pool.acquire();
        pool.acquire();
        released.release();
        BufferLeakException atCheck = assertThrows(BufferLeakException.class, pool::checkNoLeaks);
        assertEquals(2, atCheck.leaked());
        assertEquals(2, atCheck.getSuppressed().length);
        assertTrue(atCheck.getSuppressed()[0].getStackTrace()[0].getClassName().startsWith(PacketPool.class.getName())
                || hasFrameOf(atCheck.getSuppressed()[0], PacketPoolTest.class), "the site names this test");
        BufferLeakException atClose = assertThrows(BufferLeakException.class, pool::close);
        assertEquals(2, atClose.leaked());
    }

    @Test
    void productionModeStillCountsLeaks() {
        PacketPool pool = PacketPool.builder().debug(false).build();
        pool.acquire();
        BufferLeakException e = assertThrows(BufferLeakException.class, pool::checkNoLeaks);
        assertTrue(e.getMessage().contains("enable debug mode"), e.getMessage());
        pool.close();
    }

    @Test
    void acquireAfterCloseIsRefused() {
        PacketPool pool = PacketPool.builder().debug(false).build();
        pool.close();
        assertThrows(IllegalStateException.class, pool::acquire);
    }

    @Test
    void builderRefusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> PacketPool.builder().slotSize(10));
        assertThrows(IllegalArgumentException.class, () -> PacketPool.builder().maxSlots(0));
        assertThrows(IllegalArgumentException.class, () -> PacketPool.builder().slotsPerSlab(0));
        assertThrows(IllegalArgumentException.class, () -> PacketPool.builder().initialSlabs(-1));
    }

    @Test
    void sentinelCannotBeReleased() {
        assertThrows(IllegalStateException.class, PacketBuffer.NONE::release);
    }

    private static boolean hasFrameOf(Throwable t, Class<?> type) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(type.getName())) {
                return true;
            }
        }
        return false;
    }
}
