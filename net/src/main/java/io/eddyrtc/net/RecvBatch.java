package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.net.internal.SockAddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Up to {@link #capacity()} received datagrams, each in a {@link PacketPool} slot with its sender, the local
 * address it came to, and its GRO segment size. {@link UdpTransport#receive} fills entries
 * {@code 0 .. count()-1}; the kernel writes each datagram straight into its slot.
 *
 * <p>The batch keeps its slots from one receive to the next: read a datagram in place (valid until the next
 * receive into this batch), or {@link #take(int)} its slot to keep it (the batch takes a fresh one from the
 * pool before the next receive). {@link #close()} gives the slots it holds back to the pool.
 *
 * <p>With GRO on, one entry can hold several datagrams from one sender back to back: every one is
 * {@link #segmentSize(int)} bytes long except the last, which may be shorter. Such reads need slots of 64 KiB.
 *
 * <p>A batch belongs to one thread at a time, like its pool.
 */
public final class RecvBatch implements AutoCloseable {
    /** The largest batch: {@code recvmmsg} takes at most 1024 messages ({@code UIO_MAXIOV}). */
    public static final int MAX_CAPACITY = 1024;

    private final PacketPool pool;
    private final int capacity;
    private final PacketBuffer[] buffers;
    private final UdpAddress[] sources;
    private final UdpAddress[] destinations;
    private final int[] segmentSizes;
    private int count;
    private boolean closed;

    /** A batch of {@code capacity} entries (1 to {@value #MAX_CAPACITY}) whose slots come from {@code pool}. */
    public RecvBatch(PacketPool pool, int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("a RecvBatch holds 1 to " + MAX_CAPACITY + " datagrams, not " + capacity);
        }
        this.pool = pool;
        this.capacity = capacity;
        this.buffers = new PacketBuffer[capacity];
        this.sources = new UdpAddress[capacity];
        this.destinations = new UdpAddress[capacity];
        this.segmentSizes = new int[capacity];
        MemorySegment addresses = Arena.ofAuto().allocate(2L * capacity * SockAddr.STRIDE, 8);
        for (int i = 0; i < capacity; i++) {
            sources[i] = new UdpAddress(addresses.asSlice((long) i * SockAddr.STRIDE, SockAddr.SIZE));
            destinations[i] = new UdpAddress(addresses.asSlice((long) (capacity + i) * SockAddr.STRIDE, SockAddr.SIZE));
        }
    }

    public int capacity() {
        return capacity;
    }

    public PacketPool pool() {
        return pool;
    }

    /** Entries the last receive filled. */
    public int count() {
        return count;
    }

    /** The slot holding datagram {@code i}; its {@link PacketBuffer#length()} is the datagram's. */
    public PacketBuffer buffer(int i) {
        PacketBuffer b = buffers[check(i)];
        if (b == null) {
            throw new IllegalStateException("datagram " + i + " was taken; use the PacketBuffer take() returned");
        }
        return b;
    }

    /** The memory of datagram {@code i}'s slot; the datagram is its first {@link #length(int)} bytes. */
    public MemorySegment segment(int i) {
        return buffer(i).segment();
    }

    /** Bytes received in entry {@code i} (with GRO, of every datagram in it together). */
    public int length(int i) {
        return buffer(i).length();
    }

    /** Who sent datagram {@code i}. Overwritten by the next receive: copy it to keep it. */
    public UdpAddress source(int i) {
        return sources[check(i)];
    }

    /**
     * The local address datagram {@code i} was sent to, with our port: on a socket bound to a wildcard
     * address, the interface address it arrived on (multi-homed servers answer from it). The Linux backend
     * reads it per datagram; the {@code DatagramChannel} backend gives the socket's bound address.
     */
    public UdpAddress destination(int i) {
        return destinations[check(i)];
    }

    /**
     * The size of each datagram in entry {@code i}: {@link #length(int)} for a single datagram; with GRO, the
     * size of all but the last of the datagrams the kernel coalesced. Walk them with
     * {@code for (int off = 0; off < length; off += size) handle(segment, off, Math.min(size, length - off))}.
     */
    public int segmentSize(int i) {
        return segmentSizes[check(i)];
    }

    /**
     * Hands datagram {@code i}'s slot to the caller, who releases it (or hands it on) when done. The batch
     * takes a new slot from the pool before its next receive.
     */
    public PacketBuffer take(int i) {
        PacketBuffer b = buffer(i);
        buffers[i] = null;
        return b;
    }

    /** Pool slots the batch holds now, ready for the next receive or holding the last one's datagrams. */
    public int slotsHeld() {
        int held = 0;
        for (int i = 0; i < capacity; i++) {
            if (buffers[i] != null) {
                held++;
            }
        }
        return held;
    }

    /** Gives every slot the batch holds back to the pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        count = 0;
        for (int i = 0; i < capacity; i++) {
            if (buffers[i] != null) {
                buffers[i].release();
                buffers[i] = null;
            }
        }
    }

    // For the transports: slots, addresses and results, entry by entry.

    /**
     * Makes sure the first entries hold slots and returns how many do: all of them unless the pool ran out.
     * Forgets the previous receive.
     */
    int prepare() {
        if (closed) {
            throw new IllegalStateException("this RecvBatch is closed; make a new one");
        }
        count = 0;
        for (int i = 0; i < capacity; i++) {
            if (buffers[i] == null && !fill(i)) {
                return i;
            }
        }
        return capacity;
    }

    /** A slot for entry {@code i}: from the pool, or moved down from a later entry when the pool is empty. */
    private boolean fill(int i) {
        PacketBuffer b = pool.acquire();
        if (!b.isNone()) {
            buffers[i] = b;
            return true;
        }
        for (int j = capacity - 1; j > i; j--) {
            if (buffers[j] != null) {
                buffers[i] = buffers[j];
                buffers[j] = null;
                return true;
            }
        }
        return false;
    }

    PacketBuffer slot(int i) {
        return buffers[i];
    }

    UdpAddress sourceSlot(int i) {
        return sources[i];
    }

    UdpAddress destinationSlot(int i) {
        return destinations[i];
    }

    void setSegmentSize(int i, int size) {
        segmentSizes[i] = size;
    }

    /** Exchanges entries {@code a} and {@code b}, so the kept ones can be moved down over a dropped one. */
    void swap(int a, int b) {
        PacketBuffer buffer = buffers[a];
        buffers[a] = buffers[b];
        buffers[b] = buffer;
        UdpAddress source = sources[a];
        sources[a] = sources[b];
        sources[b] = source;
        UdpAddress destination = destinations[a];
        destinations[a] = destinations[b];
        destinations[b] = destination;
        int size = segmentSizes[a];
        segmentSizes[a] = segmentSizes[b];
        segmentSizes[b] = size;
    }

    void filled(int entries) {
        count = entries;
    }

    private int check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("datagram " + i + " of a batch holding " + count
                    + "; read only entries below count() after a receive");
        }
        return i;
    }
}
