package io.eddyrtc.crypto.dtls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/** The ECDHE groups eddy offers and accepts, with their key share encoding (RFC 8422 §5.4, RFC 7748). */
public enum NamedGroup {
    X25519(29, 32),
    SECP256R1(23, 32),
    SECP384R1(24, 48);

    final int id;
    final int fieldBytes;

    NamedGroup(int id, int fieldBytes) {
        this.id = id;
        this.fieldBytes = fieldBytes;
    }

    public int id() {
        return id;
    }

    static NamedGroup fromId(int id) {
        for (NamedGroup g : values()) {
            if (g.id == id) {
                return g;
            }
        }
        return null;
    }

    KeyPair generate(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator;
        if (this == X25519) {
            generator = KeyPairGenerator.getInstance("X25519");
            generator.initialize(NamedParameterSpec.X25519, random);
        } else {
            generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(this == SECP256R1 ? "secp256r1" : "secp384r1"), random);
        }
        return generator.generateKeyPair();
    }

    /** The public key as the key exchange messages carry it: 32 little-endian bytes, or an uncompressed point. */
    byte[] encode(KeyPair keys) {
        if (this == X25519) {
            byte[] be = toFixed(((XECPublicKey) keys.getPublic()).getU(), 32);
            byte[] le = new byte[32];
            for (int i = 0; i < 32; i++) {
                le[i] = be[31 - i];
            }
            return le;
        }
        ECPoint w = ((ECPublicKey) keys.getPublic()).getW();
        byte[] out = new byte[1 + 2 * fieldBytes];
        out[0] = 4;
        System.arraycopy(toFixed(w.getAffineX(), fieldBytes), 0, out, 1, fieldBytes);
        System.arraycopy(toFixed(w.getAffineY(), fieldBytes), 0, out, 1 + fieldBytes, fieldBytes);
        return out;
    }

    /** The shared secret with the peer's encoded public key; throws for a malformed or invalid key. */
    byte[] agree(KeyPair ours, byte[] peer) throws GeneralSecurityException {
        KeyAgreement agreement;
        if (this == X25519) {
            if (peer.length != 32) {
                throw new GeneralSecurityException("X25519 key share must be 32 bytes");
            }
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) {
                be[i] = peer[31 - i];
            }
            be[0] &= 0x7F; // RFC 7748 §5: the top bit is masked
            var key = KeyFactory.getInstance("XDH").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
            agreement = KeyAgreement.getInstance("XDH");
            agreement.init(ours.getPrivate());
            agreement.doPhase(key, true);
        } else {
            if (peer.length != 1 + 2 * fieldBytes || peer[0] != 4) {
                throw new GeneralSecurityException("expected an uncompressed " + this + " point");
            }
            ECParameterSpec params = ((ECPublicKey) ours.getPublic()).getParams();
            BigInteger x = new BigInteger(1, Arrays.copyOfRange(peer, 1, 1 + fieldBytes));
            BigInteger y = new BigInteger(1, Arrays.copyOfRange(peer, 1 + fieldBytes, peer.length));
            var key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
            agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(ours.getPrivate());
            agreement.doPhase(key, true);
        }
        byte[] secret = agreement.generateSecret();
        if (this == X25519) {
            int or = 0;
            for (byte b : secret) {
                or |= b;
            }
            if (or == 0) {
                throw new GeneralSecurityException("X25519 produced the all-zero secret (a low-order key)");
            }
        }
        return secret;
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
