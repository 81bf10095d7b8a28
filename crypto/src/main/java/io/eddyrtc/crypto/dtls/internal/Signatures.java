package io.eddyrtc.crypto.dtls.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;

import static io.eddyrtc.crypto.dtls.internal.Dtls.ECDSA_SECP256R1_SHA256;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ECDSA_SECP384R1_SHA384;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ECDSA_SECP521R1_SHA512;

/**
 * The handshake's ECDSA signatures (ServerKeyExchange, CertificateVerify): ours always
 * ecdsa_secp256r1_sha256, the peer's any ECDSA scheme. P-256 runs on {@link EcdsaP256}, the rest on the JDK.
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

    /** Whether {@code signature} (scheme {@code algorithm}) by {@code key} covers {@code data}; false for any malformed part. */
    public static boolean verify(PublicKey key, int algorithm, byte[] data, byte[] signature) throws GeneralSecurityException {
        String name = switch (algorithm) {
            case ECDSA_SECP256R1_SHA256 -> "SHA256withECDSA";
            case ECDSA_SECP384R1_SHA384 -> "SHA384withECDSA";
            case ECDSA_SECP521R1_SHA512 -> "SHA512withECDSA";
            default -> null;
        };
        if (name == null) {
            return false;
        }
        if (algorithm == ECDSA_SECP256R1_SHA256 && EcdsaP256.isP256(key)) {
            return EcdsaP256.verify(key, data, signature);
        }
        Signature s = Signature.getInstance(name);
        s.initVerify(key);
        s.update(data);
        try {
            return s.verify(signature);
        } catch (SignatureException e) {
            return false; // a malformed signature is a failed one
        }
    }
}
