package io.eddyrtc.engine.route;

import io.eddyrtc.buffers.InetSocketAddressView;
import io.eddyrtc.buffers.SocketAddressView;
import java.net.InetSocketAddress;
import java.util.Arrays;

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
    private static final int EMPTY = -1;

    private long[] highs;
    private long[] lows;
    private int[] ports;
    private int[] owners; // EMPTY where no entry is
    private boolean[] proven;
    private InetSocketAddress[] addresses;
    private int mask;
    private int size;
    private final InetSocketAddressView scratch = new InetSocketAddressView();

    AddressTable(int initialCapacity) {
        allocate(Integer.highestOneBit(Math.max(16, initialCapacity * 2 - 1)) << 1);
    }

    private void allocate(int capacity) {
        highs = new long[capacity];
        lows = new long[capacity];
        ports = new int[capacity];
        owners = new int[capacity];
        Arrays.fill(owners, EMPTY);
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
        for (int i = index(high, low, port); owners[i] != EMPTY; i = (i + 1) & mask) {
            if (lows[i] == low && highs[i] == high && ports[i] == port) {
                return i;
            }
        }
        return -1;
    }

    /** The entry holding {@code address}, or -1 (reads its bytes, which allocates: set-up only). */
    int find(InetSocketAddress address) {
        return find(scratch.set(address));
    }

    int owner(int entry) {
        return owners[entry];
    }

    boolean proven(int entry) {
        return proven[entry];
    }

    /** The address object the entry was added with. */
    InetSocketAddress address(int entry) {
        return addresses[entry];
    }

    void setOwner(int entry, int owner, boolean isProven, InetSocketAddress address) {
        owners[entry] = owner;
        proven[entry] = isProven;
        addresses[entry] = address;
    }

    /** Adds {@code address} (not in the table) for {@code owner}. */
    void add(InetSocketAddress address, int owner, boolean isProven) {
        if ((size + 1) * 2 > owners.length) {
            grow();
        }
        scratch.set(address);
        long high = high(scratch);
        long low = low(scratch);
        int port = scratch.port();
        int i = index(high, low, port);
        while (owners[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        highs[i] = high;
        lows[i] = low;
        ports[i] = port;
        owners[i] = owner;
        proven[i] = isProven;
        addresses[i] = address;
        size++;
    }

    /** Removes the entry, moving later entries of its probe run back so that no lookup stops short. */
    void remove(int entry) {
        int hole = entry;
        int i = (hole + 1) & mask;
        while (owners[i] != EMPTY) {
            int home = index(highs[i], lows[i], ports[i]);
            // the entry at i may fill the hole if its home is not inside (hole, i] (cyclically)
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                highs[hole] = highs[i];
                lows[hole] = lows[i];
                ports[hole] = ports[i];
                owners[hole] = owners[i];
                proven[hole] = proven[i];
                addresses[hole] = addresses[i];
                hole = i;
            }
            i = (i + 1) & mask;
        }
        owners[hole] = EMPTY;
        addresses[hole] = null;
        size--;
    }

    private void grow() {
        long[] oldHighs = highs;
        long[] oldLows = lows;
        int[] oldPorts = ports;
        int[] oldOwners = owners;
        boolean[] oldProven = proven;
        InetSocketAddress[] oldAddresses = addresses;
        allocate(owners.length * 2);
        for (int j = 0; j < oldOwners.length; j++) {
            if (oldOwners[j] != EMPTY) {
                int i = index(oldHighs[j], oldLows[j], oldPorts[j]);
                while (owners[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                highs[i] = oldHighs[j];
                lows[i] = oldLows[j];
                ports[i] = oldPorts[j];
                owners[i] = oldOwners[j];
                proven[i] = oldProven[j];
                addresses[i] = oldAddresses[j];
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
