package io.eddyrtc.engine.stream;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The packets a send stream may be asked to retransmit: what it sent in the last {@code windowNanos}, each in a
 * slot of a shared {@link PacketPool}, found by extended sequence number. Memory follows the stream's rate:
 * the index is a ring that doubles when a packet younger than the window would be overwritten (up to
 * {@code maxPackets}) and halves once it has held at most a quarter of its entries for
 * {@value #SPARSE_WINDOWS_BEFORE_SHRINK} windows in a row; {@link #expire} gives back the slots of packets older
 * than the window, so an idle stream holds no slot, and soon after a ring of {@value #MIN_RING} entries. The
 * wait keeps a rate that swings (a loaded host, bursts of frames) from growing and shrinking the ring — a new
 * ring each time — over and over.
 *
 * <p>A packet is kept one of two ways. {@link #put} copies it into a slot of its own. {@link #putShared}
 * keeps a packet another holder has in a slot already — an SFU forwarding one received packet to many
 * subscribers — by adding itself as a holder ({@link PacketBuffer#retain()}) and noting only what this stream
 * rewrites in its header that an RTX packet carries (the sequence number, as its key, and the timestamp); the
 * shared slot is never written, and the RTX packet made from it takes the rewrite.
 *
 * <p>Every slot and every index entry is charged to a {@link MemoryBudget}; past it, or when the pool keeps
 * its last slots for packets in flight ({@link PacketPool#acquireToKeep()}), a packet is not kept and
 * counted ({@link #refused()}). Allocates only when the ring changes size.
 */
public final class RtxHistory {
    /** Ring entries an idle stream keeps. */
    static final int MIN_RING = 16;
    /**
     * Heap bytes per ring entry: a slot reference, the number, the time, the rewritten timestamp and VP8 numbers,
     * shared or not.
     */
    static final int ENTRY_BYTES = 4 + 8 + 8 + 4 + 4 + 1;
    /** Windows the ring must stay at most a quarter full before it halves. */
    static final int SPARSE_WINDOWS_BEFORE_SHRINK = 4;
    private static final long NOT_SPARSE = Long.MIN_VALUE;

    private final PacketPool pool;
    private final MemoryBudget budget;
    private final long windowNanos;
    private final int maxPackets;

    private PacketBuffer[] slots;
    private long[] sequence; // extended number + 1, 0 when empty
    private long[] storedAt;
    private int[] timestamp; // shared entries: this stream's timestamp
    private int[] vp8Numbers; // shared entries: this stream's VP8 picture id and TL0PICIDX, packed (see pack)
    private boolean[] shared;
    private int held;
    /** What the ring itself is charged to the budget (nothing if the budget had no room for it). */
    private long ringCharged;
    /** Since when every expiry found the ring at most a quarter full, or {@link #NOT_SPARSE}. */
    private long sparseSince = NOT_SPARSE;
    private long refused;
    private long tooLarge;

    /**
     * @param windowNanos how long a packet is kept (libwebrtc keeps about a second, or three round trips)
     * @param maxPackets  the most packets kept, whatever the rate (rounded up to a power of two)
     */
    public RtxHistory(PacketPool pool, MemoryBudget budget, long windowNanos, int maxPackets) {
        if (windowNanos <= 0 || maxPackets < 1) {
            throw new IllegalArgumentException("an RTX history needs a positive window and room for a packet; got "
                    + windowNanos + " ns, " + maxPackets + " packets");
        }
        this.pool = pool;
        this.budget = budget;
        this.windowNanos = windowNanos;
        this.maxPackets = Math.max(MIN_RING, Integer.highestOneBit(maxPackets - 1) << 1);
        resize(MIN_RING);
    }

    /**
     * Copies {@code packet[offset, offset+length)}, sent at {@code now} with extended number
     * {@code extendedSequence}, into a slot of its own.
     */
    public void put(long now, long extendedSequence, MemorySegment packet, long offset, int length) {
        if (length < 0 || length > pool.slotSize()) {
            tooLarge++;
            return;
        }
        int i = entryFor(now, extendedSequence);
        if (i < 0 || !budget.tryCharge(pool.slotSize())) {
            refused++;
            return;
        }
        PacketBuffer slot = pool.acquireToKeep();
        if (slot.isNone()) {
            budget.release(pool.slotSize());
            refused++;
            return;
        }
        MemorySegment.copy(packet, offset, slot.segment(), 0, length);
        slot.length(length);
        store(i, now, extendedSequence, slot, false, 0);
    }

    /**
     * Keeps the packet in {@code source} (which someone else holds and nobody writes any more) without a copy:
     * this history becomes one more holder of the slot, and remembers that this stream sent it with
     * {@code extendedSequence}'s low 16 bits as its sequence number, {@code rewrittenTimestamp}, and for VP8
     * {@code vp8PictureId} and {@code vp8Tl0PicIdx} in its descriptor (-1: as in {@code source}). The slot
     * counts against this history's budget in full: it is what this stream alone would keep alive.
     */
    public void putShared(long now, long extendedSequence, PacketBuffer source, long rewrittenTimestamp, int vp8PictureId,
                          int vp8Tl0PicIdx) {
        int i = entryFor(now, extendedSequence);
        if (i < 0 || !budget.tryCharge(pool.slotSize())) {
            refused++;
            return;
        }
        store(i, now, extendedSequence, source.retain(), true, (int) rewrittenTimestamp);
        vp8Numbers[i] = pack(vp8PictureId, vp8Tl0PicIdx);
    }

    /** Picture id in bits 0-15 and TL0PICIDX in bits 16-24, each stored plus one so that 0 means none. */
    private static int pack(int pictureId, int tl0PicIdx) {
        return (pictureId < 0 ? 0 : (pictureId & 0x7FFF) + 1) | (tl0PicIdx < 0 ? 0 : ((tl0PicIdx & 0xFF) + 1) << 16);
    }

    /** The entry for {@code extendedSequence} at {@code now}, emptied and ready, or -1 if its index cannot grow. */
    private int entryFor(long now, long extendedSequence) {
        int i = index(extendedSequence);
        if (slots[i] != null && sequence[i] != extendedSequence + 1 && now - storedAt[i] <= windowNanos) {
            // a packet still inside the window sits where this one goes: the ring is too small for the rate
            if (slots.length < maxPackets && resize(slots.length * 2)) {
                i = index(extendedSequence);
            }
        }
        if (slots[i] != null) {
            free(i);
        }
        return i;
    }

    private void store(int i, long now, long extendedSequence, PacketBuffer slot, boolean isShared, int ts) {
        slots[i] = slot;
        sequence[i] = extendedSequence + 1;
        storedAt[i] = now;
        shared[i] = isShared;
        timestamp[i] = ts;
        vp8Numbers[i] = 0;
        held++;
    }

    /**
     * The entry holding {@code extendedSequence} if it is kept and not older than the window at {@code now},
     * else -1. Read it with {@link #packet}, {@link #length}, {@link #isShared}, {@link #rewrittenTimestamp},
     * {@link #rewrittenPictureId} and {@link #rewrittenTl0PicIdx}.
     */
    public int find(long now, long extendedSequence) {
        int i = index(extendedSequence);
        if (slots[i] == null || sequence[i] != extendedSequence + 1 || now - storedAt[i] > windowNanos) {
            return -1;
        }
        return i;
    }

    /** The packet of entry {@code i} as it was first sent; read only (a shared slot has other holders). */
    public MemorySegment packet(int i) {
        return slots[i].readOnlySegment();
    }

    public int length(int i) {
        return slots[i].length();
    }

    /** Whether entry {@code i} shares another holder's slot: its header is not this stream's (see {@link #putShared}). */
    public boolean isShared(int i) {
        return shared[i];
    }

    /** The timestamp this stream sent shared entry {@code i} with. */
    public long rewrittenTimestamp(int i) {
        return timestamp[i] & 0xFFFF_FFFFL;
    }

    /** The VP8 picture id shared entry {@code i} went out with, or -1: the packet's own. */
    public int rewrittenPictureId(int i) {
        return (vp8Numbers[i] & 0xFFFF) - 1;
    }

    /** The VP8 TL0PICIDX shared entry {@code i} went out with, or -1: the packet's own. */
    public int rewrittenTl0PicIdx(int i) {
        return (vp8Numbers[i] >>> 16) - 1;
    }

    /**
     * Gives back the slots of packets older than the window at {@code now}, and halves the ring while it is
     * at most a quarter full, once it has been so at every expiry for {@value #SPARSE_WINDOWS_BEFORE_SHRINK}
     * windows: a stream that went quiet ends with no slot and the smallest ring.
     */
    public void expire(long now) {
        if (held == 0 && slots.length == MIN_RING) {
            return;
        }
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null && now - storedAt[i] > windowNanos) {
                free(i);
            }
        }
        if (slots.length == MIN_RING || held * 4 > slots.length) {
            sparseSince = NOT_SPARSE;
            return;
        }
        if (sparseSince == NOT_SPARSE) {
            sparseSince = now;
        }
        if ((now - sparseSince) / SPARSE_WINDOWS_BEFORE_SHRINK < windowNanos) { // divided: a long window must not overflow
            return;
        }
        int size = slots.length;
        while (size > MIN_RING && held * 4 <= size) {
            size /= 2;
        }
        resize(size);
        sparseSince = NOT_SPARSE;
    }

    /** Gives every slot back and returns the ring to its smallest size (the stream is going away). */
    public void clear() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                free(i);
            }
        }
        if (slots.length != MIN_RING) {
            resize(MIN_RING);
        }
        sparseSince = NOT_SPARSE;
    }

    /** Packets held now. */
    public int held() {
        return held;
    }

    /** The ring's size now: about the packets the stream sends in a window, rounded up to a power of two. */
    public int ringSize() {
        return slots.length;
    }

    /** Packets not kept: over the budget, the ring at {@code maxPackets} and full... or the pool keeping its last slots. */
    public long refused() {
        return refused;
    }

    /** Packets larger than a pool slot, not kept. */
    public long tooLargeCount() {
        return tooLarge;
    }

    /** Bytes held: the slots (a shared one in full) and the ring. */
    public long bytesHeld() {
        return (long) held * pool.slotSize() + (long) slots.length * ENTRY_BYTES;
    }

    /** The longest a packet is kept. */
    public long windowNanos() {
        return windowNanos;
    }

    private int index(long extendedSequence) {
        return (int) (extendedSequence & (slots.length - 1));
    }

    private void free(int i) {
        slots[i].release();
        slots[i] = null;
        sequence[i] = 0;
        held--;
        budget.release(pool.slotSize());
    }

    /**
     * Moves the entries to a ring of {@code size}. Growing keeps every entry (numbers distinct modulo a size
     * are distinct modulo its double); shrinking keeps the newer of two that fall together. Growing is
     * refused (false) when the budget has no room for the larger ring; the smallest ring is made regardless.
     */
    private boolean resize(int size) {
        PacketBuffer[] oldSlots = slots;
        long[] oldSequence = sequence;
        long[] oldStoredAt = storedAt;
        int[] oldTimestamp = timestamp;
        int[] oldVp8Numbers = vp8Numbers;
        boolean[] oldShared = shared;
        long before = ringCharged;
        budget.release(before);
        ringCharged = 0;
        if (budget.tryCharge((long) size * ENTRY_BYTES)) {
            ringCharged = (long) size * ENTRY_BYTES;
        } else if (oldSlots != null && size > oldSlots.length) {
            if (budget.tryCharge(before)) { // it was held a moment ago, so it fits again
                ringCharged = before;
            }
            return false;
        }
        slots = new PacketBuffer[size];
        sequence = new long[size];
        storedAt = new long[size];
        timestamp = new int[size];
        vp8Numbers = new int[size];
        shared = new boolean[size];
        if (oldSlots == null) {
            return true;
        }
        held = 0;
        for (int j = 0; j < oldSlots.length; j++) {
            if (oldSlots[j] == null) {
                continue;
            }
            int i = index(oldSequence[j] - 1);
            if (slots[i] != null) {
                if (sequence[i] > oldSequence[j]) {
                    oldSlots[j].release();
                    budget.release(pool.slotSize());
                    continue;
                }
                free(i);
            }
            slots[i] = oldSlots[j];
            sequence[i] = oldSequence[j];
            storedAt[i] = oldStoredAt[j];
            timestamp[i] = oldTimestamp[j];
            vp8Numbers[i] = oldVp8Numbers[j];
            shared[i] = oldShared[j];
            held++;
        }
        return true;
    }
}
