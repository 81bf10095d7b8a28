package io.eddyrtc.engine.route;

import io.eddyrtc.buffers.InetSocketAddressView;
import io.eddyrtc.buffers.SocketAddressView;
import java.net.InetSocketAddress;

/**
 * Remote addresses and the peer each belongs to: an open-addressing hash table (linear probing, backward-shift
 * deletion) keyed by the address's numbers, so a datagram's source is looked up without allocating, whoever
 * holds it ({@link SocketAddressView}). Each entry keeps the {@link InetSocketAddress} it was added with — the
 * very object the peer's ICE agent holds — so the datagram can be handed on without making a new one, and
 * whether the peer proved the address its own.
 *
 * <p>An IPv4 address is keyed as its v4-mapped IPv6 form, so the two forms of one address are one key. The
 * IPv6 scope id is not part of the key (link-local peers on two interfaces with one address and port are one).
 */
final class AddressTable {
    private static final long V4_MAPPED = 0x0000_FFFF_0000_0000L;
    /** Longs per entry in {@link #keys}: the address's two halves, then the port (high int) and owner + 1 (low int, 0 when empty). */
    private static final int STRIDE = 3;

    /** The keys and owners side by side, so a lookup reads one or two cache lines whatever the table's size. */
    private long[] keys;
    private boolean[] proven;
    private InetSocketAddress[] addresses;
    private int mask;
    private int size;
    private final InetSocketAddressView scratch = new InetSocketAddressView();

    AddressTable(int initialCapacity) {
        allocate(Integer.highestOneBit(Math.max(16, initialCapacity * 2 - 1)) << 1);
    }

    private void allocate(int capacity) {
        keys = new long[capacity * STRIDE];
        proven = new boolean[capacity];
        addresses = new InetSocketAddress[capacity];
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    /** The entry holding {@code address}, or -1. Allocates nothing. */
    int find(SocketAddressView address) {
        long high = high(address);
        long low = low(address);
        int port = address.port();
        for (int i = index(high, low, port); ; i = (i + 1) & mask) {
            int at = i * STRIDE;
            long portAndOwner = keys[at + 2];
            if ((int) portAndOwner == 0) {
                return -1;
            }
            if (keys[at + 1] == low && keys[at] == high && (int) (portAndOwner >>> 32) == port) {
                return i;
            }
        }
    }

    /** The entry holding {@code address}, or -1 (reads its bytes, which allocates: set-up only). */
    int find(InetSocketAddress address) {
        return find(scratch.set(address));
    }

    int owner(int entry) {
        return (int) keys[entry * STRIDE + 2] - 1;
    }

    boolean proven(int entry) {
        return proven[entry];
    }

    /** The address object the entry was added with. */
    InetSocketAddress address(int entry) {
        return addresses[entry];
    }

    void setOwner(int entry, int owner, boolean isProven, InetSocketAddress address) {
        int at = entry * STRIDE + 2;
        keys[at] = (keys[at] & 0xFFFF_FFFF_0000_0000L) | (owner + 1);
        proven[entry] = isProven;
        addresses[entry] = address;
    }

    /** Adds {@code address} (not in the table) for {@code owner}. */
    void add(InetSocketAddress address, int owner, boolean isProven) {
        if ((size + 1) * 2 > proven.length) {
            grow();
        }
        scratch.set(address);
        long high = high(scratch);
        long low = low(scratch);
        int port = scratch.port();
        int i = index(high, low, port);
        while (!isEmpty(i)) {
            i = (i + 1) & mask;
        }
        put(i, high, low, port, owner, isProven, address);
        size++;
    }

    /** Removes the entry, moving later entries of its probe run back so that no lookup stops short. */
    void remove(int entry) {
        int hole = entry;
        int i = (hole + 1) & mask;
        while (!isEmpty(i)) {
            int at = i * STRIDE;
            int home = index(keys[at], keys[at + 1], (int) (keys[at + 2] >>> 32));
            // the entry at i may fill the hole if its home is not inside (hole, i] (cyclically)
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                System.arraycopy(keys, at, keys, hole * STRIDE, STRIDE);
                proven[hole] = proven[i];
                addresses[hole] = addresses[i];
                hole = i;
            }
            i = (i + 1) & mask;
        }
        keys[hole * STRIDE + 2] = 0;
        addresses[hole] = null;
        size--;
    }

    private boolean isEmpty(int entry) {
        return (int) keys[entry * STRIDE + 2] == 0;
    }

    private void put(int entry, long high, long low, int port, int owner, boolean isProven, InetSocketAddress address) {
        int at = entry * STRIDE;
        keys[at] = high;
        keys[at + 1] = low;
        keys[at + 2] = (long) port << 32 | (owner + 1);
        proven[entry] = isProven;
        addresses[entry] = address;
    }

    private void grow() {
        long[] oldKeys = keys;
        boolean[] oldProven = proven;
        InetSocketAddress[] oldAddresses = addresses;
        allocate(proven.length * 2);
        for (int j = 0; j < oldProven.length; j++) {
            int at = j * STRIDE;
            if ((int) oldKeys[at + 2] != 0) {
                int port = (int) (oldKeys[at + 2] >>> 32);
                int i = index(oldKeys[at], oldKeys[at + 1], port);
                while (!isEmpty(i)) {
                    i = (i + 1) & mask;
                }
                put(i, oldKeys[at], oldKeys[at + 1], port, (int) oldKeys[at + 2] - 1, oldProven[j], oldAddresses[j]);
            }
        }
    }

    private static long high(SocketAddressView a) {
        return a.isIpv4() ? 0 : a.ipv6High();
    }

    private static long low(SocketAddressView a) {
        return a.isIpv4() ? V4_MAPPED | (a.ipv4() & 0xFFFF_FFFFL) : a.ipv6Low();
    }

    private int index(long high, long low, int port) {
        long h = (high * 0x9E37_79B9_7F4A_7C15L) ^ (low * 0xC2B2_AE3D_27D4_EB4FL) ^ ((long) port * 0x1656_67B1_9E37_79F9L);
        h ^= h >>> 29;
        h *= 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 32;
        return (int) h & mask;
    }
}
