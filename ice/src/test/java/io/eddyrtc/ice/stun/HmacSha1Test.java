package io.eddyrtc.ice.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The streaming HMAC-SHA1 against the JDK's, with keys taken in turn as an agent does (its own, the peer's, a TURN one),
 * and without garbage when the key changes.
 */
@ExtendWith(SeedExtension.class)
class HmacSha1Test {

    static final byte[] OURS = "localpasswordlocalpassword".getBytes(StandardCharsets.US_ASCII);
    static final byte[] THEIRS = "remotepasswordremotepassword".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MESSAGE = "a STUN message's bytes, standing in".getBytes(StandardCharsets.US_ASCII);

    /**
     * An ICE agent's one MAC alternates keys (the peer's password for our checks, ours for the peer's): each change
     * gives the JDK's HMAC-SHA1 and allocates nothing, so consent traffic both ways costs no garbage.
     */
    @Test
    void alternatingKeysGiveTheJdksMacAndAllocateNothing() throws Exception {
        HmacSha1 mac = new HmacSha1();
        for (byte[] key : new byte[][] {OURS, THEIRS, OURS, new byte[100]}) { // and a key longer than a block
            assertArrayEquals(jdk(key, MESSAGE), macOf(mac, key), "key of " + key.length + " bytes");
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] out = new byte[HmacSha1.LENGTH];
        for (int i = 0; i < 50_000; i++) { // warm
            alternate(mac, i, out);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++) {
            alternate(mac, i, out);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // a pad per change of key would be 80 bytes x 20,000; allow the JVM's own bookkeeping
        assertTrue(allocated < 16_000, "20,000 changes of key allocated " + allocated + " bytes");
    }

    private static void alternate(HmacSha1 mac, int i, byte[] out) {
        mac.key(i % 2 == 0 ? OURS : THEIRS);
        mac.begin();
        mac.update(MESSAGE, 0, MESSAGE.length);
        mac.finish(out, 0);
    }

    private static byte[] macOf(HmacSha1 mac, byte[] key) {
        byte[] out = new byte[HmacSha1.LENGTH];
        mac.key(key);
        mac.begin();
        mac.update(MESSAGE, 0, MESSAGE.length);
        mac.finish(out, 0);
        return out;
    }

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
