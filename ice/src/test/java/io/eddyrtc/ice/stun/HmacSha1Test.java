package io.eddyrtc.ice.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The streaming HMAC-SHA1 against the JDK's, with keys taken in turn as an agent does (its own, the peer's, a TURN one). */
@ExtendWith(SeedExtension.class)
class HmacSha1Test {

    @Test
    void matchesTheJdkWhateverTheOrderOfKeysAndTheLengthOfMessages(@Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        // a short password, an ICE-sized one, a 64-byte one and one over a block (hashed first)
        byte[][] keys = {bytes(random, 4), bytes(random, 22), bytes(random, 64), bytes(random, 100)};
        HmacSha1 mac = new HmacSha1();
        int switches = 0;
        int previous = -1;
        for (int i = 0; i < 2_000; i++) {
            // mostly two keys in turn, now and then one of the others, which pushes one of them out
            int k = random.nextInt(10) < 8 ? i % 2 : 2 + random.nextInt(2);
            switches += k != previous ? 1 : 0;
            previous = k;
            byte[] message = bytes(random, random.nextInt(300));
            MemorySegment segment = MemorySegment.ofArray(message);
            mac.key(keys[k]);
            // in two pieces, the first one not a whole block, as STUN's patched length field is fed
            int cut = random.nextInt(message.length + 1);
            mac.update(segment, 0, cut);
            mac.update(segment, cut, message.length - cut);
            byte[] ours = new byte[HmacSha1.LENGTH];
            mac.finish(ours, 0);
            assertArrayEquals(jdk(keys[k], message), ours, "key " + k + ", " + message.length + " bytes, message " + i);
        }
        assertTrue(switches > 1_000, "the keys changed often: " + switches);
    }

    @Test
    void aFinishedMacStartsTheNextOneWithTheSameKey(@Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] key = bytes(random, 22);
        HmacSha1 mac = new HmacSha1();
        mac.key(key);
        for (int i = 0; i < 3; i++) {
            byte[] message = bytes(random, 100);
            mac.update(message, 0, message.length);
            byte[] ours = new byte[HmacSha1.LENGTH];
            mac.finish(ours, 0);
            assertArrayEquals(jdk(key, message), ours);
        }
    }

    private static byte[] jdk(byte[] key, byte[] message) throws Exception {
        Mac jdk = Mac.getInstance("HmacSHA1");
        jdk.init(new SecretKeySpec(key, "HmacSHA1"));
        return jdk.doFinal(message);
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
