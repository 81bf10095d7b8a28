package io.eddyrtc.crypto.dtls;

/** Why a {@link DtlsEndpoint} ignored (part of) a datagram; counted, never thrown. */
public enum DtlsDropReason {
    /** The record header is truncated, its length runs past the datagram, or it names a connection ID eddy never negotiates. */
    MALFORMED_RECORD,
    /** A record header (DTLS 1.2 form) not saying DTLS 1.0/1.2, or a protected 1.2 record not marked DTLS 1.2. */
    BAD_VERSION,
    /** From an epoch we have no keys for (yet or any more). */
    WRONG_EPOCH,
    /** A protected record that does not authenticate. */
    BAD_RECORD_MAC,
    /** A record sequence number already seen. */
    REPLAYED_RECORD,
    /** A handshake fragment that is malformed, too long, too far ahead or over the buffering budget. */
    BAD_FRAGMENT,
    /**
     * A handshake message or record type that makes no sense now: application data before the handshake, a
     * DTLS 1.3 post-handshake message eddy does not take, an ACK naming a later epoch or malformed.
     */
    UNEXPECTED,
    /**
     * A plaintext (epoch 0) record after the handshake: alerts, handshake messages and ChangeCipherSpec come
     * protected by then, so an unauthenticated one (anyone can forge it) is never acted on.
     */
    PLAINTEXT_AFTER_HANDSHAKE,
    /** A Finished in a plaintext (epoch 0) record: Finished is always protected, so this one is forged. */
    UNPROTECTED_FINISHED,
    /**
     * A ClientHello (or, at a client, the server's first reply) that does not parse: it comes before anything
     * is authenticated, so it is dropped and a good one is still awaited.
     */
    MALFORMED_HELLO,
    /**
     * A well-formed ClientHello that offers nothing eddy accepts (DTLS 1.0 only, no version eddy is configured
     * for, no common suite or group, no extended master secret in 1.2, no ecdsa_secp256r1_sha256, in 1.3 a
     * legacy cookie, a cookie eddy did not make for that address or an unusable key share): dropped without an
     * alert, since our datagrams go to the ICE peer, which may not be who sent it; a good one is still awaited.
     */
    REFUSED_CLIENT_HELLO,
    /** Anything after the connection closed or failed. */
    CLOSED
}
