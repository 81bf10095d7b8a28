package io.eddyrtc.sctp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.sctp.SctpDropReason;
import org.junit.jupiter.api.Test;

/**
 * How much work reassembly does per message, counted, not timed: the comparisons its indexes make and the held pieces
 * its loops visit ({@code Reassembly.steps()}). A message that completes among n unfinished ones must cost O(log n):
 * a walk over what is held would cost O(n) and let a peer make each message quadratic.
 */
class ReassemblyWorkTest {
    private static final int BEGIN = SctpPacket.DATA_BEGIN;
    private static final int END = SctpPacket.DATA_END;
    private static final int UNORDERED = SctpPacket.DATA_UNORDERED;

    @Test
    void aMessageCompletingAmongManyHeldCostsWorkThatGrowsWithTheLogarithmOfThem() {
        double thousand = stepsPerMessage(1_000);
        double tenThousand = stepsPerMessage(10_000);
        // ten times as much held: log2 grows by a third (13.3 / 10), a walk over everything held ten times
        assertTrue(tenThousand < 2 * thousand, "per message " + thousand + " steps among 1,000 held, " + tenThousand
                + " among 10,000: more than logarithmic growth");
        assertTrue(tenThousand < 40 * log2(20_000), tenThousand + " steps per message among 20,000 held fragments");
    }

    @Test
    void theCountSeesAWalkOverWhatIsHeld() {
        // the measure counts every comparison the indexes make: a lookup that walks them is visible in it
        Reassembly r = new Reassembly(1 << 18, new PayloadSlots(null, MemoryBudget.unlimited()), new Count());
        for (int i = 0; i < 1_000; i++) {
            r.add(2L * i + 1, 1, 0, 53, BEGIN | UNORDERED, PacketBuffer.NONE, new byte[] {1}, 1);
        }
        long before = r.steps();
        r.discardThrough(2_000); // visits each of the 1,000 held fragments once
        assertTrue(r.steps() - before >= 1_000, "discarding 1,000 held fragments took " + (r.steps() - before) + " steps");
        assertEquals(0, r.heldCount());
    }

    /**
     * Unordered messages of two fragments, each completed while {@code held} unfinished messages (a BEGIN that never
     * ends, below each) and the other messages' first halves are held; the average steps to complete one.
     */
    private static double stepsPerMessage(int held) {
        Count listener = new Count();
        Reassembly r = new Reassembly(1 << 18, new PayloadSlots(null, MemoryBudget.unlimited()), listener);
        for (int i = 0; i < held; i++) {
            r.add(3L * i + 1, 1, 0, 53, BEGIN | UNORDERED, PacketBuffer.NONE, new byte[] {1}, 1);
            r.add(3L * i + 2, 1, 0, 53, BEGIN | UNORDERED, PacketBuffer.NONE, new byte[] {2}, 1);
        }
        long before = r.steps();
        for (int i = 0; i < held; i++) {
            r.add(3L * i + 3, 1, 0, 53, END | UNORDERED, PacketBuffer.NONE, new byte[] {3}, 1);
        }
        assertEquals(held, listener.messages, "every message completed");
        assertEquals(held, r.heldCount(), "the unfinished ones are still held");
        return (double) (r.steps() - before) / held;
    }

    private static double log2(double n) {
        return Math.log(n) / Math.log(2);
    }

    /** Counts what reassembly hands out. */
    private static final class Count implements AssociationListener {
        int messages;

        @Override
        public void message(int stream, int ppid, PacketBuffer slot, byte[] heap, int length) {
            messages++;
        }

        @Override
        public void streamsReset(int[] streams) {
        }

        @Override
        public void outgoingStreamsReset(int[] streams) {
        }

        @Override
        public void bufferedAmountLow(int stream) {
        }

        @Override
        public void dropped(SctpDropReason reason) {
        }
    }
}
