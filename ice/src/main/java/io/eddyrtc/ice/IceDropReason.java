package io.eddyrtc.ice;

/** Why the agent dropped (or only answered with an error) a datagram. Counted per reason. */
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
    CLOSED
}
