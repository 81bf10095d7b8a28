package io.eddyrtc.crypto.dtls;

import org.bouncycastle.math.ec.rfc7748.X25519;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Our half of one ECDHE exchange: the public key to send and the agreement with the peer's. X25519 runs
 * on BouncyCastle's fixed-curve code (about 3× faster than the JDK's XDH here, see perf/results/dtls.md);
 * the NIST curves on the JDK.
 */
sealed interface KeyShare permits KeyShare.X25519Share, KeyShare.JdkShare {

    byte[] publicKey();

    /** The shared secret; throws for a malformed or low-order peer key. */
    byte[] agree(byte[] peer) throws GeneralSecurityException;

    static KeyShare generate(NamedGroup group, SecureRandom random) throws GeneralSecurityException {
        return group == NamedGroup.X25519 ? new X25519Share(random) : new JdkShare(group, group.generate(random));
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
            if (!X25519.calculateAgreement(privateKey, 0, peer, 0, secret, 0)) {
                throw new GeneralSecurityException("X25519 produced the all-zero secret (a low-order key)");
            }
            Arrays.fill(privateKey, (byte) 0);
            return secret;
        }
    }

    record JdkShare(NamedGroup group, KeyPair keys) implements KeyShare {
        @Override
        public byte[] publicKey() {
            return group.encode(keys);
        }

        @Override
        public byte[] agree(byte[] peer) throws GeneralSecurityException {
            return group.agree(keys, peer);
        }
    }
}
