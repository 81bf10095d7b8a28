package io.eddyrtc.crypto.dtls.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * OpenSSL's ECDSA verification, which the handshake uses where libcrypto is: BouncyCastle's signatures verify,
 * any flipped bit, another digest, a point off the curve or malformed DER fails without an exception; the
 * JDK's P-384 and P-521 signatures verify; and with libcrypto switched off BouncyCastle does the same.
 */
class OpenSslEcTest {

    @Test
    void libcryptoIsHereOnThisMachine() {
        assertTrue(OpenSslEc.isAvailable(), "libssl3 is installed where eddy's tests run; without it BouncyCastle takes over");
    }

    @Test
    void bouncyCastleSignaturesVerifyAndEveryFlippedBitFails() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        byte[] data = "the transcript so far".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] signature = EcdsaP256.sign(keys.getPrivate(), data);
        ECPublicKey key = (ECPublicKey) keys.getPublic();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
        assertTrue(OpenSslEc.verifyEcdsa(key, digest, signature));
        for (int bit = 0; bit < 8 * signature.length; bit++) {
            byte[] flipped = signature.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(OpenSslEc.verifyEcdsa(key, digest, flipped), "bit " + bit);
        }
        byte[] otherDigest = digest.clone();
        otherDigest[0] ^= 1;
        assertFalse(OpenSslEc.verifyEcdsa(key, otherDigest, signature));
        ECPublicKey offCurve = new OffCurveKey(key);
        assertFalse(OpenSslEc.verifyEcdsa(offCurve, digest, signature), "a point not on the curve");
        assertFalse(OpenSslEc.verifyEcdsa(key, digest, new byte[] {0x30, 0x03, 1, 2, 3}), "DER that is no signature");
    }

    @Test
    void withoutLibcryptoBouncyCastleVerifiesAndAgreesTheSame() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        byte[] data = {1, 2, 3};
        byte[] signature = EcdsaP256.sign(keys.getPrivate(), data);
        System.setProperty("eddy.dtls.ec", "bouncycastle");
        try {
            assertFalse(OpenSslEc.isAvailable());
            assertTrue(EcdsaP256.verify(keys.getPublic(), data, signature));
            signature[10] ^= 1;
            assertFalse(EcdsaP256.verify(keys.getPublic(), data, signature));
        } finally {
            System.clearProperty("eddy.dtls.ec");
        }
    }

    /** The P-384 and P-521 signatures of the JDK verify there too. */
    @Test
    void theOtherCurvesVerify() throws Exception {
        for (String[] curve : new String[][] {{"secp384r1", "SHA384withECDSA", "SHA-384"}, {"secp521r1", "SHA512withECDSA", "SHA-512"}}) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve[0]));
            KeyPair keys = generator.generateKeyPair();
            java.security.Signature s = java.security.Signature.getInstance(curve[1]);
            s.initSign(keys.getPrivate());
            s.update(new byte[] {9, 9});
            byte[] signature = s.sign();
            byte[] digest = MessageDigest.getInstance(curve[2]).digest(new byte[] {9, 9});
            assertTrue(OpenSslEc.verifyEcdsa((ECPublicKey) keys.getPublic(), digest, signature), curve[0]);
            signature[signature.length - 1] ^= 1;
            assertFalse(OpenSslEc.verifyEcdsa((ECPublicKey) keys.getPublic(), digest, signature), curve[0]);
        }
    }

    /** A key whose point is moved off the curve. */
    private record OffCurveKey(ECPublicKey real) implements ECPublicKey {
        @Override
        public java.security.spec.ECPoint getW() {
            return new java.security.spec.ECPoint(real.getW().getAffineX(), real.getW().getAffineY().add(java.math.BigInteger.ONE));
        }

        @Override
        public java.security.spec.ECParameterSpec getParams() {
            return real.getParams();
        }

        @Override
        public String getAlgorithm() {
            return "EC";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }
}
