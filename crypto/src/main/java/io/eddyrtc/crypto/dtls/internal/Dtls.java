package io.eddyrtc.crypto.dtls.internal;

/**
 * DTLS numbers (RFC 6347, RFC 9147, RFC 5246, RFC 8446 and the TLS registries): record content types,
 * handshake message types, alerts, extensions, signature schemes, versions and header sizes.
 */
public final class Dtls {
    // Record content types.
    public static final int CHANGE_CIPHER_SPEC = 20;
    public static final int ALERT = 21;
    public static final int HANDSHAKE = 22;
    public static final int APPLICATION_DATA = 23;
    /** DTLS 1.3 acknowledgement of handshake records (RFC 9147 §7). */
    public static final int ACK = 26;

    // Handshake message types.
    public static final int CLIENT_HELLO = 1;
    public static final int SERVER_HELLO = 2;
    public static final int HELLO_VERIFY_REQUEST = 3;
    public static final int NEW_SESSION_TICKET = 4;
    public static final int ENCRYPTED_EXTENSIONS = 8;
    public static final int CERTIFICATE = 11;
    public static final int SERVER_KEY_EXCHANGE = 12;
    public static final int CERTIFICATE_REQUEST = 13;
    public static final int SERVER_HELLO_DONE = 14;
    public static final int CERTIFICATE_VERIFY = 15;
    public static final int CLIENT_KEY_EXCHANGE = 16;
    public static final int FINISHED = 20;
    public static final int KEY_UPDATE = 24;
    /** The stand-in for a ClientHello answered by a HelloRetryRequest in the 1.3 transcript (RFC 8446 §4.4.1). */
    public static final int MESSAGE_HASH = 254;

    // Extensions.
    public static final int EXT_SUPPORTED_GROUPS = 10;
    public static final int EXT_EC_POINT_FORMATS = 11;
    public static final int EXT_SIGNATURE_ALGORITHMS = 13;
    public static final int EXT_USE_SRTP = 14;
    public static final int EXT_EXTENDED_MASTER_SECRET = 23;
    public static final int EXT_RENEGOTIATION_INFO = 0xFF01;
    public static final int EXT_SUPPORTED_VERSIONS = 43;
    public static final int EXT_COOKIE = 44;
    public static final int EXT_KEY_SHARE = 51;

    // Signature schemes.
    public static final int ECDSA_SECP256R1_SHA256 = 0x0403;
    public static final int ECDSA_SECP384R1_SHA384 = 0x0503;
    public static final int ECDSA_SECP521R1_SHA512 = 0x0603;
    public static final int RSA_PKCS1_SHA256 = 0x0401;
    public static final int RSA_PKCS1_SHA384 = 0x0501;
    public static final int RSA_PKCS1_SHA512 = 0x0601;
    public static final int RSA_PSS_RSAE_SHA256 = 0x0804;
    public static final int RSA_PSS_RSAE_SHA384 = 0x0805;
    public static final int RSA_PSS_RSAE_SHA512 = 0x0806;
    public static final int RSA_PSS_PSS_SHA256 = 0x0809;
    public static final int RSA_PSS_PSS_SHA384 = 0x080A;
    public static final int RSA_PSS_PSS_SHA512 = 0x080B;

    // ClientCertificateType (CertificateRequest).
    public static final int RSA_SIGN = 1;
    public static final int ECDSA_SIGN = 64;

    // ECCurveType (ServerKeyExchange).
    public static final int NAMED_CURVE = 3;

    // Alert levels and descriptions.
    public static final int WARNING = 1;
    public static final int FATAL = 2;
    public static final int ALERT_CLOSE_NOTIFY = 0;
    public static final int ALERT_UNEXPECTED_MESSAGE = 10;
    public static final int ALERT_HANDSHAKE_FAILURE = 40;
    public static final int ALERT_BAD_CERTIFICATE = 42;
    public static final int ALERT_ILLEGAL_PARAMETER = 47;
    public static final int ALERT_DECODE_ERROR = 50;
    public static final int ALERT_DECRYPT_ERROR = 51;
    public static final int ALERT_PROTOCOL_VERSION = 70;
    public static final int ALERT_INSUFFICIENT_SECURITY = 71;
    public static final int ALERT_INAPPROPRIATE_FALLBACK = 86;
    public static final int ALERT_MISSING_EXTENSION = 109;
    public static final int ALERT_CERTIFICATE_REQUIRED = 116;

    // Versions: DTLS counts down (0xfeff is 1.0, 0xfefd 1.2).
    public static final int DTLS_1_0 = 0xFEFF;
    public static final int DTLS_1_2 = 0xFEFD;
    public static final int DTLS_1_3 = 0xFEFC;

    /** type(1) version(2) epoch(2) sequence_number(6) length(2). */
    public static final int RECORD_HEADER = 13;
    /** msg_type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3). */
    public static final int HANDSHAKE_HEADER = 12;
    /** A TLS random: 32 bytes. */
    public static final int RANDOM_LENGTH = 32;

    /**
     * The last 8 bytes of a ServerHello random when a server able to speak DTLS 1.3 negotiates 1.2
     * (RFC 8446 §4.1.3): a client that offered 1.3 sees that an attacker took it out of the hello.
     */
    public static final byte[] DOWNGRADE_TO_1_2 = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01};

    /** The ServerHello random that makes it a HelloRetryRequest: SHA-256 of "HelloRetryRequest" (RFC 8446 §4.1.3). */
    public static final byte[] HELLO_RETRY_REQUEST_RANDOM = java.util.HexFormat.of().parseHex(
            "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    private Dtls() {
    }
}
