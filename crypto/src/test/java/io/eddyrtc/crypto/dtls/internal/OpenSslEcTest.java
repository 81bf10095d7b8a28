package io.eddyrtc.crypto.dtls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OpenSSL's ECDSA verification, which the handshake uses where libcrypto is: BouncyCastle's signatures verify,
 * any flipped bit, another digest, a point off the curve or malformed DER fails without an exception; the
 * JDK's P-384 and P-521 signatures verify; and with libcrypto switched off BouncyCastle does the same.
 * Signing with libcrypto's k·G gives RFC 6979's published signatures and, for any key and message, what
 * BouncyCastle alone signs, byte for byte.
 */
@ExtendWith(SeedExtension.class)
class OpenSslEcTest {
    /** RFC 6979 §A.2.5: the P-256 key and its SHA-256 signatures (r, s) of "sample" and "test". */
    private static final BigInteger RFC6979_KEY = new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16);
    private static final String[][] RFC6979_SIGNATURES = {
            {"sample", "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
                    "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
            {"test", "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
                    "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"}};

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

    @Test
    void signaturesAreRfc6979sWithAndWithoutLibcrypto() throws Exception {
        PrivateKey key = p256PrivateKey(RFC6979_KEY);
        for (boolean libcrypto : new boolean[] {true, false}) {
            withLibcrypto(libcrypto, () -> {
                for (String[] v : RFC6979_SIGNATURES) {
                    byte[] der = EcdsaP256.sign(key, v[0].getBytes(StandardCharsets.US_ASCII));
                    BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(N, der);
                    assertEquals(new BigInteger(v[1], 16), rs[0], v[0] + " r, libcrypto " + libcrypto);
                    assertEquals(new BigInteger(v[2], 16), rs[1], v[0] + " s, libcrypto " + libcrypto);
                }
            });
        }
    }

    @Test
    void libcryptoSignsWhatBouncyCastleAloneSignsAndTheJdkVerifiesIt(@Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), repeatable(random.nextLong()));
        for (int i = 0; i < 40; i++) {
            KeyPair keys = generator.generateKeyPair();
            byte[] data = new byte[random.nextInt(0, 3000)];
            random.nextBytes(data);
            byte[][] signature = new byte[2][];
            withLibcrypto(true, () -> signature[0] = EcdsaP256.sign(keys.getPrivate(), data));
            withLibcrypto(false, () -> signature[1] = EcdsaP256.sign(keys.getPrivate(), data));
            assertArrayEquals(signature[1], signature[0], "key " + i);
            Signature jdk = Signature.getInstance("SHA256withECDSA");
            jdk.initVerify(keys.getPublic());
            jdk.update(data);
            assertTrue(jdk.verify(signature[0]), "key " + i);
        }
    }

    @Test
    void theGeneratorMultipleIsBouncyCastles(@Seed long seed) {
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        SplittableRandom random = new SplittableRandom(seed);
        List<BigInteger> scalars = new ArrayList<>(List.of(BigInteger.ONE, BigInteger.TWO, N.subtract(BigInteger.ONE)));
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            scalars.add(new BigInteger(1, bytes).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE));
        }
        for (BigInteger k : scalars) {
            byte[] x = new byte[32];
            byte[] y = new byte[32];
            assertTrue(OpenSslEc.multiplyP256Generator(BigIntegers.asUnsignedByteArray(32, k), x, y));
            ECPoint expected = curve.getG().multiply(k).normalize();
            assertEquals(expected.getAffineXCoord().toBigInteger(), new BigInteger(1, x), k.toString(16));
            assertEquals(expected.getAffineYCoord().toBigInteger(), new BigInteger(1, y), k.toString(16));
        }
    }

    private static final BigInteger N = CustomNamedCurves.getByName("secp256r1").getN();

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} with the elliptic curves on libcrypto (as where it is found) or on BouncyCastle alone. */
    static void withLibcrypto(boolean libcrypto, Body body) throws Exception {
        if (!libcrypto) {
            System.setProperty("eddy.dtls.ec", "bouncycastle");
        }
        try {
            assertEquals(libcrypto, OpenSslEc.isAvailable());
            body.run();
        } finally {
            System.clearProperty("eddy.dtls.ec");
        }
    }

    private static PrivateKey p256PrivateKey(BigInteger s) throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, parameters.getParameterSpec(ECParameterSpec.class)));
    }

    /** A SecureRandom that repeats itself for a seed, so the keys it makes do. */
    private static SecureRandom repeatable(long seed) throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed);
        return r;
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
