package io.eddyrtc.net;

/** Why a datagram was dropped on its way in or out of a {@link UdpTransport}; each is counted in {@link UdpStats}. */
public enum UdpDropReason {
    /** A received datagram was longer than its pool slot; the slot holds only its start, so it is dropped. */
    TRUNCATED,
    /** The socket's send buffer was full; the datagram was not sent (a send never waits). */
    SEND_BUFFER_FULL,
    /**
     * The kernel would not send the datagram to its destination: port 0, a broadcast address, no route, an
     * address family the socket cannot reach, or larger than a datagram can be.
     */
    SEND_REFUSED,
    /**
     * An ICMP report said a datagram we sent earlier could not be delivered (port, host or network
     * unreachable). Counted from the socket's error queue by the Linux backend; a report never stops
     * receiving or sending. The {@code DatagramChannel} backend does not see these reports.
     */
    UNREACHABLE
}
