package io.eddyrtc.engine;

/**
 * Why the {@link Rtc} itself dropped a datagram (the ICE agent counts its own STUN drops separately,
 * see {@link Rtc#iceDropped()}). Network input never throws: it is counted here instead.
 */
public enum RtcDropReason {
    /** Empty, or a first byte no WebRTC protocol uses (RFC 7983). */
    UNKNOWN_PROTOCOL,
    /** First byte 0–3 (STUN) but too short or without the magic cookie, so not STUN the ICE agent could read. */
    NOT_STUN,
    /** ZRTP (first byte 16–19), which WebRTC does not use. */
    ZRTP,
    /** A TURN ChannelData message: TURN relaying is the caller's job, it should strip the framing. */
    TURN_CHANNEL,
    /** A DTLS record, but this build's Rtc has no DTLS endpoint wired yet. */
    DTLS_NOT_AVAILABLE,
    /** RTP or RTCP before SRTP keys exist (no DTLS-SRTP handshake has completed). */
    SRTP_NOT_READY,
    /** Anything after {@link Rtc#disconnect()}. */
    CLOSED
}
