package io.eddyrtc.ice.stun;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * HMAC-SHA1 (RFC 2104 over FIPS 180-4 SHA-1) that reads straight from a {@link MemorySegment}.
 *
 * <p>STUN's MESSAGE-INTEGRITY is computed over the message with its length field rewritten, so the
 * JDK {@code Mac} would force a copy into a {@code byte[]} (or a {@code ByteBuffer} view per packet).
 * This streaming implementation takes the patched bytes piecewise and allocates nothing once built
 * (a key over 64 bytes, hashed first, excepted).
 *
 * <p>The inner and outer pad states of the last two keys are kept, because an ICE agent signs and checks
 * with two passwords in turn: its own (checks it answers) and the peer's (its own checks and their
 * answers). A MAC with a key seen before then costs two SHA-1 compressions fewer than a textbook HMAC,
 * which is most of what answering and sending consent checks costs an idle peer.
 */
public final class HmacSha1 {
    public static final int LENGTH = 20;
    private static final int KEYS = 2;

    private final int[] w = new int[80];
    private final byte[] block = new byte[64];
    private int blockFill;
    private long total;
    private int h0, h1, h2, h3, h4;

    /** Per cached key: its reference, and the SHA-1 states after its inner and outer pad blocks. */
    private final byte[][] cachedKeys = new byte[KEYS][];
    private final int[][] innerStates = new int[KEYS][5];
    private final int[][] outerStates = new int[KEYS][5];
    /** The cached key in use; the other is the one to replace when a third key comes. */
    private int current;
    private final byte[] pad = new byte[64];
    private final byte[] inner = new byte[LENGTH];

    /**
     * Sets the key (a reference is kept: the pad states are computed when a key is not one of the last two,
     * so change a key's bytes only by passing a new array).
     */
    public void key(byte[] key) {
        if (key == cachedKeys[current]) {
            return;
        }
        int other = current ^ 1;
        current = other;
        if (key != cachedKeys[other]) {
            byte[] k = key.length > 64 ? sha1(key) : key;
            padState(k, 0x36, innerStates[other]);
            padState(k, 0x5c, outerStates[other]);
            cachedKeys[other] = key;
        }
        begin();
    }

    /** The SHA-1 state after one block of {@code k} XOR {@code mask} (RFC 2104's ipad or opad). */
    private void padState(byte[] k, int mask, int[] state) {
        for (int i = 0; i < 64; i++) {
            pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ mask);
        }
        reset();
        update(pad, 0, 64);
        saveState(state);
    }

    /** Starts a new MAC with the current key. */
    public void begin() {
        loadState(innerStates[current]);
    }

    public void update(MemorySegment s, long offset, int length) {
        int i = 0;
        while (i < length && blockFill != 0) {
            updateByte(s.get(ValueLayout.JAVA_BYTE, offset + i++));
        }
        // Whole blocks straight from the segment, four bytes at a time.
        while (length - i >= 64) {
            for (int j = 0; j < 16; j++) {
                w[j] = BigEndian.i32(s, offset + i + 4L * j);
            }
            total += 64;
            compressWords();
            i += 64;
        }
        while (i < length) {
            updateByte(s.get(ValueLayout.JAVA_BYTE, offset + i++));
        }
    }

    public void update(byte[] b, int offset, int length) {
        for (int i = 0; i < length; i++) {
            updateByte(b[offset + i]);
        }
    }

    public void updateByte(int b) {
        block[blockFill++] = (byte) b;
        total++;
        if (blockFill == 64) {
            compress();
            blockFill = 0;
        }
    }

    /** Finishes the MAC into {@code out[offset..offset+20)}. */
    public void finish(byte[] out, int offset) {
        digestInto(inner, 0);
        loadState(outerStates[current]);
        update(inner, 0, LENGTH);
        digestInto(out, offset);
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
        HmacSha1 h = new HmacSha1();
        h.reset();
        h.update(data, 0, data.length);
        byte[] out = new byte[LENGTH];
        h.digestInto(out, 0);
        return out;
    }

    private void reset() {
        h0 = 0x67452301;
        h1 = 0xEFCDAB89;
        h2 = 0x98BADCFE;
        h3 = 0x10325476;
        h4 = 0xC3D2E1F0;
        blockFill = 0;
        total = 0;
    }

    private void saveState(int[] st) {
        st[0] = h0;
        st[1] = h1;
        st[2] = h2;
        st[3] = h3;
        st[4] = h4;
    }

    private void loadState(int[] st) {
        h0 = st[0];
        h1 = st[1];
        h2 = st[2];
        h3 = st[3];
        h4 = st[4];
        blockFill = 0;
        total = 64; // pad states always follow exactly one 64-byte block
    }

    private void digestInto(byte[] out, int offset) {
        long bits = total * 8;
        updateByte(0x80);
        while (blockFill != 56) {
            updateByte(0);
        }
        for (int i = 7; i >= 0; i--) {
            updateByte((int) (bits >>> (8 * i)));
        }
        putInt(out, offset, h0);
        putInt(out, offset + 4, h1);
        putInt(out, offset + 8, h2);
        putInt(out, offset + 12, h3);
        putInt(out, offset + 16, h4);
    }

    private static void putInt(byte[] out, int at, int v) {
        out[at] = (byte) (v >>> 24);
        out[at + 1] = (byte) (v >>> 16);
        out[at + 2] = (byte) (v >>> 8);
        out[at + 3] = (byte) v;
    }

    private void compress() {
        for (int i = 0; i < 16; i++) {
            w[i] = (block[4 * i] & 0xFF) << 24 | (block[4 * i + 1] & 0xFF) << 16
                    | (block[4 * i + 2] & 0xFF) << 8 | (block[4 * i + 3] & 0xFF);
        }
        compressWords();
    }

    /**
     * One SHA-1 compression of the 16 words already in {@code w[0..15]}: the four rounds as four loops, so the
     * round function is not chosen again for each of the 80 steps.
     */
    private void compressWords() {
        int[] w = this.w;
        for (int i = 16; i < 80; i++) {
            w[i] = Integer.rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }
        int a = h0, b = h1, c = h2, d = h3, e = h4;
        for (int i = 0; i < 20; i++) {
            int t = Integer.rotateLeft(a, 5) + ((b & c) | (~b & d)) + e + 0x5A827999 + w[i];
            e = d;
            d = c;
            c = Integer.rotateLeft(b, 30);
            b = a;
            a = t;
        }
        for (int i = 20; i < 40; i++) {
            int t = Integer.rotateLeft(a, 5) + (b ^ c ^ d) + e + 0x6ED9EBA1 + w[i];
            e = d;
            d = c;
            c = Integer.rotateLeft(b, 30);
            b = a;
            a = t;
        }
        for (int i = 40; i < 60; i++) {
            int t = Integer.rotateLeft(a, 5) + ((b & c) | (b & d) | (c & d)) + e + 0x8F1BBCDC + w[i];
            e = d;
            d = c;
            c = Integer.rotateLeft(b, 30);
            b = a;
            a = t;
        }
        for (int i = 60; i < 80; i++) {
            int t = Integer.rotateLeft(a, 5) + (b ^ c ^ d) + e + 0xCA62C1D6 + w[i];
            e = d;
            d = c;
            c = Integer.rotateLeft(b, 30);
            b = a;
            a = t;
        }
        h0 += a;
        h1 += b;
        h2 += c;
        h3 += d;
        h4 += e;
    }

    @Override
    public String toString() {
        return "HmacSha1[" + (cachedKeys[current] == null ? "no key" : "keyed") + "]";
    }
}
