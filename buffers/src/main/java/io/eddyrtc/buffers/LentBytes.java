package io.eddyrtc.buffers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The bytes behind a lent message view: {@code length} bytes at the start of a pool slot the view holds, or of a
 * heap segment when the message did not fit a slot. SCTP's, the data channels' and the {@code Rtc}'s message views
 * each keep one, so pointing at bytes, handing the slot back, reading and copying them is written once.
 */
public final class LentBytes {
    private static final MemorySegment NO_BYTES = MemorySegment.ofArray(new byte[0]).asReadOnly();

    private int length;
    private PacketBuffer slot = PacketBuffer.NONE;
    private MemorySegment heap = NO_BYTES;

    /** Bytes of their own: {@code data} as it is, valid for as long as they are referenced. */
    public static LentBytes of(byte[] data) {
        LentBytes bytes = new LentBytes();
        bytes.lend(PacketBuffer.NONE, MemorySegment.ofArray(data).asReadOnly(), data.length);
        return bytes;
    }

    /**
     * Points at {@code length} bytes in {@code slot}, which this then holds (a holder of its own), or, when the slot
     * is {@link PacketBuffer#NONE}, at the start of {@code heap} (null for none).
     */
    public void lend(PacketBuffer slot, MemorySegment heap, int length) {
        this.slot = slot;
        this.heap = slot.isNone() && heap != null ? heap : NO_BYTES;
        this.length = length;
    }

    /** Ends the loan: the slot held ({@link PacketBuffer#NONE} if none) for the caller to release, nothing pointed at. */
    public PacketBuffer endLoan() {
        PacketBuffer held = slot;
        slot = PacketBuffer.NONE;
        heap = NO_BYTES;
        length = 0;
        return held;
    }

    /** The slot the bytes lie in, {@link PacketBuffer#NONE} when they are on the heap. */
    public PacketBuffer slot() {
        return slot;
    }

    /** How many bytes. */
    public int length() {
        return length;
    }

    /** The bytes: the first {@link #length()} bytes of this read-only segment (it may be longer: a whole slot). */
    public MemorySegment segment() {
        return slot.isNone() ? heap : slot.readOnlySegment();
    }

    /** A copy of the bytes (allocates). */
    public byte[] copy() {
        return segment().asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * The slot with one more holder, for keeping the bytes past the loan without a copy (the caller releases it);
     * {@link PacketBuffer#NONE} when the bytes are on the heap.
     */
    public PacketBuffer retainSlot() {
        return slot.isNone() ? PacketBuffer.NONE : slot.retain();
    }
}
