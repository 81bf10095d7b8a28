package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.ice.stun.HmacSha1;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransactionIdsTest {
    @Test
    void idsDoNotRepeatAndUseAllNinetySixBits() {
        TransactionIds ids = new TransactionIds(new SecureRandom(), new HmacSha1());
        Set<String> seen = new HashSet<>();
        int highBitsSet = 0;
        int lowTopBitsSet = 0;
        for (int i = 0; i < 100_000; i++) {
            ids.next();
            assertTrue(seen.add(ids.high() + ":" + ids.low()), "id " + i + " repeats an earlier one");
            highBitsSet += ids.high() < 0 ? 1 : 0;
            lowTopBitsSet += ids.low() < 0 ? 1 : 0;
        }
        // each top bit is set about half the time: the ids are not a counter or mostly zero
        assertTrue(highBitsSet > 45_000 && highBitsSet < 55_000, "high's top bit set " + highBitsSet + " times");
        assertTrue(lowTopBitsSet > 45_000 && lowTopBitsSet < 55_000, "low's top bit set " + lowTopBitsSet + " times");
    }

    @Test
    void theKeyDecidesTheIdsSoASeededAgentRepeatsAndAnotherKeyDoesNot() {
        TransactionIds a = new TransactionIds(new SplittableRandom(7), new HmacSha1());
        TransactionIds again = new TransactionIds(new SplittableRandom(7), new HmacSha1());
        TransactionIds other = new TransactionIds(new SplittableRandom(8), new HmacSha1());
        for (int i = 0; i < 100; i++) {
            a.next();
            again.next();
            other.next();
            assertEquals(a.high(), again.high());
            assertEquals(a.low(), again.low());
            assertNotEquals(a.low(), other.low(), "another key, other ids");
        }
    }

    @Test
    void makingAnIdAllocatesNothingOnceWarm() {
        HmacSha1 shared = new HmacSha1();
        TransactionIds ids = new TransactionIds(new SecureRandom(), shared);
        byte[] otherKey = "remotepasswordremotepassword".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long[] sum = {0};
        int measured = 20_000;
        long allocated = SteadyAllocation.bytes(200_000, measured, () -> {
            ids.next();
            sum[0] += ids.high() ^ ids.low();
            shared.key(otherKey); // the agent's MESSAGE-INTEGRITY takes the MAC between ids
        });
        assertNotEquals(0, sum[0]);
        // slack for the JVM's own bookkeeping; 8 bytes per id would be 160,000
        assertTrue(allocated < 16_000, measured + " ids allocated " + allocated + " bytes");
    }
}
