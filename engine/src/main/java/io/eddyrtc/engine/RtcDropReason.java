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
    /**
     * A TURN ChannelData message that did not come from a TURN server this Rtc allocated on (ChannelData from one of
     * ours is unwrapped by ICE, which counts what it cannot use).
     */
    TURN_CHANNEL,
    /**
     * DTLS, RTP or RTCP from an address that is not the peer's: not the selected pair's remote address, nor one
     * the peer proved with an authenticated ICE check or answer (and, once a pair is selected, nominated
     * itself). A stranger who can reach our port cannot end, hijack or feed a call.
     */
    NOT_FROM_PEER,
    /** A DTLS record before {@link DirectApi#startDtls} (or the SDP exchange) set up the DTLS endpoint. */
    DTLS_NOT_STARTED,
    /** RTP or RTCP before SRTP keys exist (no DTLS-SRTP handshake has completed). */
    SRTP_NOT_READY,
    /** SRTP or SRTCP that did not unprotect (forged, replayed, too old...; the reason is in the SRTP counters). */
    SRTP_REJECTED,
    /**
     * Authentic RTP that no m-line takes: an unknown payload type or SSRC that neither a declared stream,
     * the mid/rid extensions nor a unique payload type routes, or an m-line that does not receive.
     */
    NO_MEDIA_RECEIVER,
    /**
     * A received stream past {@link MediaConfig#maxReceiveStreams()} (an SSRC declared in SDP, counted once
     * and not set up, or a packet of a new SSRC), or in sample mode a packet that would need a frame assembler
     * past {@link MediaConfig#maxFrameAssemblers()}: what a peer can make one Rtc hold is bounded.
     */
    STREAM_LIMIT,
    /** Sample mode: RED or ULPFEC, which eddy forwards (RTP mode) but does not decode into samples. */
    NOT_DEPACKETIZED,
    /** Authentic but malformed RTP (a header, CSRC list, extension or padding that does not fit). */
    MALFORMED_RTP,
    /** Authentic RTCP with a packet whose length or counts do not fit (the rest of the compound is dropped). */
    MALFORMED_RTCP,
    /** RTP mode: no free pool slot to lend a received packet in (the caller polls slower than it feeds). */
    RECEIVE_BUFFER_FULL,
    /** DTLS application data (SCTP), but no SCTP association is wired into the Rtc yet. */
    NO_SCTP,
    /**
     * An outgoing packet found no free pool slot, or pushed the oldest out of a full send queue: the caller
     * writes faster than it polls, or ICE has no path to send on (consent lost).
     */
    SEND_BUFFER_FULL,
    /**
     * A bug inside eddy met this datagram (or timer round) and was caught so the caller's loop goes on; see
     * {@link Rtc#lastInternalError()}. Should stay 0: report it if it does not.
     */
    INTERNAL_ERROR,
    /** Anything after {@link Rtc#disconnect()}. */
    CLOSED
}
