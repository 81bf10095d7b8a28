package io.eddyrtc.engine.stream;

/** What a receive stream made of one RTP packet; only {@link #NEW} and {@link #LATE} are to be delivered. */
public enum ReceiveOutcome {
    /** The newest sequence number so far (in order, or after a gap). */
    NEW,
    /** Older than the newest but not seen before: reordered, or a repair filling a gap. */
    LATE,
    /** Seen before; drop. */
    DUPLICATE,
    /** So much older than the newest that it cannot be told from a duplicate; drop. */
    TOO_OLD,
    /**
     * A sequence number far from the newest (RFC 3550 A.1's MAX_DROPOUT), held on probation: dropped, but if
     * the next packet follows it the stream restarts its sequence state there (a source restart).
     */
    JUMP,
    /**
     * A padding-only packet (bandwidth probing): its sequence number is accounted (it is not a loss), but
     * there is nothing to deliver. On an RTX SSRC it carries no OSN and touches no state.
     */
    PADDING,
    /** An RTX packet with no room for its original sequence number; drop. */
    MALFORMED_RTX
}
