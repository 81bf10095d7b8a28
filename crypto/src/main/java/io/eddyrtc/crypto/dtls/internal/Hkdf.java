package io.eddyrtc.crypto.dtls.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF (RFC 5869) with the TLS 1.3 labels (RFC 8446 §7.1): {@code HKDF-Expand-Label} and
 * {@code Derive-Secret} under a label prefix, {@code "dtls13"} for DTLS 1.3 (RFC 9147 §5.9) or
 * {@code "tls13 "} for TLS 1.3 (its test vectors). One instance per hash; not thread-safe.
 */
public final class Hkdf {
    public static final String DTLS13 = "dtls13";
    public static final String TLS13 = "tls13 ";

    private final String algorithm;
    private final Mac mac;
    private final byte[] prefix;
    private final int hashLength;

    public Hkdf(String hmac, String labelPrefix) {
        this.algorithm = hmac;
        this.prefix = labelPrefix.getBytes(StandardCharsets.US_ASCII);
        this.mac = Jca.mac(hmac);
        this.hashLength = mac.getMacLength();
    }

    public int hashLength() {
        return hashLength;
    }

    /** HKDF-Extract: a pseudorandom key from {@code salt} (empty: zeros) and {@code ikm} (empty: zeros). */
    public byte[] extract(byte[] salt, byte[] ikm) {
        byte[] key = salt.length == 0 ? new byte[hashLength] : salt;
        init(key);
        return mac.doFinal(ikm.length == 0 ? new byte[hashLength] : ikm);
    }

    /** HKDF-Expand-Label(secret, label, context, length). */
    public byte[] expandLabel(byte[] secret, String label, byte[] context, int length) {
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[2 + 1 + prefix.length + labelBytes.length + 1 + context.length];
        info[0] = (byte) (length >>> 8);
        info[1] = (byte) length;
        info[2] = (byte) (prefix.length + labelBytes.length);
        System.arraycopy(prefix, 0, info, 3, prefix.length);
        System.arraycopy(labelBytes, 0, info, 3 + prefix.length, labelBytes.length);
        info[3 + prefix.length + labelBytes.length] = (byte) context.length;
        System.arraycopy(context, 0, info, info.length - context.length, context.length);
        return expand(secret, info, length);
    }

    /** Derive-Secret(secret, label, messages) with the messages' transcript hash given. */
    public byte[] deriveSecret(byte[] secret, String label, byte[] transcriptHash) {
        return expandLabel(secret, label, transcriptHash, hashLength);
    }

    /** HMAC(key, data), for Finished. */
    public byte[] hmac(byte[] key, byte[] data) {
        init(key);
        return mac.doFinal(data);
    }

    private byte[] expand(byte[] prk, byte[] info, int length) {
        init(prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int at = 0;
        for (int i = 1; at < length; i++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) i);
            byte[] next = mac.doFinal();
            Arrays.fill(t, (byte) 0);
            t = next;
            int n = Math.min(t.length, length - at);
            System.arraycopy(t, 0, out, at, n);
            at += n;
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }

    private void init(byte[] key) {
        try {
            mac.init(new SecretKeySpec(key, algorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " refused a key", e);
        }
    }
}
