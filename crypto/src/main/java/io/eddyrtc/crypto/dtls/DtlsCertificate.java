package io.eddyrtc.crypto.dtls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;

/**
 * A self-signed ECDSA P-256 certificate and its key, as WebRTC uses them (RFC 8827 §6.5): the peer trusts
 * it only through the SHA-256 fingerprint signalled in SDP. Generating one costs a key pair and a
 * signature (about a millisecond), so a server makes one and reuses it for many sessions.
 */
public final class DtlsCertificate {
    private final byte[] der;
    private final PrivateKey privateKey;
    private final Fingerprint fingerprint;

    private DtlsCertificate(byte[] der, PrivateKey privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = Fingerprint.sha256(der);
    }

    /**
     * A new key pair and certificate for WebRTC, where the peer checks the fingerprint and never the
     * validity dates (RFC 8827 §6.5): dated from 1970 for 100 years, so no clock is read.
     */
    public static DtlsCertificate generate(SecureRandom random) {
        return generate(random, Instant.EPOCH.plus(1, ChronoUnit.DAYS), 36_500);
    }

    /**
     * A new key pair and certificate, valid from a day before {@code notBefore} for 30 days. The validity
     * is informational (WebRTC checks the fingerprint, not dates); it is an argument so the library reads
     * no clock.
     */
    public static DtlsCertificate generate(SecureRandom random, Instant notBefore) {
        return generate(random, notBefore, 30);
    }

    private static DtlsCertificate generate(SecureRandom random, Instant notBefore, int validDays) {
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(notBefore, "notBefore: pass the current time, e.g. Instant.now()");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=eddy");
            byte[] serial = new byte[8];
            random.nextBytes(serial);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(1, serial),
                    Date.from(notBefore.minus(1, ChronoUnit.DAYS)), Date.from(notBefore.plus(validDays, ChronoUnit.DAYS)),
                    name, keys.getPublic());
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random).build(keys.getPrivate());
            return new DtlsCertificate(builder.build(signer).getEncoded(), keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("could not generate an ECDSA P-256 certificate", e);
        }
    }

    /** The certificate in DER, as the DTLS Certificate message carries it. */
    public byte[] der() {
        return der.clone();
    }

    byte[] derUnsafe() {
        return der;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    /** The SHA-256 fingerprint for {@code a=fingerprint}. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + fingerprint.toSdpValue() + "]";
    }
}
