package io.eddyrtc.ice.stun;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) that reads straight from a {@link MemorySegment}, in pieces.
 *
 * <p>STUN's MESSAGE-INTEGRITY is computed over the message with its length field rewritten, so the
 * JDK {@code Mac} would force a copy of the whole message into a {@code byte[]}, and its {@code doFinal}
 * allocates. This one stages the bytes through one 64-byte block into the JDK's SHA-1 {@link MessageDigest},
 * whose compression the JVM runs on the CPU's SHA instructions where it has them (several times faster than
 * SHA-1 in plain Java, which is most of what a consent check costs), and allocates nothing once built. The
 * pads of the current key are kept, so only a new key costs their XOR.
 */
public final class HmacSha1 {
    public static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1 = newSha1();
    private final byte[] block = new byte[BLOCK];
    private int fill;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private byte[] key;
    private final byte[] inner = new byte[LENGTH];

    /** Sets the key (a reference is kept: its pads are made again only for another array). */
    public void key(byte[] key) {
        if (key == this.key) {
            return;
        }
        byte[] k = key.length > BLOCK ? sha1(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            int b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        this.key = key;
        begin();
    }

    /** Starts a new MAC with the current key. */
    public void begin() {
        sha1.reset();
        sha1.update(innerPad, 0, BLOCK);
        fill = 0;
    }

    public void update(MemorySegment s, long offset, int length) {
        for (int i = 0; i < length; ) {
            int n = Math.min(BLOCK - fill, length - i);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset + i, block, fill, n);
            i += n;
            filled(n);
        }
    }

    public void update(byte[] b, int offset, int length) {
        for (int i = 0; i < length; ) {
            int n = Math.min(BLOCK - fill, length - i);
            System.arraycopy(b, offset + i, block, fill, n);
            i += n;
            filled(n);
        }
    }

    public void updateByte(int b) {
        block[fill] = (byte) b;
        filled(1);
    }

    /** {@code n} more bytes are in the block; a full block goes to the digest. */
    private void filled(int n) {
        fill += n;
        if (fill == BLOCK) {
            sha1.update(block, 0, BLOCK);
            fill = 0;
        }
    }

    /** Finishes the MAC into {@code out[offset..offset+20)} and starts the next one with the same key. */
    public void finish(byte[] out, int offset) {
        sha1.update(block, 0, fill);
        digest(inner, 0);
        sha1.update(outerPad, 0, BLOCK);
        sha1.update(inner, 0, LENGTH);
        digest(out, offset);
        begin();
    }

    /** Finishes the MAC and writes it into a segment. */
    public void finish(MemorySegment out, long offset) {
        finish(inner, 0);
        MemorySegment.copy(inner, 0, out, ValueLayout.JAVA_BYTE, offset, LENGTH);
    }

    /** Finishes the MAC and compares it in constant time with the 20 bytes at {@code offset}. */
    public boolean finishAndVerify(MemorySegment s, long offset) {
        finish(inner, 0);
        int diff = 0;
        for (int i = 0; i < LENGTH; i++) {
            diff |= inner[i] ^ s.get(ValueLayout.JAVA_BYTE, offset + i);
        }
        return diff == 0;
    }

    /** Plain SHA-1 of a byte array (used for over-long keys and in tests); allocates its result. */
    public static byte[] sha1(byte[] data) {
        return newSha1().digest(data);
    }

    private void digest(byte[] out, int offset) {
        try {
            sha1.digest(out, offset, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 refused a 20-byte output buffer", e);
        }
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-1, which STUN's MESSAGE-INTEGRITY needs", e);
        }
    }

    @Override
    public String toString() {
        return "HmacSha1[" + (key == null ? "no key" : "keyed") + "]";
    }
}
