package io.eddyrtc.net;

import io.eddyrtc.net.internal.SockAddr;
import java.net.InetSocketAddress;

/**
 * {@link InetSocketAddress}es for {@link UdpAddress}es, made once per distinct address and handed out again
 * without allocating: for APIs that take {@code InetSocketAddress} (the engine's {@code Rtc.handleReceive},
 * {@code DatagramChannel.send}) on a per-datagram path.
 *
 * <p>Its size is fixed, so a stranger sending from many addresses cannot make it grow: it is a direct-mapped
 * table, and an address that maps to a taken entry replaces it (that miss allocates one
 * {@code InetSocketAddress}). Size it at a few times the number of peers. Not thread-safe.
 */
public final class InetSocketAddressCache {
    private final int mask;
    private final long[] highs;
    private final long[] lows;
    private final int[] ports;
    private final int[] scopes;
    private final InetSocketAddress[] values;
    private long misses;

    /** A table of {@code capacity} entries, rounded up to a power of two (at most 2<sup>20</sup>). */
    public InetSocketAddressCache(int capacity) {
        if (capacity < 1 || capacity > 1 << 20) {
            throw new IllegalArgumentException("capacity " + capacity + " must be between 1 and " + (1 << 20));
        }
        int size = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
        this.mask = size - 1;
        this.highs = new long[size];
        this.lows = new long[size];
        this.ports = new int[size];
        this.scopes = new int[size];
        this.values = new InetSocketAddress[size];
    }

    /** Entries in the table. */
    public int capacity() {
        return mask + 1;
    }

    /** The {@code InetSocketAddress} for {@code address}; allocates only when it is not in the table. */
    public InetSocketAddress get(UdpAddress address) {
        if (address.isEmpty()) {
            throw new IllegalArgumentException("the UDP address is empty; set it before asking for its InetSocketAddress");
        }
        boolean v4 = address.isIpv4();
        long high = v4 ? 0 : address.ipv6High();
        long low = v4 ? SockAddr.v4MappedLow(address.ipv4()) : address.ipv6Low();
        int port = address.port();
        int scope = address.scopeId();
        int slot = address.hashCode() & mask;
        InetSocketAddress value = values[slot];
        if (value != null && highs[slot] == high && lows[slot] == low && ports[slot] == port && scopes[slot] == scope) {
            return value;
        }
        misses++;
        value = address.toInetSocketAddress();
        highs[slot] = high;
        lows[slot] = low;
        ports[slot] = port;
        scopes[slot] = scope;
        values[slot] = value;
        return value;
    }

    /** Lookups that had to make a new {@code InetSocketAddress}. */
    public long misses() {
        return misses;
    }
}
