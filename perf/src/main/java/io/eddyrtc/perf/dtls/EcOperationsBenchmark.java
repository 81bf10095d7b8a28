package io.eddyrtc.perf.dtls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The public-key operations a DTLS handshake is made of, on the JDK, on BouncyCastle's lightweight code and
 * as eddy runs them with OpenSSL's libcrypto (its {@code EcdsaP256}: signing with libcrypto's k·G, verifying;
 * its X25519 share: BouncyCastle's key pair, libcrypto's agreement), side by side: ECDSA P-256 sign and
 * verify (SHA-256 over a 100-byte message), an X25519 key pair plus agreement, and ML-KEM-768 (the
 * client's key pair plus decapsulation, the server's encapsulation). The handshake uses whichever is
 * faster per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EcOperationsBenchmark {
    private final SecureRandom random = new SecureRandom();
    private final byte[] message = new byte[100];
    private KeyPair jdkKeys;
    private byte[] jdkSignature;
    private ECPrivateKeyParameters bcPrivate;
    private ECPublicKeyParameters bcPublic;
    private BigInteger[] bcSignature;
    private byte[] bcDigest;
    private byte[] peerX25519Public;
    private KeyPair jdkPeerX25519;
    private KeyPairGenerator mlKemGenerator;
    private javax.crypto.KEM jdkKem;
    private java.security.PublicKey jdkMlKemPublic;
    private byte[] bcMlKemPublic;

    @Setup
    public void setUp() throws Exception {
        random.nextBytes(message);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        jdkKeys = g.generateKeyPair();
        jdkSignature = jdkSign();
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
        ECKeyPairGenerator bg = new ECKeyPairGenerator();
        bg.init(new ECKeyGenerationParameters(domain, random));
        AsymmetricCipherKeyPair pair = bg.generateKeyPair();
        bcPrivate = (ECPrivateKeyParameters) pair.getPrivate();
        bcPublic = (ECPublicKeyParameters) pair.getPublic();
        SHA256Digest d = new SHA256Digest();
        d.update(message, 0, message.length);
        bcDigest = new byte[32];
        d.doFinal(bcDigest, 0);
        bcSignature = bcSign();
        KeyPairGenerator xg = KeyPairGenerator.getInstance("X25519");
        xg.initialize(NamedParameterSpec.X25519);
        jdkPeerX25519 = xg.generateKeyPair();
        peerX25519Public = new byte[32];
        byte[] peerPrivate = new byte[32];
        X25519.generatePrivateKey(random, peerPrivate);
        X25519.generatePublicKey(peerPrivate, 0, peerX25519Public, 0);
        mlKemGenerator = KeyPairGenerator.getInstance("ML-KEM-768");
        jdkKem = javax.crypto.KEM.getInstance("ML-KEM-768");
        jdkMlKemPublic = mlKemGenerator.generateKeyPair().getPublic();
        org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator kg = new org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator();
        kg.init(new org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters(random, org.bouncycastle.crypto.params.MLKEMParameters.ml_kem_768));
        bcMlKemPublic = ((org.bouncycastle.crypto.params.MLKEMPublicKeyParameters) kg.generateKeyPair().getPublic()).getEncoded();
    }

    @Benchmark
    public byte[] jdkSign() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(jdkKeys.getPrivate(), random);
        s.update(message);
        return s.sign();
    }

    @Benchmark
    public boolean jdkVerify() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(jdkKeys.getPublic());
        s.update(message);
        return s.verify(jdkSignature);
    }

    @Benchmark
    public BigInteger[] bcSign() {
        SHA256Digest d = new SHA256Digest();
        d.update(message, 0, message.length);
        byte[] digest = new byte[32];
        d.doFinal(digest, 0);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, bcPrivate);
        return signer.generateSignature(digest);
    }

    @Benchmark
    public boolean bcVerify() {
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, bcPublic);
        return signer.verifySignature(bcDigest, bcSignature[0], bcSignature[1]);
    }

    @Benchmark
    public byte[] eddySignWithLibcrypto() throws Exception {
        return io.eddyrtc.crypto.dtls.internal.EcdsaP256.sign(jdkKeys.getPrivate(), message);
    }

    @Benchmark
    public byte[] eddyX25519KeyPairAndAgreementWithLibcrypto() throws Exception {
        return io.eddyrtc.crypto.dtls.internal.KeyShare.generate(io.eddyrtc.crypto.dtls.NamedGroup.X25519, random).agree(peerX25519Public);
    }

    @Benchmark
    public boolean eddyVerifyOnLibcrypto() {
        return io.eddyrtc.crypto.dtls.internal.EcdsaP256.verify(jdkKeys.getPublic(), message, jdkSignature);
    }

    @Benchmark
    public byte[] jdkMlKemKeyPairAndDecapsulation() throws Exception {
        KeyPair pair = mlKemGenerator.generateKeyPair();
        javax.crypto.KEM.Encapsulated e = jdkKem.newEncapsulator(pair.getPublic(), random).encapsulate();
        return jdkKem.newDecapsulator(pair.getPrivate()).decapsulate(e.encapsulation()).getEncoded();
    }

    @Benchmark
    public byte[] jdkMlKemEncapsulation() throws Exception {
        return jdkKem.newEncapsulator(jdkMlKemPublic, random).encapsulate().encapsulation();
    }

    @Benchmark
    public byte[] bcMlKemKeyPairAndDecapsulation() {
        org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator g = new org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator();
        g.init(new org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters(random, org.bouncycastle.crypto.params.MLKEMParameters.ml_kem_768));
        AsymmetricCipherKeyPair pair = g.generateKeyPair();
        org.bouncycastle.crypto.SecretWithEncapsulation e = new org.bouncycastle.crypto.kems.MLKEMGenerator(random)
                .generateEncapsulated(pair.getPublic());
        return new org.bouncycastle.crypto.kems.MLKEMExtractor((org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters) pair.getPrivate())
                .extractSecret(e.getEncapsulation());
    }

    @Benchmark
    public byte[] bcMlKemEncapsulation() {
        return new org.bouncycastle.crypto.kems.MLKEMGenerator(random).generateEncapsulated(
                new org.bouncycastle.crypto.params.MLKEMPublicKeyParameters(org.bouncycastle.crypto.params.MLKEMParameters.ml_kem_768,
                        bcMlKemPublic)).getEncapsulation();
    }

    @Benchmark
    public byte[] jdkX25519KeyPairAndAgreement() throws Exception {
        KeyPairGenerator xg = KeyPairGenerator.getInstance("X25519");
        xg.initialize(NamedParameterSpec.X25519, random);
        KeyPair ours = xg.generateKeyPair();
        KeyAgreement a = KeyAgreement.getInstance("XDH");
        a.init(ours.getPrivate());
        a.doPhase(jdkPeerX25519.getPublic(), true);
        return a.generateSecret();
    }

    @Benchmark
    public byte[] bcX25519KeyPairAndAgreement() {
        byte[] privateKey = new byte[32];
        byte[] publicKey = new byte[32];
        byte[] secret = new byte[32];
        X25519.generatePrivateKey(random, privateKey);
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
        X25519.calculateAgreement(privateKey, 0, peerX25519Public, 0, secret, 0);
        return secret;
    }
}
