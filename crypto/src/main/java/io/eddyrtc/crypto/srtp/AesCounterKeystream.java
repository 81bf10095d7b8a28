package io.eddyrtc.crypto.srtp;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;

/**
 * AES in counter mode (RFC 3711 §4.1.1) without per-packet allocation: one {@code AES/ECB/NoPadding}
 * cipher is initialised once with the key and encrypts a whole run of counter blocks in one call, which
 * the JDK's AES intrinsic handles at full speed; the keystream is then XORed in eight bytes at a time.
 * ({@code AES/CTR} would need a {@code Cipher.init} per packet to set the IV, which allocates.)
 *
 * <p>Not thread-safe: one instance per context, driven by one thread.
 */
final class AesCounterKeystream {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle BIG_ENDIAN_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int BLOCK = 16;

    private final Cipher ecb;
    private byte[] counters = new byte[2048];
    private byte[] keystream = new byte[2048];

    AesCounterKeystream(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/ECB/NoPadding, which SRTP needs", e);
        }
    }

    /**
     * XORs {@code length} bytes of {@code data} at {@code offset} with the keystream that starts at the
     * 128-bit counter block {@code iv} (its last two bytes are the block counter, starting at zero).
     */
    void xor(byte[] iv, byte[] data, int offset, int length) {
        if (length <= 0) {
            return;
        }
        int blocks = (length + BLOCK - 1) / BLOCK;
        int bytes = blocks * BLOCK;
        ensureCapacity(bytes);
        byte[] c = counters;
        long high = (long) BIG_ENDIAN_LONGS.get(iv, 0);
        long low = (long) BIG_ENDIAN_LONGS.get(iv, 8);
        long counter = low & 0xFFFF;
        low &= ~0xFFFFL;
        for (int b = 0; b < blocks; b++) { // two stores a block, not a block copy and byte writes
            int at = b * BLOCK;
            BIG_ENDIAN_LONGS.set(c, at, high);
            // the counter occupies the low 16 bits (RFC 3711: 2^16 blocks per packet at most)
            BIG_ENDIAN_LONGS.set(c, at + 8, low | (counter + b) & 0xFFFF);
        }
        try {
            ecb.update(c, 0, bytes, keystream, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // cannot happen: keystream is sized above
        }
        xorInto(keystream, data, offset, length);
    }

    /** The raw keystream for {@code iv}, {@code length} bytes into {@code out} (key derivation uses this). */
    void keystream(byte[] iv, byte[] out, int length) {
        java.util.Arrays.fill(out, 0, length, (byte) 0);
        xor(iv, out, 0, length);
    }

    private void ensureCapacity(int bytes) {
        if (counters.length < bytes) {
            int size = Integer.highestOneBit(bytes - 1) << 1;
            counters = new byte[size];
            keystream = new byte[size];
        }
    }

    private static void xorInto(byte[] ks, byte[] data, int offset, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long v = (long) LONGS.get(data, offset + i) ^ (long) LONGS.get(ks, i);
            LONGS.set(data, offset + i, v);
        }
        for (; i < length; i++) {
            data[offset + i] ^= ks[i];
        }
    }
}
