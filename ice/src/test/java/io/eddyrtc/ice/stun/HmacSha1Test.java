package io.eddyrtc.ice.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * An ICE agent's one MAC alternates keys (the peer's password for our checks, ours for the peer's): each change gives
 * the JDK's HMAC-SHA1 and allocates nothing, so consent traffic both ways costs no garbage.
 */
class HmacSha1Test {
    static final byte[] OURS = "localpasswordlocalpassword".getBytes(StandardCharsets.US_ASCII);
    static final byte[] THEIRS = "remotepasswordremotepassword".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MESSAGE = "a STUN message's bytes, standing in".getBytes(StandardCharsets.US_ASCII);

    @Test
    void alternatingKeysGiveTheJdksMacAndAllocateNothing() throws Exception {
        HmacSha1 mac = new HmacSha1();
        for (byte[] key : new byte[][] {OURS, THEIRS, OURS, new byte[100]}) { // and a key longer than a block
            Mac jdk = Mac.getInstance("HmacSHA1");
            jdk.init(new SecretKeySpec(key, "HmacSHA1"));
            assertArrayEquals(jdk.doFinal(MESSAGE), macOf(mac, key), "key of " + key.length + " bytes");
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
}
