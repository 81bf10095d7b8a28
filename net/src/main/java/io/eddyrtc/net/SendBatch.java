package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.net.internal.SockAddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Up to {@link #capacity()} datagrams to send in one {@link UdpTransport#send}, each a window of native
 * memory (a {@link PacketPool} slot, an {@code Output.Transmit}'s segment) and a destination. The bytes
 * are not copied: the memory must stay valid until the send. Destinations (and sources) are copied into the
 * batch, so the caller's {@link UdpAddress} may change right after {@link #add}.
 *
 * <p>Consecutive datagrams to one destination, of one size (the last may be shorter), are what GSO turns
 * into a single send: add a burst to one peer together.
 *
 * <p>After a send, {@link #droppedInLastSend(int)} says which of its datagrams the transport dropped (and
 * counted in its {@link UdpStats}), so a loop that batches many peers' datagrams can charge each drop to its peer.
 */
public final class SendBatch {
    /** The largest batch: {@code sendmmsg} takes at most 1024 messages ({@code UIO_MAXIOV}). */
    public static final int MAX_CAPACITY = 1024;
    /** The largest UDP payload (over IPv4; IPv6 allows 20 bytes more, which no caller here needs). */
    public static final int MAX_DATAGRAM = 65_507;

    private final int capacity;
    private final MemorySegment[] segments;
    private final long[] offsets;
    private final int[] lengths;
    private final UdpAddress[] destinations;
    private final UdpAddress[] sources;
    private final boolean[] dropped;
    private int count;
    private int lastCount;

    /** A batch of {@code capacity} datagrams (1 to {@value #MAX_CAPACITY}). */
    public SendBatch(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("a SendBatch holds 1 to " + MAX_CAPACITY + " datagrams, not " + capacity);
        }
        this.capacity = capacity;
        this.segments = new MemorySegment[capacity];
        this.offsets = new long[capacity];
        this.lengths = new int[capacity];
        this.destinations = new UdpAddress[capacity];
        this.sources = new UdpAddress[capacity];
        this.dropped = new boolean[capacity];
        MemorySegment addresses = Arena.ofAuto().allocate(2L * capacity * SockAddr.STRIDE, 8);
        for (int i = 0; i < capacity; i++) {
            destinations[i] = new UdpAddress(addresses.asSlice((long) i * SockAddr.STRIDE, SockAddr.SIZE));
            sources[i] = new UdpAddress(addresses.asSlice((long) (capacity + i) * SockAddr.STRIDE, SockAddr.SIZE));
        }
    }

    /** Adds {@code length} bytes of {@code segment} from {@code offset}, to {@code destination}; the kernel picks the source. */
    public void add(MemorySegment segment, long offset, int length, UdpAddress destination) {
        add(segment, offset, length, destination, null);
    }

    /** Adds the datagram in {@code buffer} (its first {@link PacketBuffer#length()} bytes) to {@code destination}. */
    public void add(PacketBuffer buffer, UdpAddress destination) {
        add(buffer.segment(), 0, buffer.length(), destination, null);
    }

    /**
     * Adds a datagram sent from the local address {@code source} (one of the socket's, for a socket bound to a
     * wildcard address on a multi-homed host; {@code null} or empty lets the kernel pick). The Linux backend
     * says it with {@code IP_PKTINFO}/{@code IPV6_PKTINFO}; the {@code DatagramChannel} backend cannot and
     * sends from the socket.
     */
    public void add(MemorySegment segment, long offset, int length, UdpAddress destination, UdpAddress source) {
        if (count == capacity) {
            throw new IllegalStateException("this SendBatch is full (" + capacity + " datagrams); send it before adding more");
        }
        if (!segment.isNative()) {
            throw new IllegalArgumentException("datagrams are sent from native memory; copy this heap segment into a PacketPool slot");
        }
        if (offset < 0 || length < 0 || length > MAX_DATAGRAM || offset > segment.byteSize() - length) {
            throw new IllegalArgumentException("the window [" + offset + ", " + offset + "+" + length + ") must lie inside the "
                    + segment.byteSize() + "-byte segment and hold at most " + MAX_DATAGRAM + " bytes");
        }
        if (destination.isEmpty()) {
            throw new IllegalArgumentException("the destination is empty; set it to the peer's address");
        }
        int i = count++;
        dropped[i] = false;
        segments[i] = segment;
        offsets[i] = offset;
        lengths[i] = length;
        destinations[i].set(destination);
        if (source == null) {
            sources[i].clear();
        } else {
            sources[i].set(source);
        }
    }

    public int count() {
        return count;
    }

    public int capacity() {
        return capacity;
    }

    public boolean isFull() {
        return count == capacity;
    }

    /** Forgets every datagram added (a send does this too, keeping only which of them were dropped). */
    public void clear() {
        for (int i = 0; i < count; i++) {
            segments[i] = null; // the batch does not keep the caller's memory reachable
        }
        lastCount = count;
        count = 0;
    }

    /** Datagrams the last send (or {@link #clear()}) took from this batch. */
    public int lastSendCount() {
        return lastCount;
    }

    /**
     * Whether datagram {@code i} (in the order added) of the last send was dropped — the socket's buffer was
     * full, or the kernel refused its destination — rather than handed to the kernel. Valid until the next add.
     */
    public boolean droppedInLastSend(int i) {
        if (i < 0 || i >= lastCount || count > 0) {
            throw new IndexOutOfBoundsException("datagram " + i + " of a last send of " + lastCount
                    + (count > 0 ? ", but datagrams were added since" : "") + "; ask right after send()");
        }
        return dropped[i];
    }

    /** Datagrams {@code from} to {@code to} (exclusive) were dropped: for the transports. */
    void markDropped(int from, int to) {
        for (int i = from; i < to; i++) {
            dropped[i] = true;
        }
    }

    MemorySegment segment(int i) {
        return segments[i];
    }

    long offset(int i) {
        return offsets[i];
    }

    int length(int i) {
        return lengths[i];
    }

    UdpAddress destination(int i) {
        return destinations[i];
    }

    UdpAddress source(int i) {
        return sources[i];
    }
}
