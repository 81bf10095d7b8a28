package io.eddyrtc.ice;

/**
 * How a datagram travels between two addresses, on the way in ({@link IceAgent#handleReceive}) and out
 * ({@link StunTransmit#transport()}): what the caller's socket code does with it.
 */
public enum Transport {
    /** A UDP datagram. */
    UDP(TransportProtocol.UDP),
    /**
     * One RFC 4571 frame (a two-byte length, then the datagram) on the ICE-TCP connection between the two
     * addresses (RFC 6544). A transmit from an active candidate to an address with no connection yet asks the
     * caller to open one; what arrives on it is reported with the candidate's address as the destination.
     */
    TCP(TransportProtocol.TCP),
    /**
     * A STUN or ChannelData message on the TCP connection from the given local address to a TURN server
     * (RFC 8656 §3.1): the messages delimit themselves, so no frame header is added. Opened by the caller on
     * the first transmit, like an active ICE-TCP connection.
     */
    TURN_TCP(TransportProtocol.TCP);

    private final TransportProtocol protocol;

    Transport(TransportProtocol protocol) {
        this.protocol = protocol;
    }

    /** The transport protocol a candidate on this transport names in SDP. */
    public TransportProtocol protocol() {
        return protocol;
    }
}
