package io.eddyrtc.net.internal;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Reads and writes {@code sockaddr_in} and {@code sockaddr_in6} where the kernel reads and writes them, at
 * offset 0 of a segment of at least {@link #SIZE} bytes. The family is in host order, port and addresses in
 * network order. An IPv4 address seen through a dual-stack IPv6 socket arrives v4-mapped
 * ({@code ::ffff:a.b.c.d}); {@link #isIpv4} and {@link #ipv4} treat that form as the IPv4 address it is.
 */
public final class SockAddr {
    private SockAddr() {
    }

    /** Bytes of a {@code sockaddr_in6}, the larger of the two; UDP over IP needs none of the rest of {@code sockaddr_storage}. */
    public static final int SIZE = (int) LinuxAbi.SOCKADDR_IN6.byteSize();
    /** Room one address takes in an array of them: {@link #SIZE} rounded up, so each starts 8-byte aligned. */
    public static final int STRIDE = 32;
    private static final int IN_SIZE = (int) LinuxAbi.SOCKADDR_IN.byteSize();
    private static final long V4_MAPPED_HIGH = 0L;
    private static final long V4_MAPPED_LOW_PREFIX = 0x0000_FFFF_0000_0000L;

    public static int family(MemorySegment s) {
        return s.get(JAVA_SHORT, 0) & 0xFFFF;
    }

    /** The length the kernel is given for this address: 16, 28, or 0 when no family is set. */
    public static int length(MemorySegment s) {
        return switch (family(s)) {
            case LinuxAbi.AF_INET -> IN_SIZE;
            case LinuxAbi.AF_INET6 -> SIZE;
            default -> 0;
        };
    }

    public static int port(MemorySegment s) {
        return BigEndian.u16(s, LinuxAbi.SIN_PORT); // the same offset in both structs
    }

    /** IPv4, or IPv6 holding a v4-mapped address. */
    public static boolean isIpv4(MemorySegment s) {
        int family = family(s);
        return family == LinuxAbi.AF_INET || family == LinuxAbi.AF_INET6 && isV4Mapped(s);
    }

    public static boolean isIpv6(MemorySegment s) {
        return family(s) == LinuxAbi.AF_INET6 && !isV4Mapped(s);
    }

    /** The IPv4 address as a big-endian int (a.b.c.d is {@code a << 24 | ...}); only if {@link #isIpv4}. */
    public static int ipv4(MemorySegment s) {
        return family(s) == LinuxAbi.AF_INET ? BigEndian.i32(s, LinuxAbi.SIN_ADDR) : BigEndian.i32(s, LinuxAbi.SIN6_ADDR + 12);
    }

    /** The first eight bytes of the IPv6 address, big-endian. */
    public static long ipv6High(MemorySegment s) {
        return BigEndian.u64(s, LinuxAbi.SIN6_ADDR);
    }

    /** The last eight bytes of the IPv6 address, big-endian. */
    public static long ipv6Low(MemorySegment s) {
        return BigEndian.u64(s, LinuxAbi.SIN6_ADDR + 8);
    }

    public static int scopeId(MemorySegment s) {
        return s.get(JAVA_INT, LinuxAbi.SIN6_SCOPE_ID);
    }

    public static void writeIpv4(MemorySegment s, int address, int port) {
        // Zero all 28 bytes, so a former IPv6 address leaves nothing behind (stores, not a slice: no allocation).
        s.set(JAVA_LONG_UNALIGNED, 0, 0L);
        s.set(JAVA_LONG_UNALIGNED, 8, 0L);
        s.set(JAVA_LONG_UNALIGNED, 16, 0L);
        s.set(JAVA_INT_UNALIGNED, 24, 0);
        s.set(JAVA_SHORT, 0, (short) LinuxAbi.AF_INET);
        BigEndian.putU16(s, LinuxAbi.SIN_PORT, port);
        BigEndian.putU32(s, LinuxAbi.SIN_ADDR, address & 0xFFFF_FFFFL);
    }

    public static void writeIpv6(MemorySegment s, long high, long low, int port, int scopeId) {
        s.set(JAVA_SHORT, 0, (short) LinuxAbi.AF_INET6);
        BigEndian.putU16(s, LinuxAbi.SIN6_PORT, port);
        s.set(JAVA_INT, LinuxAbi.SIN6_FLOWINFO, 0);
        BigEndian.putU64(s, LinuxAbi.SIN6_ADDR, high);
        BigEndian.putU64(s, LinuxAbi.SIN6_ADDR + 8, low);
        s.set(JAVA_INT, LinuxAbi.SIN6_SCOPE_ID, scopeId);
    }

    /** No address: family 0, which {@link #length} reports as 0 bytes. */
    public static void clear(MemorySegment s) {
        s.set(JAVA_SHORT, 0, (short) 0);
    }

    /** Sets only the port, keeping the address. */
    public static void writePort(MemorySegment s, int port) {
        BigEndian.putU16(s, LinuxAbi.SIN_PORT, port);
    }

    private static boolean isV4Mapped(MemorySegment s) {
        return ipv6High(s) == V4_MAPPED_HIGH && (ipv6Low(s) & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_LOW_PREFIX;
    }

    /** The v4-mapped IPv6 form of an IPv4 address, low half (the high half is 0). */
    public static long v4MappedLow(int ipv4) {
        return V4_MAPPED_LOW_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    /**
     * Writes a resolved {@code address}: {@code sockaddr_in} for an IPv4 one, {@code sockaddr_in6} (with its
     * scope id) for an IPv6 one. This reads the address bytes through {@link InetAddress#getAddress()}, which
     * copies them: a set-up path, not a per-packet one.
     */
    public static void write(MemorySegment s, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException(address + " is unresolved; resolve it before using it as a UDP address");
        }
        ByteBuffer bytes = ByteBuffer.wrap(ip.getAddress());
        if (ip instanceof Inet4Address) {
            writeIpv4(s, bytes.getInt(), address.getPort());
        } else {
            writeIpv6(s, bytes.getLong(), bytes.getLong(), address.getPort(), ((Inet6Address) ip).getScopeId());
        }
    }

    /** A new {@link InetSocketAddress} for the address (an {@code Inet4Address} for a v4-mapped one). */
    public static InetSocketAddress toInetSocketAddress(MemorySegment s) {
        try {
            if (isIpv4(s)) {
                return new InetSocketAddress(InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(ipv4(s)).array()), port(s));
            }
            if (family(s) != LinuxAbi.AF_INET6) {
                throw new IllegalStateException("no address is set; this UDP address is empty");
            }
            byte[] bytes = ByteBuffer.allocate(16).putLong(ipv6High(s)).putLong(ipv6Low(s)).array();
            int scope = scopeId(s);
            InetAddress ip = scope == 0 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, scope);
            return new InetSocketAddress(ip, port(s));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 address bytes are always a valid address", e);
        }
    }
}
