package io.eddyrtc.engine.stream;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The packets a send stream may be asked to retransmit: the last {@code capacity} packets by extended
 * sequence number, each copied into a preallocated fixed-size slot of one slab, forgotten after
 * {@code maxAgeNanos}. Slot = extended sequence number modulo capacity, so a put overwrites the packet
 * {@code capacity} numbers older. Allocates only at construction.
 */
public final class RtxCache {
    private final int capacity;
    private final int slotBytes;
    private final long maxAgeNanos;
    private final MemorySegment slab;
    private final long[] sequence; // extended number + 1, 0 when empty
    private final long[] storedAt;
    private final int[] length;
    private long tooLarge;

    public RtxCache(int capacity, int slotBytes, long maxAgeNanos) {
        if (capacity < 1 || slotBytes < 12 || maxAgeNanos < 0) {
            throw new IllegalArgumentException("an RTX cache needs capacity ≥ 1, slots ≥ 12 bytes and an age ≥ 0; got "
                    + capacity + ", " + slotBytes + ", " + maxAgeNanos);
        }
        this.capacity = capacity;
        this.slotBytes = slotBytes;
        this.maxAgeNanos = maxAgeNanos;
        this.slab = MemorySegment.ofArray(new byte[Math.multiplyExact(capacity, slotBytes)]);
        this.sequence = new long[capacity];
        this.storedAt = new long[capacity];
        this.length = new int[capacity];
    }

    /**
     * Copies the packet {@code packet[offset, offset+len)} with extended number {@code extendedSequence}
     * into its slot. A packet larger than a slot is not kept (counted in {@link #tooLargeCount()}).
     */
    public void put(long now, long extendedSequence, MemorySegment packet, long offset, int len) {
        int slot = (int) Math.floorMod(extendedSequence, (long) capacity);
        if (len > slotBytes || len < 0) {
            tooLarge++;
            sequence[slot] = 0;
            return;
        }
        MemorySegment.copy(packet, offset, slab, (long) slot * slotBytes, len);
        sequence[slot] = extendedSequence + 1;
        storedAt[slot] = now;
        length[slot] = len;
    }

    /** The slot holding {@code extendedSequence} if cached and not older than the max age at {@code now}, else -1. */
    public int find(long now, long extendedSequence) {
        int slot = (int) Math.floorMod(extendedSequence, (long) capacity);
        if (sequence[slot] != extendedSequence + 1 || now - storedAt[slot] > maxAgeNanos) {
            return -1;
        }
        return slot;
    }

    /** The slab every slot lives in. */
    public MemorySegment slab() {
        return slab;
    }

    public long slotOffset(int slot) {
        return (long) slot * slotBytes;
    }

    public int length(int slot) {
        return length[slot];
    }

    public int capacity() {
        return capacity;
    }

    public long tooLargeCount() {
        return tooLarge;
    }

    /** Forgets everything (e.g. on an SSRC change). */
    public void clear() {
        Arrays.fill(sequence, 0);
    }
}
