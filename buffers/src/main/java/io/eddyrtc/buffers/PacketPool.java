package io.eddyrtc.buffers;

import io.eddyrtc.buffers.internal.jfr.PoolExhaustedEvent;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A pool of fixed-size off-heap packet slots, carved from slabs of one {@link Arena}.
 *
 * <p>{@link #acquire()} and {@link #release(PacketBuffer)} are O(1) and allocate nothing: every slot's
 * {@link PacketBuffer} and segment view are made when its slab is made. The pool starts with one
 * slab and adds slabs as needed up to {@code maxSlots}; once there, {@code acquire} returns
 * {@link PacketBuffer#NONE} and counts the refusal instead of throwing, so the packet path can drop.
 * Each slab has an arena of its own, so {@link #trim()} can give back the slabs a burst of traffic
 * added once their slots are all free again: the pool's memory follows its traffic too.
 *
 * <p>A slot may have several holders: {@link #retain(PacketBuffer)} adds one, {@link #release(PacketBuffer)}
 * drops one, and the slot is free when the last lets go. That is how one received packet, forwarded to many
 * peers, waits for their NACKs once instead of once per peer; holders beyond the first only read it.
 * Slots kept beyond one call (caches: RTX history, frame assembly) come from {@link #acquireToKeep()}, which
 * leaves an eighth of the pool for packets passing through.
 *
 * <p><b>Debug mode</b> (on in tests; {@code -Deddy.buffers.debug=true} or the builder) adds ownership
 * checks: every acquisition gets its own {@code PacketBuffer} and a segment view whose lifetime ends
 * at release, so use after release throws; double release names both sites; and
 * {@link #checkNoLeaks()} / {@link #close()} report every slot still held with the stack trace of
 * where it was acquired. Debug-mode buffers must be used by the thread that acquired them.
 * Double release is detected in production mode too (it is API misuse and always throws).
 *
 * <p>A pool is not thread-safe: like an {@code Rtc}, it belongs to one thread at a time.
 */
public final class PacketPool implements AutoCloseable {
    public static final int DEFAULT_SLOT_SIZE = 2048;
    public static final int DEFAULT_SLOTS_PER_SLAB = 256;
    public static final int DEFAULT_MAX_SLOTS = 64 * 1024;
    private static final long SLAB_ALIGNMENT = 64;

    private final int slotSize;
    private final int slotsPerSlab;
    private final int maxSlots;
    private final boolean debug;

    private MemorySegment[] slotSegments = new MemorySegment[0];
    private PacketBuffer[] buffers = new PacketBuffer[0];
    /** Holders per slot: 0 when free. */
    private int[] holders = new int[0];
    private Throwable[] acquiredAt = new Throwable[0];
    private Arena[] lifetimes = new Arena[0];
    private int[] free = new int[0];
    private int freeCount;
    private int capacity;
    private boolean closed;
    /** Per slab range k (slots {@code k * slotsPerSlab} on): its arena (null once trimmed), slots, free slots. */
    private Arena[] slabArenas = new Arena[0];
    private int[] slabSlots = new int[0];
    private int[] slabFree = new int[0];
    private final int keptSlabs;

    private long acquisitions;
    private long exhaustions;
    private long keepRefusals;
    /**
     * Dry: an acquisition was refused and an eighth of the slots has not come free since. An episode is one
     * {@code io.eddyrtc.PoolExhausted} event in a flight recording (null when none was recording at its start).
     */
    private boolean dry;
    private long exhaustionsBeforeDry;
    private PoolExhaustedEvent dryEpisode;

    private PacketPool(Builder b) {
        this.slotSize = b.slotSize;
        this.slotsPerSlab = b.slotsPerSlab;
        this.maxSlots = b.maxSlots;
        this.debug = b.debug;
        this.keptSlabs = Math.max(1, b.initialSlabs);
        for (int i = 0; i < b.initialSlabs && capacity < maxSlots; i++) {
            addSlab();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes a free slot, with length 0. Returns {@link PacketBuffer#NONE} (and counts it) when every
     * slot up to the configured maximum is in use.
     */
    public PacketBuffer acquire() {
        if (closed) {
            throw new IllegalStateException("PacketPool is closed; acquire buffers before closing it");
        }
        if (freeCount == 0 && !addSlab()) {
            if (!dry) {
                dry = true;
                exhaustionsBeforeDry = exhaustions;
                dryEpisode = PoolExhaustedEvent.beginIfEnabled(this, maxSlots, slotSize);
            }
            exhaustions++;
            return PacketBuffer.NONE;
        }
        int slot = free[--freeCount];
        holders[slot] = 1;
        slabFree[slot / slotsPerSlab]--;
        acquisitions++;
        PacketBuffer buffer = buffers[slot];
        if (debug) {
            buffer = debugAcquire(slot);
        }
        buffer.length(0);
        return buffer;
    }

    /**
     * Takes a free slot to keep beyond the current call (a cache entry), as {@link #acquire()} does, unless
     * that would leave fewer than an eighth of the pool's slots for packets passing through: then returns
     * {@link PacketBuffer#NONE} and counts it in {@link #keepRefusals()}, so caches give way before sending
     * and receiving do.
     */
    public PacketBuffer acquireToKeep() {
        if (maxSlots - inUse() <= maxSlots / 8) {
            keepRefusals++;
            return PacketBuffer.NONE;
        }
        return acquire();
    }

    /**
     * Adds a holder to an acquired slot: it stays out of the pool until every holder has released it. A
     * second holder only reads the slot (see the class comment).
     */
    public void retain(PacketBuffer buffer) {
        int slot = owned(buffer);
        holders[slot]++;
    }

    /** How many holders {@code buffer}'s slot has (0 once it is free). */
    public int holders(PacketBuffer buffer) {
        if (buffer.pool != this) {
            throw new IllegalArgumentException(buffer + " does not belong to this pool");
        }
        return buffer.slot < buffers.length && buffer == buffers[buffer.slot] ? holders[buffer.slot] : 0;
    }

    /**
     * Drops one holder of a slot; the last one returns it to the pool. Throws if it was not acquired from
     * this pool or is already free.
     */
    public void release(PacketBuffer buffer) {
        int slot = owned(buffer);
        if (--holders[slot] > 0) {
            return;
        }
        if (debug) {
            buffer.released = true;
            lifetimes[slot].close();
            lifetimes[slot] = null;
            acquiredAt[slot] = new Throwable("released here");
        }
        free[freeCount++] = slot;
        slabFree[slot / slotsPerSlab]++;
        if (dry && maxSlots - inUse() >= Math.max(1, maxSlots / 8)) {
            endDryEpisode();
        }
    }

    private void endDryEpisode() {
        dry = false;
        if (dryEpisode != null) {
            dryEpisode.finish(exhaustions - exhaustionsBeforeDry);
            dryEpisode = null;
        }
    }

    /**
     * Gives back to the system every slab whose slots are all free, beyond the first {@code initialSlabs}
     * (at least one): what a burst of traffic made the pool grow by goes once the burst is over. Not on the
     * packet path — the pool's owner calls it now and then (a server loop once a second). Allocates only to
     * rebuild the free list. Returns the slots given back.
     */
    public int trim() {
        int released = 0;
        int live = 0;
        for (int k = 0; k < slabArenas.length; k++) {
            if (slabArenas[k] == null) {
                continue;
            }
            if (++live <= keptSlabs || slabFree[k] != slabSlots[k]) {
                continue;
            }
            int start = k * slotsPerSlab;
            for (int slot = start; slot < start + slabSlots[k]; slot++) {
                slotSegments[slot] = null;
                buffers[slot] = null;
            }
            slabArenas[k].close();
            slabArenas[k] = null;
            capacity -= slabSlots[k];
            released += slabSlots[k];
            slabSlots[k] = 0;
            slabFree[k] = 0;
        }
        if (released > 0) {
            int n = 0;
            for (int i = 0; i < freeCount; i++) {
                if (buffers[free[i]] != null) {
                    free[n++] = free[i];
                }
            }
            freeCount = n;
        }
        return released;
    }

    /** The slot of {@code buffer}, checked to be this pool's and held. */
    private int owned(PacketBuffer buffer) {
        if (buffer.pool != this) {
            throw new IllegalArgumentException(buffer + " does not belong to this pool; release it to the pool it came from");
        }
        int slot = buffer.slot;
        if (slot >= holders.length || holders[slot] == 0 || buffer != buffers[slot]) {
            throw doubleRelease(slot);
        }
        return slot;
    }

    /** Slots currently acquired. */
    public int inUse() {
        return capacity - freeCount;
    }

    /** Slots that exist now (grows by slabs up to {@link #maxSlots()}). */
    public int capacity() {
        return capacity;
    }

    public int maxSlots() {
        return maxSlots;
    }

    public int slotSize() {
        return slotSize;
    }

    public boolean isDebug() {
        return debug;
    }

    /** How many times {@link #acquire()} succeeded. */
    public long acquisitions() {
        return acquisitions;
    }

    /** How many times {@link #acquire()} returned {@link PacketBuffer#NONE}. */
    public long exhaustions() {
        return exhaustions;
    }

    /** How many times {@link #acquireToKeep()} refused to let a cache take one of the last free slots. */
    public long keepRefusals() {
        return keepRefusals;
    }

    /**
     * Throws {@link BufferLeakException} if any slot is still acquired; in debug mode the exception
     * carries where each one was acquired.
     */
    public void checkNoLeaks() {
        int held = inUse();
        if (held == 0) {
            return;
        }
        BufferLeakException e = new BufferLeakException(held, held + " packet buffer(s) of " + capacity
                + " were never released" + (debug ? "; acquisition sites attached" : "; enable debug mode to see where they were acquired"));
        if (debug) {
            for (int slot = 0; slot < holders.length; slot++) {
                if (holders[slot] > 0) {
                    e.addSuppressed(acquiredAt[slot]);
                }
            }
        }
        throw e;
    }

    /**
     * Frees all slabs. In debug mode, throws {@link BufferLeakException} (after freeing) if slots were
     * still held.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        BufferLeakException leak = null;
        if (debug) {
            try {
                checkNoLeaks();
            } catch (BufferLeakException e) {
                leak = e;
            }
            for (Arena lifetime : lifetimes) {
                if (lifetime != null) {
                    lifetime.close();
                }
            }
        }
        if (dry) {
            endDryEpisode();
        }
        closed = true;
        for (Arena slab : slabArenas) {
            if (slab != null) {
                slab.close();
            }
        }
        if (leak != null) {
            throw leak;
        }
    }

    private PacketBuffer debugAcquire(int slot) {
        Arena lifetime = Arena.ofConfined();
        lifetimes[slot] = lifetime;
        acquiredAt[slot] = new Throwable("packet buffer slot " + slot + " acquired here");
        // A view of the same memory whose lifetime ends at release: a later access throws.
        MemorySegment view = slotSegments[slot].reinterpret(lifetime, null);
        PacketBuffer buffer = new PacketBuffer(this, slot, view);
        buffers[slot] = buffer;
        return buffer;
    }

    private IllegalStateException doubleRelease(int slot) {
        IllegalStateException e = new IllegalStateException("packet buffer slot " + slot
                + " released twice (or released through a stale reference); release each buffer once per acquire or retain");
        if (debug && acquiredAt[slot] != null) {
            e.addSuppressed(acquiredAt[slot]);
        }
        return e;
    }

    /**
     * Adds one slab if the cap allows, in the first slab range {@link #trim()} emptied or else a new one at the
     * end. Growth is the only place the pool allocates.
     */
    private boolean addSlab() {
        int add = Math.min(slotsPerSlab, maxSlots - capacity);
        if (add <= 0) {
            return false;
        }
        int k = 0;
        while (k < slabArenas.length && slabArenas[k] != null) {
            k++;
        }
        if (k == slabArenas.length) {
            int ranges = k + 1;
            int slots = ranges * slotsPerSlab;
            slabArenas = Arrays.copyOf(slabArenas, ranges);
            slabSlots = Arrays.copyOf(slabSlots, ranges);
            slabFree = Arrays.copyOf(slabFree, ranges);
            slotSegments = Arrays.copyOf(slotSegments, slots);
            buffers = Arrays.copyOf(buffers, slots);
            holders = Arrays.copyOf(holders, slots);
            free = Arrays.copyOf(free, slots);
            if (debug) {
                acquiredAt = Arrays.copyOf(acquiredAt, slots);
                lifetimes = Arrays.copyOf(lifetimes, slots);
            }
        }
        Arena slabArena = Arena.ofShared();
        MemorySegment slab = slabArena.allocate((long) add * slotSize, SLAB_ALIGNMENT);
        slabArenas[k] = slabArena;
        slabSlots[k] = add;
        slabFree[k] = add;
        int start = k * slotsPerSlab;
        // Push in reverse so the lowest slot of the new slab is handed out first.
        for (int i = add - 1; i >= 0; i--) {
            int slot = start + i;
            slotSegments[slot] = slab.asSlice((long) i * slotSize, slotSize);
            buffers[slot] = new PacketBuffer(this, slot, slotSegments[slot]);
            free[freeCount++] = slot;
        }
        capacity += add;
        return true;
    }

    /** Validated settings for a {@link PacketPool}. */
    public static final class Builder {
        private int slotSize = DEFAULT_SLOT_SIZE;
        private int slotsPerSlab = DEFAULT_SLOTS_PER_SLAB;
        private int maxSlots = DEFAULT_MAX_SLOTS;
        private int initialSlabs = 1;
        private boolean debug = Boolean.getBoolean("eddy.buffers.debug");

        private Builder() {
        }

        /** Bytes per slot; the largest datagram a slot can hold. Default 2048. */
        public Builder slotSize(int bytes) {
            if (bytes < 64 || bytes > 65536) {
                throw new IllegalArgumentException("slotSize " + bytes + " must be between 64 and 65536 bytes");
            }
            this.slotSize = bytes;
            return this;
        }

        /** Slots added per growth step. Default 256. */
        public Builder slotsPerSlab(int slots) {
            if (slots < 1) {
                throw new IllegalArgumentException("slotsPerSlab must be at least 1, was " + slots);
            }
            this.slotsPerSlab = slots;
            return this;
        }

        /** The cap: beyond this many slots acquire returns {@link PacketBuffer#NONE}. Default 65536. */
        public Builder maxSlots(int slots) {
            if (slots < 1) {
                throw new IllegalArgumentException("maxSlots must be at least 1, was " + slots);
            }
            this.maxSlots = slots;
            return this;
        }

        /** Slabs made up front, so the first packets do not pay for growth. Default 1. */
        public Builder initialSlabs(int slabs) {
            if (slabs < 0) {
                throw new IllegalArgumentException("initialSlabs must not be negative, was " + slabs);
            }
            this.initialSlabs = slabs;
            return this;
        }

        /** Ownership checks with acquisition sites; default from {@code -Deddy.buffers.debug}. */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        public PacketPool build() {
            return new PacketPool(this);
        }
    }
}
