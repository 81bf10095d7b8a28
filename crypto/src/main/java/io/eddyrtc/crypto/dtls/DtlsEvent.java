package io.eddyrtc.crypto.dtls;

import io.eddyrtc.crypto.srtp.SrtpKeyingMaterial;

/** What a {@link DtlsEndpoint} reports, polled with {@link DtlsEndpoint#pollEvent()}. */
public sealed interface DtlsEvent {

    /**
     * The handshake finished and the peer's certificate matched the signalled fingerprint. {@code srtp}
     * is null when the peers negotiated no use_srtp profile (a data-channel-only peer may do that). The
     * endpoint keeps no copy of these keys and has zeroed its master secret: {@code srtp} is the receiver's
     * to wipe ({@link SrtpKeyingMaterial#destroy()}) once its SRTP contexts are made. {@code version},
     * {@code cipherSuite} and {@code group} are what the handshake negotiated.
     */
    record Connected(DtlsVersion version, DtlsCipherSuite cipherSuite, NamedGroup group, SrtpKeyingMaterial srtp,
                     Fingerprint peerFingerprint) implements DtlsEvent {}

    /** Application data (SCTP packets, for WebRTC) from the peer. */
    record ApplicationData(byte[] data) implements DtlsEvent {}

    /**
     * The peer closed the connection (close_notify): a normal end, not a failure. (Our
     * own {@link DtlsEndpoint#close()} reports nothing.)
     */
    record Closed() implements DtlsEvent {}

    /**
     * The handshake or connection failed for good: a fatal alert from the peer, a handshake that cannot
     * succeed, or a timeout. No keys are released after it.
     */
    record Failed(String reason) implements DtlsEvent {}
}
