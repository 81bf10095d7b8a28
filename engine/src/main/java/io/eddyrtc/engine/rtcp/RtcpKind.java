package io.eddyrtc.engine.rtcp;

/**
 * What one packet of a compound RTCP datagram is, as {@link RtcpCompound#kind()} reports it after
 * reading its type (RFC 3550 §12.1) and, for feedback, its format (RFC 4585 §6).
 */
public enum RtcpKind {
    /** SR, type 200: {@link RtcpCompound#senderReport()}. */
    SENDER_REPORT,
    /** RR, type 201: {@link RtcpCompound#receiverReport()}. */
    RECEIVER_REPORT,
    /** SDES, type 202: {@link RtcpCompound#sourceDescription()}. */
    SOURCE_DESCRIPTION,
    /** BYE, type 203: {@link RtcpCompound#goodbye()}. */
    GOODBYE,
    /** APP, type 204: {@link RtcpCompound#app()}. */
    APP,
    /** RTPFB FMT 1, generic NACK (RFC 4585 §6.2.1): {@link RtcpCompound#nack()}. */
    NACK,
    /** RTPFB FMT 15, transport-wide congestion control feedback: {@link RtcpCompound#transportFeedback()}. */
    TRANSPORT_FEEDBACK,
    /** Any other RTPFB format (TMMBR, TMMBN, ...): {@link RtcpCompound#feedback()} with its raw FCI. */
    RTPFB_OTHER,
    /** PSFB FMT 1, picture loss indication: {@link RtcpCompound#feedback()} (no FCI). */
    PLI,
    /** PSFB FMT 4, full intra request (RFC 5104 §4.3.1): {@link RtcpCompound#fullIntraRequest()}. */
    FIR,
    /** PSFB FMT 15 with the "REMB" identifier: {@link RtcpCompound#remb()}. */
    REMB,
    /** Any other PSFB format (SLI, RPSI, other application feedback): {@link RtcpCompound#feedback()}. */
    PSFB_OTHER,
    /** XR, type 207 (RFC 3611): {@link RtcpCompound#extendedReport()}. */
    EXTENDED_REPORT,
    /** A packet type eddy does not read: only the raw window ({@link RtcpCompound#packetOffset()}). */
    UNKNOWN
}
