package io.eddyrtc.ice;

/** The transport of a candidate: UDP, or TCP (RFC 6544) with its {@link TcpType}. */
public enum TransportProtocol {
    UDP,
    TCP
}
