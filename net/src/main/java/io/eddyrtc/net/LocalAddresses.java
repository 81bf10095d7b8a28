package io.eddyrtc.net;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop's own addresses: the ICE host candidates its peers get, and, for each datagram, which of them it
 * arrived at — as the very {@link InetSocketAddress} each {@code Rtc}'s ICE agent holds as a candidate's base, so
 * handing it on allocates nothing. A socket bound to one address has one; a wildcard socket has the host's
 * addresses, and the Linux backend says per datagram which one it came to.
 */
final class LocalAddresses {
    private final List<InetSocketAddress> candidates;
    private final UdpAddress[] views;
    private final boolean wildcard;

    /** The socket bound at {@code bound}; {@code hosts} (port 0 for the socket's) or, when empty, {@code bound} itself. */
    LocalAddresses(InetSocketAddress bound, List<InetSocketAddress> hosts) {
        this.wildcard = bound.getAddress().isAnyLocalAddress();
        List<InetSocketAddress> list = new ArrayList<>();
        for (InetSocketAddress host : hosts.isEmpty() ? List.of(bound) : hosts) {
            if (host.isUnresolved() || host.getAddress().isAnyLocalAddress()) {
                throw new IllegalArgumentException("a host candidate must be an address peers can reach, not " + host);
            }
            if (host.getPort() != 0 && host.getPort() != bound.getPort()) {
                throw new IllegalArgumentException("host address " + host + " names another port than the socket's "
                        + bound.getPort() + "; give port 0 or the socket's");
            }
            list.add(new InetSocketAddress(host.getAddress(), bound.getPort()));
        }
        this.candidates = List.copyOf(list);
        this.views = new UdpAddress[candidates.size()];
        for (int i = 0; i < views.length; i++) {
            views[i] = UdpAddress.of(candidates.get(i));
        }
    }

    List<InetSocketAddress> candidates() {
        return candidates;
    }

    /** Bound to a wildcard address: answers must say which address they leave from. */
    boolean isWildcard() {
        return wildcard;
    }

    /**
     * The candidate a datagram from {@code source} arrived at ({@code destination}, as the backend saw it). When
     * the backend cannot tell (the {@code DatagramChannel} one reports the bound wildcard), the first candidate of
     * the sender's family: right for a host with one address per family.
     */
    InetSocketAddress of(UdpAddress destination, UdpAddress source) {
        for (int i = 0; i < views.length; i++) {
            if (views[i].sameAs(destination)) {
                return candidates.get(i);
            }
        }
        for (int i = 0; i < views.length; i++) {
            if (views[i].isIpv4() == source.isIpv4()) {
                return candidates.get(i);
            }
        }
        return candidates.getFirst();
    }

    @Override
    public String toString() {
        return "LocalAddresses" + candidates + (wildcard ? " on a wildcard socket" : "");
    }
}
