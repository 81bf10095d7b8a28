package io.eddyrtc.crypto.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

/**
 * Unprotect (SRTP and SRTCP, every profile) against hostile input: it never throws, returns either a
 * length or a known drop reason, never accepts bytes nobody protected, and never accepts a protected
 * packet that was modified in any way.
 */
class SrtpFuzzTest {
    private static final SrtpProfile[] PROFILES = SrtpProfile.values();

    private static SrtpContext context(SrtpProfile profile, long seed) {
        Random r = new Random(seed);
        byte[] key = new byte[profile.masterKeyLength()];
        byte[] salt = new byte[profile.masterSaltLength()];
        r.nextBytes(key);
        r.nextBytes(salt);
        return new SrtpContext(profile, key, salt, SrtpConfig.defaults().withReplayWindow(64).withMaxStreams(4));
    }

    @FuzzTest(maxDuration = "60s")
    void arbitraryBytesAreNeverAccepted(FuzzedDataProvider data) {
        SrtpProfile profile = PROFILES[data.consumeInt(0, PROFILES.length - 1)];
        try (SrtpContext rx = context(profile, 1)) {
            int rounds = data.consumeInt(1, 8);
            for (int i = 0; i < rounds && data.remainingBytes() > 0; i++) {
                boolean rtcp = data.consumeBoolean();
                byte[] packet = data.consumeBytes(data.consumeInt(0, 1500));
                int declared = data.consumeInt(0, packet.length); // a length shorter than the buffer is allowed
                int result = rtcp
                        ? rx.unprotectRtcp(MemorySegment.ofArray(packet), 0, declared)
                        : rx.unprotectRtp(MemorySegment.ofArray(packet), 0, declared);
                assertTrue(result < 0, "accepted bytes nobody protected");
                assertNotNull(SrtpDropReason.fromCode(result));
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void modifiedPacketsAreNeverAccepted(FuzzedDataProvider data) {
        SrtpProfile profile = PROFILES[data.consumeInt(0, PROFILES.length - 1)];
        boolean rtcp = data.consumeBoolean();
        try (SrtpContext tx = context(profile, 2); SrtpContext rx = context(profile, 2)) {
            Random r = new Random(data.consumeLong());
            byte[] plain = rtcp
                    ? SrtpContextTest.rtcp(data.consumeInt() & 0xFFFF_FFFFL, r)
                    : SrtpContextTest.rtp(data.consumeInt(0, 0xFFFF), data.consumeInt() & 0xFFFF_FFFFL,
                            data.consumeInt(0, 3), data.consumeInt(-1, 3), data.consumeInt(0, 300), r);
            byte[] buffer = Arrays.copyOf(plain, plain.length + 64);
            MemorySegment segment = MemorySegment.ofArray(buffer);
            int protectedLength = rtcp ? tx.protectRtcp(segment, 0, plain.length, buffer.length)
                    : tx.protectRtp(segment, 0, plain.length, buffer.length);
            assertTrue(protectedLength > 0);
            byte[] wire = Arrays.copyOf(buffer, protectedLength);
            byte[] attacked = wire.clone();
            int edits = data.consumeInt(0, 4);
            for (int i = 0; i < edits; i++) {
                attacked[data.consumeInt(0, attacked.length - 1)] ^= data.consumeByte();
            }
            int length = data.consumeBoolean() ? data.consumeInt(0, attacked.length) : attacked.length;
            boolean modified = length != wire.length || !Arrays.equals(wire, attacked);
            MemorySegment target = MemorySegment.ofArray(attacked);
            int result = rtcp ? rx.unprotectRtcp(target, 0, length) : rx.unprotectRtp(target, 0, length);
            if (modified) {
                assertTrue(result < 0, "accepted a modified packet");
            } else {
                assertEquals(plain.length, result, "refused the genuine packet: " + SrtpDropReason.fromCode(result));
                assertArrayEquals(plain, Arrays.copyOf(attacked, result));
            }
        }
    }
}
