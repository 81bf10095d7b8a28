package io.eddyrtc.engine.route;

/** Why an {@link RtcRouter} found no peer for a datagram. Network input never throws: it is counted instead. */
public enum RouteDropReason {
    /** First bytes of STUN (RFC 7983, magic cookie) but not a STUN message that parses. */
    MALFORMED_STUN,
    /** A STUN request without a USERNAME of the form {@code ufrag:ufrag}, so it names no agent. */
    NO_USERNAME,
    /** A STUN request naming a ufrag no peer holds (a stranger, or a peer already removed). */
    UNKNOWN_UFRAG,
    /** Anything else (DTLS, SRTP, STUN answers) from an address no peer's ICE agent knows. */
    UNKNOWN_ADDRESS
}
