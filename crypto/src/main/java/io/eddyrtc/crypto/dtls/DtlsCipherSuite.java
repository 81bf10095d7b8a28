package io.eddyrtc.crypto.dtls;

/**
 * The cipher suites eddy speaks, in eddy's order of preference when it chooses as a server: the DTLS 1.3
 * suites (AEAD and hash only; the key exchange and signature are negotiated apart), then the DTLS 1.2
 * ECDHE suites. A server answers with ECDSA suites only (its certificate is ECDSA); a client also offers the
 * ECDHE_RSA ones so that a 1.2 server with an RSA certificate can choose one.
 */
public enum DtlsCipherSuite {
    TLS_AES_128_GCM_SHA256(0x1301, DtlsVersion.DTLS_1_3, null, "AES/GCM/NoPadding", 16, 12, 0, "SHA-256", "HmacSHA256"),
    TLS_AES_256_GCM_SHA384(0x1302, DtlsVersion.DTLS_1_3, null, "AES/GCM/NoPadding", 32, 12, 0, "SHA-384", "HmacSHA384"),
    TLS_CHACHA20_POLY1305_SHA256(0x1303, DtlsVersion.DTLS_1_3, null, "ChaCha20-Poly1305", 32, 12, 0, "SHA-256", "HmacSHA256"),
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256(0xC02B, DtlsVersion.DTLS_1_2, "EC", "AES/GCM/NoPadding", 16, 4, 8, "SHA-256", "HmacSHA256"),
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384(0xC02C, DtlsVersion.DTLS_1_2, "EC", "AES/GCM/NoPadding", 32, 4, 8, "SHA-384", "HmacSHA384"),
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256(0xCCA9, DtlsVersion.DTLS_1_2, "EC", "ChaCha20-Poly1305", 32, 12, 0, "SHA-256", "HmacSHA256"),
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256(0xC02F, DtlsVersion.DTLS_1_2, "RSA", "AES/GCM/NoPadding", 16, 4, 8, "SHA-256", "HmacSHA256"),
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384(0xC030, DtlsVersion.DTLS_1_2, "RSA", "AES/GCM/NoPadding", 32, 4, 8, "SHA-384", "HmacSHA384"),
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xCCA8, DtlsVersion.DTLS_1_2, "RSA", "ChaCha20-Poly1305", 32, 12, 0, "SHA-256", "HmacSHA256");

    private final int id;
    private final DtlsVersion version;
    private final String serverKey;
    private final String cipher;
    private final int keyLength;
    private final int fixedIvLength;
    private final int recordIvLength;
    private final String hash;
    private final String hmac;

    DtlsCipherSuite(int id, DtlsVersion version, String serverKey, String cipher, int keyLength, int fixedIvLength,
                    int recordIvLength, String hash, String hmac) {
        this.id = id;
        this.version = version;
        this.serverKey = serverKey;
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

    /** The one DTLS version the suite belongs to. */
    public DtlsVersion version() {
        return version;
    }

    /**
     * The key algorithm (JCA name, {@code "EC"} or {@code "RSA"}) the server's certificate must have for this
     * DTLS 1.2 suite; null for the 1.3 suites, which leave it to the signature schemes.
     */
    public String serverKey() {
        return serverKey;
    }

    /** The JCA transformation of the record cipher. */
    public String cipher() {
        return cipher;
    }

    /** Bytes of each direction's write key. */
    public int keyLength() {
        return keyLength;
    }

    /**
     * Implicit IV bytes: for 1.2 from the key block (GCM salt, or the whole ChaCha20 nonce mask); for 1.3 the
     * whole per-record nonce mask.
     */
    public int fixedIvLength() {
        return fixedIvLength;
    }

    /** Explicit nonce bytes carried in each record (1.2 GCM: 8; otherwise none). */
    public int recordIvLength() {
        return recordIvLength;
    }

    /** The JCA name of the handshake hash (transcript, Finished, key schedule). */
    public String hash() {
        return hash;
    }

    /** The JCA name of the PRF's (1.2) or HKDF's (1.3) HMAC. */
    public String hmac() {
        return hmac;
    }

    /** Bytes of the handshake hash. */
    public int hashLength() {
        return hash.equals("SHA-384") ? 48 : 32;
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
