package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.NamedGroup;
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
 * Our half of one ECDHE exchange: the public key to send and the agreement with the peer's. X25519 runs
 * on BouncyCastle's fixed-curve code (about 3× faster than the JDK's XDH here, see perf/results/dtls.md);
 * the NIST curves on the JDK, with uncompressed points (RFC 8422 §5.4).
 */
public sealed interface KeyShare permits KeyShare.X25519Share, KeyShare.NistShare {

    byte[] publicKey();

    /** The shared secret (the caller zeroes it); throws for a malformed or low-order peer key. */
    byte[] agree(byte[] peer) throws GeneralSecurityException;

    /** Forgets the private key (zeroed where it is ours to zero; the JDK's EC keys cannot be wiped). */
    void destroy();

    static KeyShare generate(NamedGroup group, SecureRandom random) throws GeneralSecurityException {
        return group == NamedGroup.X25519 ? new X25519Share(random) : new NistShare(group, random);
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
            boolean contributory = X25519.calculateAgreement(privateKey, 0, peer, 0, secret, 0);
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
