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
    /** An answer to no request of ours, in flight or recently ended. */
    UNKNOWN_TRANSACTION,
    /**
     * An answer to a request of ours that was already answered or given up on: the second answer to a check
     * retransmitted while the first was on its way (a slow peer or machine), or a replay.
     */
    LATE_RESPONSE,
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
    /**
     * A check on an ICE-TCP connection beyond {@link IceConfig#maxTcpConnections()} (dropped unanswered), so the
     * caller's listener closes the connection.
     */
    TCP_CONNECTION_LIMIT,
    /** From a TURN server: a datagram that is neither a well-formed STUN message nor ChannelData, or one no TURN client expects. */
    RELAY_MALFORMED,
    /** From a TURN server: an answer to no request of ours in flight. */
    RELAY_UNKNOWN_TRANSACTION,
    /** From a TURN server: an answer to an authenticated request without valid MESSAGE-INTEGRITY (the long-term key). */
    RELAY_BAD_INTEGRITY,
    /** From a TURN server: data from a peer or on a channel we hold no permission or binding for. */
    RELAY_UNKNOWN_PEER,
    /**
     * A pair of a relayed candidate not formed: its allocation already keeps {@link IceConfig#maxRelayPeers()}
     * permissions and channels.
     */
    RELAY_PEER_LIMIT,
    /** A datagram for the relay that does not fit a TURN message (longer than the relay buffer), or an allocation that is gone. */
    RELAY_UNSENDABLE,
    /** The agent has FAILED: it neither answers nor sends until {@link IceAgent#restart()}. */
    FAILED,
    CLOSED
}
