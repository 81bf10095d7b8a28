package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.BigEndian;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The state cookie of the four-way handshake (RFC 9260 §5.1.3): everything needed to set up the
 * association travels in the INIT-ACK, signed with HMAC-SHA256 under a key only we know, so an INIT
 * costs no state until the peer echoes the cookie back. Layout: format (1 byte: 1, or 2 when the peer
 * supports FORWARD-TSN), our tag, the peer's tag, our initial TSN, the peer's initial TSN, the peer's
 * receive window (4 bytes each), the time it was made (8), the MAC (32).
 */
public final class StateCookie {
    public static final int LENGTH = 1 + 4 + 4 + 4 + 4 + 4 + 8 + 32;
    private static final int SIGNED = LENGTH - 32;

    private final Mac mac;

    /** Draws the signing key from {@code random}. */
    public StateCookie(RandomGenerator random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks HmacSHA256", e);
        }
    }

    public byte[] make(long myTag, long theirTag, long myInitialTsn, long theirInitialTsn, long theirRwnd,
                       boolean theirForwardTsn, long now) {
        byte[] c = new byte[LENGTH];
        c[0] = (byte) (theirForwardTsn ? 2 : 1);
        BigEndian.putU32(c, 1, myTag);
        BigEndian.putU32(c, 5, theirTag);
        BigEndian.putU32(c, 9, myInitialTsn);
        BigEndian.putU32(c, 13, theirInitialTsn);
        BigEndian.putU32(c, 17, theirRwnd);
        BigEndian.putU64(c, 21, now);
        System.arraycopy(sign(c), 0, c, SIGNED, 32);
        return c;
    }

    /** Signed by us for the association with tag {@code myTag} (not necessarily fresh). */
    public boolean authentic(byte[] c, long myTag) {
        return c.length == LENGTH && (c[0] == 1 || c[0] == 2) && BigEndian.u32(c, 1) == myTag
                && MessageDigest.isEqual(sign(c), Arrays.copyOfRange(c, SIGNED, LENGTH));
    }

    /** Made no later than {@code now} and no longer than {@code lifetime} ago. */
    public static boolean fresh(byte[] c, long now, long lifetime) {
        long created = created(c);
        return created <= now && now - created <= lifetime;
    }

    public static long theirTag(byte[] c) {
        return BigEndian.u32(c, 5);
    }

    public static long theirInitialTsn(byte[] c) {
        return BigEndian.u32(c, 13);
    }

    public static long theirRwnd(byte[] c) {
        return BigEndian.u32(c, 17);
    }

    public static boolean theirForwardTsn(byte[] c) {
        return c[0] == 2;
    }

    public static long created(byte[] c) {
        return BigEndian.u64(c, 21);
    }

    private byte[] sign(byte[] c) {
        mac.update(c, 0, SIGNED);
        return mac.doFinal();
    }
}
