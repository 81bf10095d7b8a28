package io.eddyrtc.engine.rtp;

/**
 * Why an RTP packet was refused before any stream saw it. Network input never throws: the packet path
 * drops the datagram, counts the reason and carries on.
 */
public enum RtpDropReason {
    /** Not dropped. */
    NONE,
    /** The window given to the parser does not lie inside the segment. */
    WINDOW_OUTSIDE_SEGMENT,
    /** Shorter than the 12-byte fixed header. */
    TOO_SHORT,
    /** The version bits are not 2. */
    NOT_VERSION_2,
    /** The CSRC count declares more identifiers than the packet holds. */
    CSRC_BEYOND_PACKET,
    /** The header extension's declared length runs past the packet. */
    EXTENSION_BEYOND_PACKET,
    /** The padding count is zero or longer than what follows the header. */
    BAD_PADDING,
    /** An RTX packet too short to hold the original sequence number. */
    RTX_WITHOUT_OSN
}
