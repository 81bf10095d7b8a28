package io.eddyrtc.sctp;

/** Why an {@link SctpAssociation} ignored a packet or chunk; counted, never thrown. */
public enum SctpDropReason {
    /** Shorter than the common header, or a chunk's length runs past the packet. */
    MALFORMED,
    /** The CRC32c checksum does not match. */
    BAD_CHECKSUM,
    /** The verification tag is not ours (RFC 9260 §8.5). */
    BAD_VERIFICATION_TAG,
    /** Ports other than the configured ones. */
    WRONG_PORT,
    /** A state cookie that is forged, for another association, or expired. */
    BAD_COOKIE,
    /** A DATA chunk outside the receive window, or a message beyond the maximum size. */
    OUT_OF_WINDOW,
    /** A chunk that makes no sense in the current state, or an unknown one the peer asked us to skip. */
    UNEXPECTED_CHUNK,
    /** Anything after the association closed. */
    CLOSED
}
