package io.eddyrtc.crypto.dtls.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The TLS 1.2 PRF (RFC 5246 §5): P_hash with the suite's HMAC over {@code label || seed}. */
public final class Prf {
    private Prf() {
    }

    public static byte[] compute(String hmac, byte[] secret, String label, byte[] seed, int length) {
        try {
            Mac mac = Jca.mac(hmac);
            // HMAC pads its key with zeros, so one zero byte stands for an empty secret (SecretKeySpec refuses empty keys)
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, hmac));
            byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
            byte[] labelSeed = new byte[labelBytes.length + seed.length];
            System.arraycopy(labelBytes, 0, labelSeed, 0, labelBytes.length);
            System.arraycopy(seed, 0, labelSeed, labelBytes.length, seed.length);
            byte[] out = new byte[length];
            byte[] a = labelSeed; // A(0)
            int at = 0;
            while (at < length) {
                byte[] previous = a;
                a = mac.doFinal(a); // A(i) = HMAC(secret, A(i-1))
                if (previous != labelSeed) {
                    Arrays.fill(previous, (byte) 0); // A(i) and each block derive from the secret
                }
                mac.update(a);
                mac.update(labelSeed);
                byte[] block = mac.doFinal();
                int n = Math.min(block.length, length - at);
                System.arraycopy(block, 0, out, at, n);
                Arrays.fill(block, (byte) 0);
                at += n;
            }
            Arrays.fill(a, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks " + hmac, e);
        }
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
