package io.eddyrtc.net;

import io.eddyrtc.buffers.SocketAddressView;
import io.eddyrtc.net.internal.LinuxAbi;
import io.eddyrtc.net.internal.SockAddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * An IP address and UDP port, held as the kernel's own {@code sockaddr_in}/{@code sockaddr_in6} in native
 * memory, so a receive writes the sender straight into it and a send points the kernel at it: no
 * {@link InetSocketAddress} per datagram. Reading the family, port and address bytes, {@link #equals} and
 * {@link #hashCode} allocate nothing.
 *
 * <p>An IPv4 address that arrives v4-mapped on a dual-stack socket ({@code ::ffff:a.b.c.d}) is IPv4 here: it
 * equals the plain IPv4 form and {@link #toInetSocketAddress()} gives an {@code Inet4Address}.
 *
 * <p>It is mutable: the addresses in a {@link RecvBatch} are overwritten by every receive. Copy one
 * ({@code new UdpAddress().set(other)}) before keeping it, for instance as a map key. To hand one to an API
 * that takes {@code InetSocketAddress} without allocating each time, see {@link InetSocketAddressCache}.
 */
public final class UdpAddress implements SocketAddressView {
    final MemorySegment sockaddr;

    /** An empty address (no family) in memory of its own. */
    public UdpAddress() {
        this(Arena.ofAuto().allocate(SockAddr.SIZE, 8));
    }

    /** A view of {@link SockAddr#SIZE} bytes of a transport's or batch's memory. */
    UdpAddress(MemorySegment sockaddr) {
        this.sockaddr = sockaddr;
        SockAddr.clear(sockaddr);
    }

    /** A new address holding {@code address}, which must be resolved. */
    public static UdpAddress of(InetSocketAddress address) {
        return new UdpAddress().set(address);
    }

    /** Holds {@code address} from now on (resolved; the bytes are copied, which allocates). */
    public UdpAddress set(InetSocketAddress address) {
        SockAddr.write(sockaddr, address);
        return this;
    }

    /** Holds what {@code other} holds. Allocates nothing. */
    public UdpAddress set(UdpAddress other) {
        MemorySegment.copy(other.sockaddr, 0, sockaddr, 0, SockAddr.SIZE);
        return this;
    }

    /** Holds the IPv4 address {@code address} (a.b.c.d as {@code a << 24 | b << 16 | c << 8 | d}) and {@code port}. */
    public UdpAddress setIpv4(int address, int port) {
        SockAddr.writeIpv4(sockaddr, address, checkPort(port));
        return this;
    }

    /** Holds the IPv6 address of the two big-endian halves, {@code port} and {@code scopeId} (0 for none). */
    public UdpAddress setIpv6(long high, long low, int port, int scopeId) {
        SockAddr.writeIpv6(sockaddr, high, low, checkPort(port), scopeId);
        return this;
    }

    /** Holds nothing. */
    public void clear() {
        SockAddr.clear(sockaddr);
    }

    /** True when no address is held (a receive that learnt none leaves its local address empty). */
    public boolean isEmpty() {
        return SockAddr.family(sockaddr) == 0;
    }

    /** IPv4, including the v4-mapped form. */
    @Override
    public boolean isIpv4() {
        return SockAddr.isIpv4(sockaddr);
    }

    /** IPv6 other than v4-mapped. */
    public boolean isIpv6() {
        return SockAddr.isIpv6(sockaddr);
    }

    @Override
    public int port() {
        return SockAddr.port(sockaddr);
    }

    /** The IPv4 address as a big-endian int; 0 unless {@link #isIpv4()}. */
    @Override
    public int ipv4() {
        return isIpv4() ? SockAddr.ipv4(sockaddr) : 0;
    }

    /** The first eight bytes of the IPv6 address, big-endian; 0 unless {@link #isIpv6()}. */
    @Override
    public long ipv6High() {
        return isIpv6() ? SockAddr.ipv6High(sockaddr) : 0;
    }

    /** The last eight bytes of the IPv6 address, big-endian; 0 unless {@link #isIpv6()}. */
    @Override
    public long ipv6Low() {
        return isIpv6() ? SockAddr.ipv6Low(sockaddr) : 0;
    }

    /** The IPv6 scope id (the interface of a link-local address), 0 when none. */
    public int scopeId() {
        return isIpv6() ? SockAddr.scopeId(sockaddr) : 0;
    }

    /** A new {@link InetSocketAddress} for this address. Allocates; see {@link InetSocketAddressCache}. */
    @Override
    public InetSocketAddress toInetSocketAddress() {
        return SockAddr.toInetSocketAddress(sockaddr);
    }

    /** The same address and port as {@code other} (IPv4 and its v4-mapped form are the same). */
    public boolean sameAs(UdpAddress other) {
        if (port() != other.port()) {
            return false;
        }
        if (isIpv4()) {
            return other.isIpv4() && ipv4() == other.ipv4();
        }
        if (isIpv6()) {
            return other.isIpv6() && ipv6High() == other.ipv6High() && ipv6Low() == other.ipv6Low()
                    && scopeId() == other.scopeId();
        }
        return other.isEmpty();
    }

    /** The kernel's length for this address: 16, 28, or 0 when empty. */
    int sockaddrLength() {
        return SockAddr.length(sockaddr);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpAddress other && sameAs(other);
    }

    @Override
    public int hashCode() {
        long h;
        if (isIpv4()) {
            h = ipv4();
        } else if (isIpv6()) {
            h = ipv6High() * 31 + ipv6Low() * 17 + scopeId();
        } else {
            h = 0;
        }
        h = (h * 0x9E37_79B9_7F4A_7C15L) ^ port();
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "UdpAddress[empty]";
        }
        InetSocketAddress a = toInetSocketAddress();
        return a.getAddress().getHostAddress() + (SockAddr.family(sockaddr) == LinuxAbi.AF_INET6 && isIpv4() ? " (v4-mapped)" : "")
                + " port " + a.getPort();
    }

    private static int checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        return port;
    }
}
