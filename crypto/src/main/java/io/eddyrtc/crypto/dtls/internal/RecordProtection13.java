package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD protection of DTLS 1.3 records in one direction and one epoch (RFC 9147 §4, RFC 8446 §5.2–5.3):
 * the nonce is the IV XORed with the 48-bit record sequence number (without the epoch, unlike 1.2), the
 * additional data is the unified header as sent but with the sequence number in the clear, and the sequence
 * number in the header is masked with AES-ECB (or a ChaCha20 block) of the ciphertext's first 16 bytes
 * under the epoch's {@code sn_key} (§4.2.3).
 */
public final class RecordProtection13 {
    static final int TAG = 16;
    /** Ciphertext bytes the sequence number mask is made from; shorter records are refused. */
    static final int MASK_SAMPLE = SequenceMask.SAMPLE;

    private final boolean chacha;
    private final SecretKeySpec key;
    private final byte[] iv;
    private final Cipher cipher;
    private final SequenceMask mask;
    private final SecretKeySpec snKey;

    /**
     * {@code key}, {@code iv} and {@code snKey} are copied; the caller zeroes its arrays. {@code cipher} (the
     * suite's AEAD) and {@code mask} may serve other epochs of this protection's direction too: each record gives
     * them its own key.
     */
    public RecordProtection13(DtlsCipherSuite suite, byte[] key, byte[] iv, byte[] snKey, Cipher cipher, SequenceMask mask) {
        this.chacha = suite.cipher().startsWith("ChaCha20");
        this.key = new SecretKeySpec(key, chacha ? "ChaCha20" : "AES");
        this.iv = iv.clone();
        this.snKey = new SecretKeySpec(snKey, chacha ? "ChaCha20" : "AES");
        this.cipher = cipher;
        this.mask = mask;
    }

    /** Bytes a record's content grows by: the content type and the tag. */
    public int overhead() {
        return 1 + TAG;
    }

    /**
     * Encrypts {@code content} of {@code type} into {@code out} at {@code at} (ciphertext and tag), with
     * {@code header} (sequence number in the clear) as additional data; returns the ciphertext length.
     */
    public int seal(long seq, byte[] header, int type, byte[] content, int offset, int length, byte[] out, int at) {
        byte[] inner = Arrays.copyOfRange(content, offset, offset + length + 1);
        inner[length] = (byte) type;
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, spec(seq));
            cipher.updateAAD(header);
            return cipher.doFinal(inner, 0, inner.length, out, at);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("record encryption failed", e);
        }
    }

    /**
     * The inner plaintext (content, type, padding) of a record, or null if it does not authenticate.
     * {@code header} is the unified header with the sequence number in the clear.
     */
    public byte[] open(long seq, byte[] header, byte[] record, int offset, int length) {
        if (length < TAG + 1) {
            return null;
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, spec(seq));
            cipher.updateAAD(header);
            return cipher.doFinal(record, offset, length);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null; // a forged or malformed record is dropped, never thrown
        }
    }

    /**
     * XORs {@code seqLength} sequence number bytes at {@code target[targetAt]} with the mask made from the 16
     * ciphertext bytes at {@code sample[sampleAt]}; the same call masks and unmasks.
     */
    public void maskSequence(byte[] sample, int sampleAt, byte[] target, int targetAt, int seqLength) {
        mask.apply(snKey, sample, sampleAt, target, targetAt, seqLength);
    }

    private AlgorithmParameterSpec spec(long seq) {
        byte[] nonce = iv.clone();
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] ^= (byte) (seq >>> (56 - 8 * i));
        }
        return chacha ? new IvParameterSpec(nonce) : new GCMParameterSpec(TAG * 8, nonce);
    }
}
