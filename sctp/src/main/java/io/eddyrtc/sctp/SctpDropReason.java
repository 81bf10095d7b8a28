package io.eddyrtc.sctp;

/** Why an {@link SctpAssociation} ignored a packet or chunk; counted, never thrown. */
public enum SctpDropReason {
    /**
     * Shorter than the common header, a chunk or parameter whose length runs past its end, or a chunk that
     * breaks the rules of its kind (an INIT bundled with other chunks or with tag 0, a SACK gap that ends
     * before it starts): the whole packet or chunk is ignored, none of it applied.
     */
    MALFORMED,
    /** The CRC32c checksum does not match. */
    BAD_CHECKSUM,
    /** The verification tag is not ours (RFC 9260 §8.5). */
    BAD_VERIFICATION_TAG,
    /** Ports other than the configured ones. */
    WRONG_PORT,
    /** A state cookie that is forged, for another association, or expired. */
    BAD_COOKIE,
    /** A DATA chunk whose TSN is too far ahead of everything received in order. */
    OUT_OF_WINDOW,
    /** A DATA chunk refused because what we hold for reassembly is at its cap, in bytes or in fragments. */
    BUFFER_FULL,
    /**
     * A DATA chunk out of order refused because the memory budget (or the shared pool) had no room to keep it; the
     * peer sends it again. The chunk next in order is always taken.
     */
    NO_MEMORY,
    /** A message larger than the maximum message size; its pieces are discarded. */
    MESSAGE_TOO_LARGE,
    /** A DATA chunk without user data: the association is aborted, as RFC 9260 §6.2 says. */
    NO_USER_DATA,
    /** DATA on a stream the association does not have; its TSN is still acknowledged (RFC 9260 §6.5). */
    INVALID_STREAM,
    /** A chunk whose answer would not fit the MTU (a HEARTBEAT too large to echo). */
    OVERSIZED,
    /** A chunk that makes no sense in the current state, or an unknown one the peer asked us to skip. */
    UNEXPECTED_CHUNK,
    /** Anything after the association closed, and chunks bundled with the ABORT that closed it. */
    CLOSED
}
