package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.Fingerprint;

import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_BAD_CERTIFICATE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_INSUFFICIENT_SECURITY;

/**
 * The peer's certificate as WebRTC trusts it (RFC 8827 §6.5): only through the fingerprint signalled in
 * SDP, never a chain or dates. Its key must be one eddy verifies: ECDSA, or RSA of 2048 to 4096 bits (several
 * stacks default to RSA; smaller keys are too weak, larger ones only cost the verifier).
 */
record PeerCertificate(PublicKey key) {
    static final int MIN_RSA_BITS = 2048;
    static final int MAX_RSA_BITS = 4096;

    static PeerCertificate parse(byte[] der, Fingerprint expected) throws HandshakeFailure {
        X509Certificate x509;
        try {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) { // the JDK's parser meets some hostile DER with runtime exceptions
            throw new HandshakeFailure(ALERT_BAD_CERTIFICATE, "the peer's certificate does not parse: " + e.getMessage());
        }
        if (expected != null && !expected.matches(der)) {
            throw new HandshakeFailure(ALERT_BAD_CERTIFICATE, "the peer's certificate does not match the signalled fingerprint");
        }
        PublicKey key = x509.getPublicKey();
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw new HandshakeFailure(ALERT_INSUFFICIENT_SECURITY, "the peer's RSA key has " + bits + " bits; eddy accepts "
                        + MIN_RSA_BITS + " to " + MAX_RSA_BITS);
            }
        } else if (!(key instanceof ECPublicKey)) {
            throw new HandshakeFailure(ALERT_BAD_CERTIFICATE, "the peer's certificate has a " + key.getAlgorithm()
                    + " key; eddy verifies ECDSA and RSA");
        }
        return new PeerCertificate(key);
    }
}
