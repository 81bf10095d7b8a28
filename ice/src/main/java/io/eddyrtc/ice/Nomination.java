package io.eddyrtc.ice;

/** How the controlling agent nominates (RFC 8445 §8.1.1; aggressive is from RFC 5245). */
public enum Nomination {
    /** Check first, then repeat the check on the chosen pair with USE-CANDIDATE. */
    REGULAR,
    /** Put USE-CANDIDATE on every check; the first pair to succeed is used. Faster, less choosy. */
    AGGRESSIVE
}
