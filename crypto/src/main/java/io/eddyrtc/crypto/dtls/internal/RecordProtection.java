package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;

/**
 * AEAD protection of DTLS 1.2 records in one direction (RFC 5288 for AES-GCM, RFC 7905 for
 * ChaCha20-Poly1305): the additional data is {@code epoch||seq || type || version || length}, the GCM nonce
 * is the 4-byte implicit salt plus the 8-byte explicit nonce carried in the record (we send epoch||seq),
 * the ChaCha20 nonce is the 12-byte IV XORed with epoch||seq.
 */
public final class RecordProtection {
    static final int TAG = 16;

    private final DtlsCipherSuite suite;
    private final SecretKeySpec key;
    private final byte[] fixedIv;
    private final Cipher cipher;

    /**
     * {@code key} and {@code fixedIv} are copied; the caller zeroes its arrays. {@code cipher} is the suite's
     * AEAD ({@link #cipher}), initialized for each record.
     */
    public RecordProtection(DtlsCipherSuite suite, byte[] key, byte[] fixedIv, Cipher cipher) {
        this.suite = suite;
        this.key = new SecretKeySpec(key, suite.cipher().startsWith("AES") ? "AES" : "ChaCha20");
        this.fixedIv = fixedIv.clone();
        this.cipher = cipher;
    }

    /** A new cipher for {@code suite}'s AEAD. */
    static Cipher cipher(DtlsCipherSuite suite) {
        return Jca.cipher(suite.cipher());
    }

    /** Bytes a record's payload grows by. */
    public int overhead() {
        return suite.recordIvLength() + TAG;
    }

    /** The protected fragment (explicit nonce, ciphertext, tag) for {@code plaintext}. */
    public byte[] seal(int type, int epoch, long seq, byte[] plaintext, int offset, int length) {
        long sequence = (long) epoch << 48 | seq;
        byte[] out = new byte[suite.recordIvLength() + length + TAG];
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, nonce(sequence, out));
            cipher.updateAAD(aad(sequence, type, length));
            cipher.doFinal(plaintext, offset, length, out, suite.recordIvLength());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("record encryption failed", e);
        }
        return out;
    }

    /** The plaintext of a protected fragment, or null if it does not authenticate. */
    public byte[] open(int type, int epoch, long seq, byte[] fragment, int offset, int length) {
        int plain = length - suite.recordIvLength() - TAG;
        if (plain < 0) {
            return null;
        }
        long sequence = (long) epoch << 48 | seq;
        try {
            AlgorithmParameterSpec spec;
            if (suite.recordIvLength() > 0) {
                byte[] nonce = new byte[12];
                System.arraycopy(fixedIv, 0, nonce, 0, 4);
                System.arraycopy(fragment, offset, nonce, 4, 8);
                spec = new GCMParameterSpec(TAG * 8, nonce);
            } else {
                spec = new IvParameterSpec(xorNonce(sequence));
            }
            cipher.init(Cipher.DECRYPT_MODE, key, spec);
            cipher.updateAAD(aad(sequence, type, plain));
            return cipher.doFinal(fragment, offset + suite.recordIvLength(), length - suite.recordIvLength());
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            return null; // a malformed record must never escape as an exception
        }
    }

    private AlgorithmParameterSpec nonce(long sequence, byte[] out) {
        if (suite.recordIvLength() > 0) {
            byte[] nonce = new byte[12];
            System.arraycopy(fixedIv, 0, nonce, 0, 4);
            for (int i = 0; i < 8; i++) {
                byte b = (byte) (sequence >>> (56 - 8 * i));
                nonce[4 + i] = b;
                out[i] = b; // the explicit nonce travels in the record
            }
            return new GCMParameterSpec(TAG * 8, nonce);
        }
        return new IvParameterSpec(xorNonce(sequence));
    }

    private byte[] xorNonce(long sequence) {
        byte[] nonce = fixedIv.clone();
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] ^= (byte) (sequence >>> (56 - 8 * i));
        }
        return nonce;
    }

    private static byte[] aad(long sequence, int type, int length) {
        byte[] aad = new byte[13];
        for (int i = 0; i < 8; i++) {
            aad[i] = (byte) (sequence >>> (56 - 8 * i));
        }
        aad[8] = (byte) type;
        aad[9] = (byte) 0xFE;
        aad[10] = (byte) 0xFD;
        aad[11] = (byte) (length >>> 8);
        aad[12] = (byte) length;
        return aad;
    }
}
