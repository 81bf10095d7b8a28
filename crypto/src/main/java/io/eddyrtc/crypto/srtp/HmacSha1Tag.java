package io.eddyrtc.crypto.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA1 (RFC 2104) for SRTP authentication tags, built on one reused {@link MessageDigest} with the
 * key's inner and outer pads computed once, because {@code javax.crypto.Mac} allocates on every
 * {@code doFinal} even into a caller's array. Feed the message with {@link #update}, then {@link #finish}.
 */
final class HmacSha1Tag {
    private static final int BLOCK = 64;
    static final int LENGTH = 20;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];
    private final byte[] full = new byte[LENGTH];

    HmacSha1Tag(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-1, which SRTP needs", e);
        }
        byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    /** Starts a new message; always call this first, so an abandoned message never leaks into the next. */
    void begin() {
        sha1.reset();
        sha1.update(innerPad);
    }

    void update(byte[] data, int offset, int length) {
        sha1.update(data, offset, length);
    }

    /** Writes the first {@code length} bytes of the tag to {@code out} at {@code offset}. */
    void finish(byte[] out, int offset, int length) {
        complete();
        System.arraycopy(full, 0, out, offset, length);
    }

    /** Whether the first {@code length} bytes of the tag equal {@code expected} at {@code offset}, in constant time. */
    boolean finishAndVerify(byte[] expected, int offset, int length) {
        complete();
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= full[i] ^ expected[offset + i];
        }
        return diff == 0;
    }

    private void complete() {
        try {
            sha1.digest(inner, 0, LENGTH);
            sha1.update(outerPad);
            sha1.update(inner);
            sha1.digest(full, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // cannot happen: the arrays are digest-sized
        }
    }

    void destroy() {
        Arrays.fill(innerPad, (byte) 0);
        Arrays.fill(outerPad, (byte) 0);
    }
}
