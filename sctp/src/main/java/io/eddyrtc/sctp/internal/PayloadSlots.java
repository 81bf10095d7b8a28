package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;

/**
 * Where an association keeps the user data it holds — fragments waiting for reassembly or their turn, messages
 * lent to the reader, chunks queued or waiting for their acknowledgement — in slots of a shared
 * {@link PacketPool}, each charged in full to the owner's {@link MemoryBudget}. Past the budget, or with the pool
 * short of slots to keep, a request is refused and the caller does without (a chunk refused and counted, a write
 * refused). Without a pool every payload is a heap array: an association used on its own.
 */
public final class PayloadSlots {
    private final PacketPool pool;
    private final MemoryBudget budget;

    /** Slots of {@code pool} (null: heap arrays instead), charged to {@code budget}. */
    public PayloadSlots(PacketPool pool, MemoryBudget budget) {
        this.pool = pool;
        this.budget = budget;
    }

    /** Whether payloads go into pool slots at all. */
    public boolean pooled() {
        return pool != null;
    }

    /** The bytes a slot holds: longer payloads live on the heap. 0 without a pool. */
    public int slotSize() {
        return pool == null ? 0 : pool.slotSize();
    }

    /** A slot to keep, charged; {@link PacketBuffer#NONE} without a pool, past the budget or with the pool short. */
    public PacketBuffer take() {
        if (!charge(1)) {
            return PacketBuffer.NONE;
        }
        PacketBuffer slot = pool.acquireToKeep();
        if (slot.isNone()) {
            uncharge(1);
        }
        return slot;
    }

    /**
     * Charges {@code slots} slots at once, for a message that must be kept whole or not at all; false (a refusal
     * the budget counts) without a pool or past the budget. Fill them with {@link #takeCharged()}.
     */
    public boolean charge(int slots) {
        return pool != null && budget.tryCharge((long) slots * pool.slotSize());
    }

    /** A slot for a charge already made; {@link PacketBuffer#NONE} with the pool short (the charge stays). */
    public PacketBuffer takeCharged() {
        return pool.acquireToKeep();
    }

    /** Takes back the charge of {@code slots} slots that were never filled. */
    public void uncharge(int slots) {
        budget.release((long) slots * pool.slotSize());
    }

    /** Gives back a charged slot: the charge goes, and the slot once its other holders let go. */
    public void give(PacketBuffer slot) {
        uncharge(1);
        slot.release();
    }
}
