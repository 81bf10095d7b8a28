package io.eddyrtc.crypto.dtls.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import static io.eddyrtc.crypto.dtls.internal.Dtls.*;

/**
 * The handshake's signatures (ServerKeyExchange and CertificateVerify): ours always ecdsa_secp256r1_sha256,
 * the peer's ECDSA, RSA-PSS (RSAE and PSS keys) or, in DTLS 1.2 only, RSA PKCS#1 v1.5. P-256 ECDSA runs on
 * {@link EcdsaP256}, the other curves' verification on OpenSSL ({@link OpenSslEc}) where it is, RSA on the
 * JDK (a public-exponent power, as fast there as on BouncyCastle).
 */
public final class Signatures {
    private Signatures() {
    }

    /** Our signature over {@code data} with ecdsa_secp256r1_sha256, DER-encoded. */
    public static byte[] sign(PrivateKey key, SecureRandom random, byte[] data) throws GeneralSecurityException {
        if (EcdsaP256.isP256(key)) {
            try {
                return EcdsaP256.sign(key, data);
            } catch (IOException e) {
                throw new GeneralSecurityException("could not encode the ECDSA signature", e);
            }
        }
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key, random);
        s.update(data);
        return s.sign();
    }

    /** Whether {@code scheme} is RSA PKCS#1 v1.5, which DTLS 1.3 handshakes must not use (RFC 8446 §4.2.3). */
    public static boolean isPkcs1(int scheme) {
        return scheme == RSA_PKCS1_SHA256 || scheme == RSA_PKCS1_SHA384 || scheme == RSA_PKCS1_SHA512;
    }

    /**
     * Whether {@code signature} (scheme {@code algorithm}) by {@code key} covers {@code data}; false for a
     * scheme eddy does not verify, one that does not fit the key, and any malformed part.
     */
    public static boolean verify(PublicKey key, int algorithm, byte[] data, byte[] signature) throws GeneralSecurityException {
        if (algorithm == ECDSA_SECP256R1_SHA256 && EcdsaP256.isP256(key)) {
            return EcdsaP256.verify(key, data, signature);
        }
        if ((algorithm == ECDSA_SECP384R1_SHA384 || algorithm == ECDSA_SECP521R1_SHA512) && key instanceof ECPublicKey ec
                && OpenSslEc.isAvailable()) {
            return OpenSslEc.verifyEcdsa(ec, Jca.digest(algorithm == ECDSA_SECP384R1_SHA384 ? "SHA-384" : "SHA-512")
                    .digest(data), signature);
        }
        Signature s = verifier(key, algorithm);
        if (s == null) {
            return false;
        }
        try {
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (SignatureException | java.security.InvalidKeyException | RuntimeException e) {
            return false; // a malformed signature, or a key of another kind than the scheme says, is a failed one
        }
    }

    private static Signature verifier(PublicKey key, int algorithm) throws GeneralSecurityException {
        boolean rsa = key instanceof RSAKey;
        String hash = switch (algorithm & 0xFF) {
            case 0x03 -> algorithm >>> 8 == 4 ? "SHA-256" : algorithm >>> 8 == 5 ? "SHA-384" : "SHA-512";
            case 0x01 -> algorithm >>> 8 == 4 ? "SHA-256" : algorithm >>> 8 == 5 ? "SHA-384" : "SHA-512";
            case 0x04, 0x09 -> "SHA-256";
            case 0x05, 0x0A -> "SHA-384";
            case 0x06, 0x0B -> "SHA-512";
            default -> null;
        };
        if (hash == null) {
            return null;
        }
        return switch (algorithm) {
            case ECDSA_SECP256R1_SHA256, ECDSA_SECP384R1_SHA384, ECDSA_SECP521R1_SHA512 ->
                    rsa ? null : Signature.getInstance(hash.replace("-", "") + "withECDSA");
            case RSA_PKCS1_SHA256, RSA_PKCS1_SHA384, RSA_PKCS1_SHA512 -> rsa ? Signature.getInstance(hash.replace("-", "") + "withRSA") : null;
            case RSA_PSS_RSAE_SHA256, RSA_PSS_RSAE_SHA384, RSA_PSS_RSAE_SHA512, RSA_PSS_PSS_SHA256, RSA_PSS_PSS_SHA384,
                 RSA_PSS_PSS_SHA512 -> {
                if (!rsa) {
                    yield null;
                }
                Signature pss = Signature.getInstance("RSASSA-PSS");
                int saltLength = hash.equals("SHA-256") ? 32 : hash.equals("SHA-384") ? 48 : 64;
                pss.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), saltLength, 1));
                yield pss;
            }
            default -> null;
        };
    }
}
