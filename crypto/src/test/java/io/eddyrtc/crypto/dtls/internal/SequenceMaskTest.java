package io.eddyrtc.crypto.dtls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sequence number mask (RFC 9147 §4.2.3) against the JDK's own AES and ChaCha20: AES-ECB of the sample;
 * the ChaCha20 block the sample's counter (every edge of its 32 bits) and nonce name. The same sample twice
 * in a row (a duplicated record) masks the same, and one direction's cipher takes turns between epochs' keys.
 */
@ExtendWith(SeedExtension.class)
class SequenceMaskTest {
    private static final long[] COUNTERS = {0, 1, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL};

    @Test
    void chacha20IsTheJdksBlockForEveryCounter(@Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        SecretKeySpec key = new SecretKeySpec(bytes(random, 32), "ChaCha20");
        SequenceMask mask = new SequenceMask(true);
        for (long counter : COUNTERS) {
            byte[] sample = bytes(random, 16);
            for (int i = 0; i < 4; i++) {
                sample[i] = (byte) (counter >>> (8 * i)); // little-endian
            }
            Cipher jdk = Cipher.getInstance("ChaCha20");
            jdk.init(Cipher.ENCRYPT_MODE, key, new ChaCha20ParameterSpec(Arrays.copyOfRange(sample, 4, 16), (int) counter));
            byte[] expected = Arrays.copyOf(jdk.doFinal(new byte[16]), 2);
            for (int twice = 0; twice < 2; twice++) {
                byte[] target = new byte[2];
                mask.apply(key, sample, 0, target, 0, 2);
                assertArrayEquals(expected, target, Long.toHexString(counter) + ", time " + twice);
            }
        }
    }

    @Test
    void aesIsEcbOfTheSampleAndEpochsTakeTurns(@Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        SecretKeySpec epoch2 = new SecretKeySpec(bytes(random, 16), "AES");
        SecretKeySpec epoch3 = new SecretKeySpec(bytes(random, 16), "AES");
        SequenceMask mask = new SequenceMask(false);
        byte[] sample = bytes(random, 16);
        for (SecretKeySpec key : new SecretKeySpec[] {epoch2, epoch3, epoch2, epoch2, epoch3}) {
            Cipher jdk = Cipher.getInstance("AES/ECB/NoPadding");
            jdk.init(Cipher.ENCRYPT_MODE, key);
            byte[] target = new byte[2];
            mask.apply(key, sample, 0, target, 0, 2);
            assertArrayEquals(Arrays.copyOf(jdk.doFinal(sample), 2), target);
        }
        byte[] two = new byte[2];
        byte[] three = new byte[2];
        mask.apply(epoch2, sample, 0, two, 0, 2);
        mask.apply(epoch3, sample, 0, three, 0, 2);
        assertFalse(Arrays.equals(two, three), "each epoch's key masks differently");
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
