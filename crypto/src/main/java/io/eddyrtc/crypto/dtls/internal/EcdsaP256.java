package io.eddyrtc.crypto.dtls.internal;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;

/**
 * ECDSA over P-256 with SHA-256: signing on BouncyCastle's fixed-curve arithmetic (about 1.8× faster than the
 * JDK's {@code SHA256withECDSA}, with deterministic RFC 6979 nonces), verifying on OpenSSL's libcrypto
 * ({@link OpenSslEc}, about 3× faster again than BouncyCastle, which verifies where libcrypto is missing);
 * see perf/results/dtls.md. Signatures are DER, as TLS carries them.
 */
public final class EcdsaP256 {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    private EcdsaP256() {
    }

    /** Whether {@code key} is a P-256 key this class can use (else the caller falls back to the JDK). */
    public static boolean isP256(java.security.Key key) {
        java.security.spec.ECParameterSpec params = key instanceof ECPublicKey p ? p.getParams()
                : key instanceof ECPrivateKey k ? k.getParams() : null;
        return params != null && params.getOrder().equals(CURVE.getN()) && params.getCurve().getField().getFieldSize() == 256;
    }

    public static byte[] sign(PrivateKey key, byte[] data) throws IOException {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(((ECPrivateKey) key).getS(), DOMAIN));
        BigInteger[] rs = signer.generateSignature(sha256(data));
        return StandardDSAEncoding.INSTANCE.encode(DOMAIN.getN(), rs[0], rs[1]);
    }

    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        if (OpenSslEc.isAvailable()) {
            return OpenSslEc.verifyEcdsa((ECPublicKey) key, sha256(data), signature);
        }
        try {
            java.security.spec.ECPoint w = ((ECPublicKey) key).getW();
            ECPublicKeyParameters publicKey = new ECPublicKeyParameters(
                    DOMAIN.getCurve().validatePoint(w.getAffineX(), w.getAffineY()), DOMAIN);
            BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(DOMAIN.getN(), signature);
            ECDSASigner signer = new ECDSASigner();
            signer.init(false, publicKey);
            return signer.verifySignature(sha256(data), rs[0], rs[1]);
        } catch (IOException | RuntimeException e) {
            // a malformed signature or point is a failed verification; BouncyCastle's DER decoder meets
            // hostile bytes with IllegalStateException, ClassCastException or NullPointerException as well
            return false;
        }
    }

    private static byte[] sha256(byte[] data) {
        SHA256Digest d = new SHA256Digest();
        d.update(data, 0, data.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
