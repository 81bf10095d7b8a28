package io.eddyrtc.buffers;

import java.lang.foreign.MemorySegment;

/**
 * One slot of a {@link PacketPool}: a fixed-capacity off-heap segment and the length of the datagram
 * it currently holds. It has a single owner at a time; the owner hands it on or calls
 * {@link #release()}. After release the buffer and any segment taken from it must not be used
 * (in debug mode doing so throws).
 *
 * <p>{@link #NONE} is the sentinel that {@link PacketPool#acquire()} returns when the pool is
 * exhausted: test it with {@link #isNone()}. It has no capacity, so writing into it by mistake fails
 * at once.
 */
public final class PacketBuffer {
    /** Returned by {@link PacketPool#acquire()} when no slot is free. */
    public static final PacketBuffer NONE = new PacketBuffer(null, -1, MemorySegment.ofArray(new byte[0]));

    final PacketPool pool;
    final int slot;
    MemorySegment segment;
    private final MemorySegment readOnly;
    private int length;
    boolean released;

    PacketBuffer(PacketPool pool, int slot, MemorySegment segment) {
        this.pool = pool;
        this.slot = slot;
        this.segment = segment;
        this.readOnly = segment.asReadOnly();
    }

    /** True for the exhaustion sentinel {@link #NONE}. */
    public boolean isNone() {
        return pool == null;
    }

    /** The whole slot, {@link #capacity()} bytes; the datagram is its first {@link #length()} bytes. */
    public MemorySegment segment() {
        if (released) {
            throw new IllegalStateException("PacketBuffer slot " + slot + " was used after release; "
                    + "keep a buffer only until you release it or hand it on");
        }
        return segment;
    }

    /**
     * The same memory as {@link #segment()}, read-only: what a holder that shares the slot (see
     * {@link #retain()}) or a caller lent a view of it gets, so nobody changes bytes another holder keeps.
     * Made once with the buffer, so handing it out allocates nothing.
     */
    public MemorySegment readOnlySegment() {
        if (released) {
            throw new IllegalStateException("PacketBuffer slot " + slot + " was used after release; "
                    + "keep a buffer only until you release it or hand it on");
        }
        return readOnly;
    }

    public int capacity() {
        return (int) segment.byteSize();
    }

    /** Bytes of the slot that hold data. */
    public int length() {
        return length;
    }

    /** Sets how many bytes of the slot hold data. */
    public PacketBuffer length(int length) {
        if (length < 0 || length > capacity()) {
            throw new IllegalArgumentException("length " + length + " outside this buffer's capacity "
                    + capacity() + "; configure a larger PacketPool slot size");
        }
        this.length = length;
        return this;
    }

    /**
     * A segment of exactly the data bytes. This creates a slice object, so hot paths use
     * {@link #segment()} with {@link #length()} instead.
     */
    public MemorySegment contents() {
        return segment().asSlice(0, length);
    }

    /** Adds a holder (see {@link PacketPool#retain}): the slot stays until each holder has released it. */
    public PacketBuffer retain() {
        if (pool == null) {
            throw new IllegalStateException("PacketBuffer.NONE is the exhaustion sentinel and cannot be held");
        }
        pool.retain(this);
        return this;
    }

    /** Drops this holder; the last one returns the slot to its pool. */
    public void release() {
        if (pool == null) {
            throw new IllegalStateException("PacketBuffer.NONE is the exhaustion sentinel and was never acquired");
        }
        pool.release(this);
    }

    @Override
    public String toString() {
        return isNone() ? "PacketBuffer.NONE" : "PacketBuffer[slot=" + slot + ", length=" + length + "]";
    }
}
