package io.eddyrtc.buffers;

import java.net.InetSocketAddress;

/**
 * An IP address and port read as numbers, without allocating: what a router keys datagrams by, whoever holds
 * the address. net's {@code UdpAddress} reads the kernel's {@code sockaddr} in native memory;
 * {@link InetSocketAddressView} wraps an {@link InetSocketAddress} (tests, simulations, {@code DatagramChannel}
 * loops). Implementations are mutable views, valid until their holder overwrites them.
 *
 * <p>An IPv4 address is IPv4 however it arrived (a dual-stack socket's v4-mapped {@code ::ffff:a.b.c.d} too),
 * so both forms of one address give the same numbers.
 */
public interface SocketAddressView {

    /** IPv4, including the v4-mapped form; otherwise IPv6. */
    boolean isIpv4();

    /** The IPv4 address as a big-endian int ({@code a.b.c.d} is {@code a << 24 | ... | d}); 0 for IPv6. */
    int ipv4();

    /** The first eight bytes of the IPv6 address, big-endian; 0 for IPv4. */
    long ipv6High();

    /** The last eight bytes of the IPv6 address, big-endian; 0 for IPv4. */
    long ipv6Low();

    int port();

    /** A new {@link InetSocketAddress} for this address: allocates, for the rare path (an address seen first). */
    InetSocketAddress toInetSocketAddress();
}
