package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.NamedGroup;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * Our half of one key exchange: the share to send and the agreement with the peer's. X25519 key pairs come
 * from BouncyCastle's fixed-curve code (about 3× faster than the JDK's XDH here), the agreement from
 * OpenSSL's libcrypto ({@link OpenSslX25519}, about 30 against BouncyCastle's 50 µs; BouncyCastle's where
 * libcrypto is missing), see perf/results/dtls.md; the
 * NIST curves on the JDK, with uncompressed points (RFC 8422 §5.4). The hybrid X25519MLKEM768
 * (draft-ietf-tls-ecdhe-mlkem) is a key encapsulation: the client's share is an ML-KEM-768 encapsulation
 * key followed by an X25519 key, the server answers with a ciphertext followed by its X25519 key
 * ({@link #respond}), and the shared secret is the ML-KEM secret followed by the X25519 one.
 */
public sealed interface KeyShare permits KeyShare.X25519Share, KeyShare.NistShare, KeyShare.HybridShare {

    byte[] publicKey();

    /** The shared secret (the caller zeroes it); throws for a malformed or low-order peer key. */
    byte[] agree(byte[] peer) throws GeneralSecurityException;

    /** Forgets the private key (zeroed where it is ours to zero; the JDK's EC keys cannot be wiped). */
    void destroy();

    /** A client's (or a 1.2 server's) share for {@code group}. */
    static KeyShare generate(NamedGroup group, SecureRandom random) throws GeneralSecurityException {
        return switch (group) {
            case X25519 -> new X25519Share(random);
            case X25519MLKEM768 -> new HybridShare(random);
            default -> new NistShare(group, random);
        };
    }

    /** What a DTLS 1.3 server sends for a client's share, and the secret they now have (the caller zeroes it). */
    record Response(byte[] share, byte[] secret) {}

    /** A DTLS 1.3 server's answer to the client's share in {@code group}: throws if that share is malformed. */
    static Response respond(NamedGroup group, byte[] clientShare, SecureRandom random) throws GeneralSecurityException {
        if (group == NamedGroup.X25519MLKEM768) {
            return HybridShare.encapsulate(clientShare, random);
        }
        KeyShare ours = generate(group, random);
        byte[] share = ours.publicKey();
        try {
            return new Response(share, ours.agree(clientShare));
        } finally {
            ours.destroy();
        }
    }

    /** X25519MLKEM768: ML-KEM-768 on BouncyCastle's lightweight code, X25519 as above. */
    final class HybridShare implements KeyShare {
        static final int ENCAPSULATION_KEY = 1184;
        static final int CIPHERTEXT = 1088;

        private final MLKEMPrivateKeyParameters kemKey;
        private final byte[] publicKey;
        private final X25519Share x25519;
        private boolean destroyed;

        HybridShare(SecureRandom random) {
            MLKEMKeyPairGenerator generator = new MLKEMKeyPairGenerator();
            generator.init(new MLKEMKeyGenerationParameters(random, MLKEMParameters.ml_kem_768));
            AsymmetricCipherKeyPair pair = generator.generateKeyPair();
            this.kemKey = (MLKEMPrivateKeyParameters) pair.getPrivate();
            this.x25519 = new X25519Share(random);
            byte[] ek = ((MLKEMPublicKeyParameters) pair.getPublic()).getEncoded();
            this.publicKey = Prf.concat(ek, x25519.publicKey());
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public byte[] agree(byte[] peer) throws GeneralSecurityException {
            if (destroyed || peer.length != CIPHERTEXT + X25519.POINT_SIZE) {
                throw new GeneralSecurityException("an X25519MLKEM768 server share is " + (CIPHERTEXT + X25519.POINT_SIZE) + " bytes");
            }
            byte[] kem;
            try {
                kem = new MLKEMExtractor(kemKey).extractSecret(Arrays.copyOf(peer, CIPHERTEXT));
            } catch (RuntimeException e) {
                throw new GeneralSecurityException("the ML-KEM ciphertext does not decapsulate", e);
            }
            byte[] ecdh = x25519.agree(Arrays.copyOfRange(peer, CIPHERTEXT, peer.length));
            destroy();
            byte[] secret = Prf.concat(kem, ecdh);
            Arrays.fill(kem, (byte) 0);
            Arrays.fill(ecdh, (byte) 0);
            return secret;
        }

        static Response encapsulate(byte[] clientShare, SecureRandom random) throws GeneralSecurityException {
            if (clientShare.length != ENCAPSULATION_KEY + X25519.POINT_SIZE) {
                throw new GeneralSecurityException("an X25519MLKEM768 client share is " + (ENCAPSULATION_KEY + X25519.POINT_SIZE) + " bytes");
            }
            SecretWithEncapsulation kem;
            try {
                // the key check of FIPS 203 §7.2 (coefficients reduced mod q) happens in BouncyCastle's decoding
                kem = new MLKEMGenerator(random).generateEncapsulated(
                        new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768, Arrays.copyOf(clientShare, ENCAPSULATION_KEY)));
            } catch (RuntimeException e) {
                throw new GeneralSecurityException("the ML-KEM encapsulation key is malformed", e);
            }
            X25519Share ours = new X25519Share(random);
            byte[] share = Prf.concat(kem.getEncapsulation(), ours.publicKey());
            byte[] ecdh = ours.agree(Arrays.copyOfRange(clientShare, ENCAPSULATION_KEY, clientShare.length));
            byte[] kemSecret = kem.getSecret();
            byte[] secret = Prf.concat(kemSecret, ecdh);
            Arrays.fill(kemSecret, (byte) 0);
            Arrays.fill(ecdh, (byte) 0);
            try {
                kem.destroy();
            } catch (javax.security.auth.DestroyFailedException e) {
                // BouncyCastle's copy is zeroed on a best-effort basis; ours above is
            }
            return new Response(share, secret);
        }

        @Override
        public void destroy() {
            destroyed = true; // BouncyCastle's ML-KEM private key cannot be wiped from outside; it is let go
            x25519.destroy();
        }
    }

    final class X25519Share implements KeyShare {
        private final byte[] privateKey = new byte[X25519.SCALAR_SIZE];
        private final byte[] publicKey = new byte[X25519.POINT_SIZE];

        X25519Share(SecureRandom random) {
            X25519.generatePrivateKey(random, privateKey);
            X25519.generatePublicKey(privateKey, 0, publicKey, 0);
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public byte[] agree(byte[] peer) throws GeneralSecurityException {
            if (peer.length != X25519.POINT_SIZE) {
                throw new GeneralSecurityException("X25519 key share must be 32 bytes");
            }
            byte[] secret = new byte[X25519.POINT_SIZE];
            // libcrypto refuses a low-order key without saying why: BouncyCastle then gives the reason
            boolean contributory = OpenSslX25519.isAvailable() && OpenSslX25519.agree(privateKey, publicKey, peer, secret)
                    || X25519.calculateAgreement(privateKey, 0, peer, 0, secret, 0);
            destroy(); // one agreement per share
            if (!contributory) {
                throw new GeneralSecurityException("X25519 produced the all-zero secret (a low-order key)");
            }
            return secret;
        }

        @Override
        public void destroy() {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    final class NistShare implements KeyShare {
        private final NamedGroup group;
        private KeyPair keys;

        NistShare(NamedGroup group, SecureRandom random) throws GeneralSecurityException {
            this.group = group;
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(group.curve()), random);
            this.keys = generator.generateKeyPair();
        }

        @Override
        public byte[] publicKey() {
            int n = group.fieldBytes();
            ECPoint w = ((ECPublicKey) keys.getPublic()).getW();
            byte[] out = new byte[1 + 2 * n];
            out[0] = 4;
            System.arraycopy(toFixed(w.getAffineX(), n), 0, out, 1, n);
            System.arraycopy(toFixed(w.getAffineY(), n), 0, out, 1 + n, n);
            return out;
        }

        @Override
        public byte[] agree(byte[] peer) throws GeneralSecurityException {
            int n = group.fieldBytes();
            if (peer.length != 1 + 2 * n || peer[0] != 4) {
                throw new GeneralSecurityException("expected an uncompressed " + group + " point");
            }
            ECParameterSpec params = ((ECPublicKey) keys.getPublic()).getParams();
            BigInteger x = new BigInteger(1, Arrays.copyOfRange(peer, 1, 1 + n));
            BigInteger y = new BigInteger(1, Arrays.copyOfRange(peer, 1 + n, peer.length));
            try {
                var key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
                KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
                agreement.init(keys.getPrivate());
                agreement.doPhase(key, true);
                return agreement.generateSecret();
            } catch (RuntimeException e) {
                throw new GeneralSecurityException("the peer's " + group + " key share is not a usable point", e);
            }
        }

        @Override
        public void destroy() {
            keys = null;
        }

        private static byte[] toFixed(BigInteger v, int length) {
            byte[] raw = v.toByteArray();
            if (raw.length == length) {
                return raw;
            }
            byte[] out = new byte[length];
            if (raw.length > length) {
                System.arraycopy(raw, raw.length - length, out, 0, length);
            } else {
                System.arraycopy(raw, 0, out, length - raw.length, raw.length);
            }
            return out;
        }
    }
}
