package io.eddyrtc.crypto.srtp;

/**
 * Why a packet was not protected or unprotected. The packet methods return {@link #code()} (a negative
 * number) instead of throwing; {@link #fromCode(int)} turns it back, and each context counts them.
 */
public enum SrtpDropReason {
    /** Shorter than the fixed header plus the authentication tag (and SRTCP trailer). */
    TOO_SHORT,
    /** Not version 2, or the CSRC list or header extension runs past the end of the packet. */
    BAD_HEADER,
    /** The authentication tag does not match: forged, corrupted or under another key. */
    AUTH_FAILED,
    /** This index was already accepted (or, when protecting, already used: an IV must never repeat). */
    REPLAYED,
    /** The index is older than the replay window can judge. */
    TOO_OLD,
    /** An SSRC never seen, and the context is configured to accept only known ones. */
    UNKNOWN_SSRC,
    /** A new SSRC while the context already tracks its configured maximum. */
    TOO_MANY_STREAMS,
    /** The buffer has no room after the packet for the tag (and trailer) protection adds. */
    NO_ROOM,
    /** 2^48 SRTP or 2^31 SRTCP packets under one key: the keys must be renegotiated (new DTLS handshake). */
    INDEX_EXHAUSTED;

    private static final SrtpDropReason[] VALUES = values();

    /** The negative value packet methods return for this reason. */
    public int code() {
        return -1 - ordinal();
    }

    /** The reason for a negative result, or null for a length (zero or more). */
    public static SrtpDropReason fromCode(int result) {
        return result >= 0 ? null : VALUES[-1 - result];
    }
}
