package io.eddyrtc.engine.rtcp;

/**
 * Why {@link RtcpCompound} refused a packet, or the rest of a compound datagram. Network input never
 * throws: a refusal is recorded here and counted by the cursor.
 *
 * <p>Reasons about the common header ({@link #TRUNCATED_HEADER}, {@link #BAD_VERSION},
 * {@link #LENGTH_OVERRUN}) end the compound, because once a length cannot be trusted neither can
 * the position of the next packet. The others reject one packet whose length was sound, and the
 * cursor moves on to the next.
 */
public enum RtcpDropReason {
    /** Fewer than 4 bytes where a packet header should start. */
    TRUNCATED_HEADER,
    /** A version other than 2. */
    BAD_VERSION,
    /** A length field that reaches past the end of the datagram. */
    LENGTH_OVERRUN,
    /** The padding bit is set but the padding count is zero or larger than the packet body. */
    BAD_PADDING,
    /** SR or RR too short for its fixed fields or for the report blocks its count declares. */
    MALFORMED_REPORT,
    /** SDES chunks or items that run past the packet. */
    MALFORMED_SDES,
    /** BYE sources or reason that run past the packet. */
    MALFORMED_BYE,
    /** APP shorter than its fixed 12 bytes. */
    MALFORMED_APP,
    /** A feedback packet shorter than its two SSRCs, or an FCI not the size its format needs. */
    MALFORMED_FEEDBACK,
    /** A transport-wide CC feedback whose chunks or deltas do not fit, or that uses the reserved symbol. */
    MALFORMED_TRANSPORT_FEEDBACK,
    /** An XR whose blocks run past the packet, or an RRTR/DLRR block of the wrong size. */
    MALFORMED_XR
}
