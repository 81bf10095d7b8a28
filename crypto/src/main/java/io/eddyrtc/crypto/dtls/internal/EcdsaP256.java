package io.eddyrtc.crypto.dtls.internal;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

/**
 * ECDSA over P-256 with SHA-256. Signing is BouncyCastle's signer with deterministic RFC 6979 nonces, so a
 * handshake is reproducible from the {@code SecureRandom} it is given, with the nonce's point k·G on OpenSSL's
 * libcrypto ({@link OpenSslEc}): 13–16 against BouncyCastle's 52–60 µs alone here, and the same signature byte
 * for byte. Verifying runs on libcrypto (43–48 against 117–131 µs). Where libcrypto is missing,
 * BouncyCastle does all of it; see perf/results/dtls.md. Signatures are DER, as TLS carries them.
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
        ECDSASigner signer = OpenSslEc.isAvailable() ? new LibcryptoNoncePointSigner()
                : new ECDSASigner(new HMacDSAKCalculator(new JdkSha256Digest()));
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

    /** BouncyCastle's RFC 6979 ECDSA whose one scalar multiplication, k·G, libcrypto does. */
    private static final class LibcryptoNoncePointSigner extends ECDSASigner {
        LibcryptoNoncePointSigner() {
            super(new HMacDSAKCalculator(new JdkSha256Digest()));
        }

        @Override
        protected ECMultiplier createBasePointMultiplier() {
            return LibcryptoNoncePointSigner::multiplyGenerator;
        }

        private static ECPoint multiplyGenerator(ECPoint p, BigInteger k) {
            if (p != DOMAIN.getG() || k.signum() <= 0 || k.compareTo(DOMAIN.getN()) >= 0) {
                return new FixedPointCombMultiplier().multiply(p, k); // never asked by ECDSASigner; correct anyway
            }
            byte[] scalar = BigIntegers.asUnsignedByteArray(32, k);
            byte[] x = new byte[32];
            byte[] y = new byte[32];
            try {
                if (!OpenSslEc.multiplyP256Generator(scalar, x, y)) {
                    return new FixedPointCombMultiplier().multiply(p, k);
                }
            } finally {
                Arrays.fill(scalar, (byte) 0);
            }
            return DOMAIN.getCurve().createPoint(new BigInteger(1, x), new BigInteger(1, y));
        }
    }

    private static byte[] sha256(byte[] data) {
        return JdkSha256Digest.sha256().digest(data);
    }
}
