package io.eddyrtc.crypto.dtls.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The sequence number mask of DTLS 1.3 records in one direction (RFC 9147 §4.2.3): AES-ECB of a record's
 * first 16 ciphertext bytes, or the ChaCha20 block they name, under the epoch's {@code sn_key}. One AES cipher
 * serves every epoch of the direction, since making one ({@code Cipher.getInstance}) costs more than masking
 * a handshake's records, and is keyed again only when the epoch it masks for changes, so the records of one
 * epoch cost no key schedule. ChaCha20 runs on BouncyCastle's engine: the JDK's refuses a key and nonce it
 * was just given, which a duplicated record (the same sample twice) would ask for.
 */
final class SequenceMask {
    /** Ciphertext bytes the mask is made from; shorter records are refused. */
    static final int SAMPLE = 16;

    private final Cipher aes;
    private final ChaCha7539Engine chacha;
    private final byte[] mask = new byte[SAMPLE];
    private SecretKeySpec keyed;

    SequenceMask(boolean chacha) {
        if (chacha) {
            this.aes = null;
            this.chacha = new ChaCha7539Engine();
            return;
        }
        this.chacha = null;
        this.aes = Jca.cipher("AES/ECB/NoPadding");
    }

    /**
     * XORs {@code seqLength} sequence number bytes at {@code target[targetAt]} with the mask that {@code snKey}
     * makes from the 16 ciphertext bytes at {@code sample[sampleAt]}; the same call masks and unmasks.
     */
    void apply(SecretKeySpec snKey, byte[] sample, int sampleAt, byte[] target, int targetAt, int seqLength) {
        if (chacha != null) {
            // the first 4 bytes are the block counter (little-endian), the other 12 the nonce
            long counter = (sample[sampleAt] & 0xFFL) | (sample[sampleAt + 1] & 0xFFL) << 8 | (sample[sampleAt + 2] & 0xFFL) << 16
                    | (sample[sampleAt + 3] & 0xFFL) << 24;
            byte[] key = snKey.getEncoded();
            chacha.init(true, new ParametersWithIV(new KeyParameter(key), Arrays.copyOfRange(sample, sampleAt + 4, sampleAt + SAMPLE)));
            Arrays.fill(key, (byte) 0);
            chacha.seekTo(64 * counter);
            Arrays.fill(mask, (byte) 0);
            chacha.processBytes(mask, 0, SAMPLE, mask, 0);
        } else {
            try {
                if (keyed != snKey) {
                    aes.init(Cipher.ENCRYPT_MODE, snKey);
                    keyed = snKey;
                }
                aes.doFinal(sample, sampleAt, SAMPLE, mask, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("sequence number mask failed", e);
            }
        }
        for (int i = 0; i < seqLength; i++) {
            target[targetAt + i] ^= mask[i];
        }
    }
}
