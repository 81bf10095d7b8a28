package io.eddyrtc.crypto.dtls;

/** The ECDHE groups eddy offers and accepts (RFC 8422 §5.1.1, RFC 7748). */
public enum NamedGroup {
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

    /** Bytes of one field element (a coordinate, or the X25519 u). */
    public int fieldBytes() {
        return fieldBytes;
    }

    /** The JCA name of the curve. */
    public String curve() {
        return curve;
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
