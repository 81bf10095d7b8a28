package io.eddyrtc.crypto.dtls;

/**
 * The DTLS 1.2 cipher suites eddy speaks (those browsers use with ECDSA certificates), in eddy's order
 * of preference when it chooses as a server.
 */
public enum DtlsCipherSuite {
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256(0xC02B, "AES/GCM/NoPadding", 16, 4, 8, "SHA-256", "HmacSHA256"),
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384(0xC02C, "AES/GCM/NoPadding", 32, 4, 8, "SHA-384", "HmacSHA384"),
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256(0xCCA9, "ChaCha20-Poly1305", 32, 12, 0, "SHA-256", "HmacSHA256");

    private final int id;
    private final String cipher;
    private final int keyLength;
    private final int fixedIvLength;
    private final int recordIvLength;
    private final String hash;
    private final String hmac;

    DtlsCipherSuite(int id, String cipher, int keyLength, int fixedIvLength, int recordIvLength, String hash, String hmac) {
        this.id = id;
        this.cipher = cipher;
        this.keyLength = keyLength;
        this.fixedIvLength = fixedIvLength;
        this.recordIvLength = recordIvLength;
        this.hash = hash;
        this.hmac = hmac;
    }

    /** The suite's number on the wire. */
    public int id() {
        return id;
    }

    /** The JCA transformation of the record cipher. */
    public String cipher() {
        return cipher;
    }

    /** Bytes of each direction's write key. */
    public int keyLength() {
        return keyLength;
    }

    /** Implicit IV bytes from the key block (GCM salt, or the whole ChaCha20 nonce mask). */
    public int fixedIvLength() {
        return fixedIvLength;
    }

    /** Explicit nonce bytes carried in each record (GCM: 8; ChaCha20: none). */
    public int recordIvLength() {
        return recordIvLength;
    }

    /** The JCA name of the handshake hash (session hash, Finished). */
    public String hash() {
        return hash;
    }

    /** The JCA name of the PRF's HMAC. */
    public String hmac() {
        return hmac;
    }

    /** The suite with wire number {@code id}, or null if eddy does not speak it. */
    public static DtlsCipherSuite fromId(int id) {
        for (DtlsCipherSuite s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }
}
