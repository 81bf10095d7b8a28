package io.eddyrtc.ice.stun;

/** Why {@link StunMessage#wrap} refused a datagram. */
public enum StunParseError {
    NONE,
    TOO_SHORT,
    NOT_STUN,
    BAD_LENGTH,
    TRUNCATED_ATTRIBUTE,
    BAD_ATTRIBUTE_LENGTH,
    ATTRIBUTE_AFTER_FINGERPRINT
}
