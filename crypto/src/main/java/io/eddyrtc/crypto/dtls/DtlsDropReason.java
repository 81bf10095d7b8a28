package io.eddyrtc.crypto.dtls;

/** Why a {@link DtlsEndpoint} ignored (part of) a datagram; counted, never thrown. */
public enum DtlsDropReason {
    /** The record header is truncated, or its length runs past the datagram. */
    MALFORMED_RECORD,
    /** Not DTLS 1.0/1.2. */
    BAD_VERSION,
    /** From an epoch we have no keys for (yet or any more). */
    WRONG_EPOCH,
    /** A protected record that does not authenticate. */
    BAD_RECORD_MAC,
    /** A record sequence number already seen. */
    REPLAYED_RECORD,
    /** A handshake fragment that is malformed, too long, too far ahead or over the buffering budget. */
    BAD_FRAGMENT,
    /** A handshake message or record type that makes no sense now (e.g. application data before the handshake). */
    UNEXPECTED,
    /** Anything after the connection closed or failed. */
    CLOSED
}
