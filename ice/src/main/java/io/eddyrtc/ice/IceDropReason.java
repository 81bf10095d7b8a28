package io.eddyrtc.ice;

/**
 * Why the agent dropped (or only answered with an error) a datagram, or did not keep a candidate or
 * pair a peer offered. Counted per reason.
 */
public enum IceDropReason {
    NOT_STUN,
    MALFORMED,
    NOT_BINDING,
    INDICATION,
    WRONG_USERNAME,
    MISSING_INTEGRITY,
    BAD_INTEGRITY,
    BAD_FINGERPRINT,
    UNKNOWN_TRANSACTION,
    UNKNOWN_DESTINATION,
    /** Answered with 420 and UNKNOWN-ATTRIBUTES. */
    UNKNOWN_COMPREHENSION_REQUIRED,
    /** Answered with 487. */
    ROLE_CONFLICT,
    ASYMMETRIC_RESPONSE,
    ERROR_RESPONSE,
    TRANSMIT_QUEUE_FULL,
    /** A signalled remote candidate beyond {@link IceConfig#maxRemoteCandidates()}. */
    REMOTE_CANDIDATE_LIMIT,
    /**
     * A check from a new address beyond {@link IceConfig#maxPeerReflexiveCandidates()} (dropped unanswered),
     * or a new mapped address in an answer beyond it (the answer itself counts).
     */
    PEER_REFLEXIVE_LIMIT,
    /** A pair not formed because the check list holds {@link IceConfig#maxPairs()}. */
    PAIR_LIMIT,
    /** The agent has FAILED: it neither answers nor sends until {@link IceAgent#restart()}. */
    FAILED,
    CLOSED
}
