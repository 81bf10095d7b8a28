package io.eddyrtc.crypto.dtls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The JCA objects handshakes take from {@link Jca} are new each time and independent of each other and of the
 * prototype they are cloned from: what one is fed or keyed with changes no other, and each computes what
 * {@code getInstance}'s would.
 */
class JcaTest {
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    @Test
    void digestsAreIndependentClones() throws Exception {
        MessageDigest a = Jca.digest("SHA-256");
        MessageDigest b = Jca.digest("SHA-256");
        assertNotSame(a, b);
        a.update(new byte[] {1, 2, 3}); // left half-fed: b and later clones must not see it
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(ABC), b.digest(ABC));
        assertArrayEquals(MessageDigest.getInstance("SHA-384").digest(ABC), Jca.digest("SHA-384").digest(ABC));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(ABC), Jca.digest("SHA-256").digest(ABC));
    }

    @Test
    void macsAreIndependentClones() throws Exception {
        Mac a = Jca.mac("HmacSHA256");
        Mac b = Jca.mac("HmacSHA256");
        a.init(new SecretKeySpec(new byte[] {1}, "HmacSHA256"));
        b.init(new SecretKeySpec(new byte[] {2}, "HmacSHA256"));
        Mac reference = Mac.getInstance("HmacSHA256");
        reference.init(new SecretKeySpec(new byte[] {1}, "HmacSHA256"));
        assertArrayEquals(reference.doFinal(ABC), a.doFinal(ABC));
        assertFalse(Arrays.equals(a.doFinal(ABC), b.doFinal(ABC)), "each keeps its own key");
    }

    @Test
    void ciphersAreNewEachTime() throws Exception {
        Cipher a = Jca.cipher("AES/ECB/NoPadding");
        Cipher b = Jca.cipher("AES/ECB/NoPadding");
        assertNotSame(a, b);
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        a.init(Cipher.ENCRYPT_MODE, key);
        Cipher reference = Cipher.getInstance("AES/ECB/NoPadding");
        reference.init(Cipher.ENCRYPT_MODE, key);
        assertArrayEquals(reference.doFinal(new byte[16]), a.doFinal(new byte[16]));
    }
}
