package io.eddyrtc.crypto.dtls;

/**
 * The key-exchange groups eddy offers and accepts: elliptic curves (RFC 8422 §5.1.1, RFC 7748) and the
 * post-quantum hybrid X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem), which only DTLS 1.3 can carry.
 */
public enum NamedGroup {
    /** ML-KEM-768 and X25519 together: secure as long as either is. DTLS 1.3 only. */
    X25519MLKEM768(0x11EC, 0, "X25519MLKEM768"),
    X25519(29, 32, "X25519"),
    SECP256R1(23, 32, "secp256r1"),
    SECP384R1(24, 48, "secp384r1");

    private final int id;
    private final int fieldBytes;
    private final String curve;

    NamedGroup(int id, int fieldBytes, String curve) {
        this.id = id;
        this.fieldBytes = fieldBytes;
        this.curve = curve;
    }

    /** The group's number on the wire. */
    public int id() {
        return id;
    }

    /** Bytes of one field element (a coordinate, or the X25519 u); 0 for the hybrid. */
    public int fieldBytes() {
        return fieldBytes;
    }

    /** The JCA name of the curve (the hybrid's own name for it). */
    public String curve() {
        return curve;
    }

    /** Whether DTLS 1.2 can use it: its ServerKeyExchange carries elliptic curves only. */
    public boolean inDtls12() {
        return this != X25519MLKEM768;
    }

    /** The group with wire number {@code id}, or null if eddy does not speak it. */
    public static NamedGroup fromId(int id) {
        for (NamedGroup g : values()) {
            if (g.id == id) {
                return g;
            }
        }
        return null;
    }
}
