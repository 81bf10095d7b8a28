package io.eddyrtc.crypto.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * eddy against libsrtp2 (the real library, through FFM), for every profile, both ways: what eddy protects
 * libsrtp unprotects and the other way round, RTP across a rollover (65535 → 0) delivered out of order,
 * and SRTCP. eddy's SRTP packets must also equal libsrtp's byte for byte (the transform is deterministic).
 */
@ExtendWith(SeedExtension.class)
class LibSrtpCrossCheckTest {
    static final int WINDOW = 1024;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void eddyAndLibsrtpInteroperateAcrossTheRollover(SrtpProfile profile, @Seed long seed) {
        Random r = new Random(seed);
        byte[] key = new byte[profile.masterKeyLength()];
        byte[] salt = new byte[profile.masterSaltLength()];
        r.nextBytes(key);
        r.nextBytes(salt);
        try (Arena arena = Arena.ofConfined();
             SrtpContext eddyOut = new SrtpContext(profile, key, salt, SrtpConfig.defaults());
             SrtpContext eddyIn = new SrtpContext(profile, key, salt, SrtpConfig.defaults());
             LibSrtp libOut = new LibSrtp(profile, key, salt, true, WINDOW);
             LibSrtp libIn = new LibSrtp(profile, key, salt, false, WINDOW)) {
            MemorySegment a = arena.allocate(2048);
            MemorySegment b = arena.allocate(2048);
            List<byte[]> plain = new ArrayList<>();
            List<byte[]> byEddy = new ArrayList<>();
            List<byte[]> byLib = new ArrayList<>();
            long ssrc = r.nextInt() & 0xFFFF_FFFFL;
            for (int i = 0; i < 300; i++) {
                int seq = (65_450 + i) & 0xFFFF;
                byte[] packet = SrtpContextTest.rtp(seq, ssrc, i % 2, i % 3 == 0 ? 1 : -1, 10 + r.nextInt(1100), r);
                plain.add(packet);
                MemorySegment.copy(packet, 0, a, ValueLayout.JAVA_BYTE, 0, packet.length);
                int n = eddyOut.protectRtp(a, 0, packet.length, 2048);
                MemorySegment.copy(packet, 0, b, ValueLayout.JAVA_BYTE, 0, packet.length);
                int m = libOut.protectRtp(b, packet.length);
                assertTrue(n > 0 && m > 0, "both protect packet " + i + ": eddy " + n + ", libsrtp " + m);
                byte[] e = a.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                byte[] l = b.asSlice(0, m).toArray(ValueLayout.JAVA_BYTE);
                assertArrayEquals(l, e, "eddy's SRTP equals libsrtp's for packet " + i + " (seq " + seq + ")");
                byEddy.add(e);
                byLib.add(l);
            }
            assertEquals(1, eddyOut.rolloverCounter(ssrc));
            List<Integer> order = shuffledInBlocks(300, 12, r);
            for (int i : order) {
                byte[] e = byEddy.get(i);
                MemorySegment.copy(e, 0, b, ValueLayout.JAVA_BYTE, 0, e.length);
                int m = libIn.unprotectRtp(b, e.length);
                assertEquals(plain.get(i).length, m, "libsrtp unprotects eddy's packet " + i + " (status " + (-m) + ")");
                assertArrayEquals(plain.get(i), b.asSlice(0, m).toArray(ValueLayout.JAVA_BYTE));
                byte[] l = byLib.get(i);
                MemorySegment.copy(l, 0, a, ValueLayout.JAVA_BYTE, 0, l.length);
                int n = eddyIn.unprotectRtp(a, 0, l.length);
                assertEquals(plain.get(i).length, n, "eddy unprotects libsrtp's packet " + i + ": " + SrtpDropReason.fromCode(n));
                assertArrayEquals(plain.get(i), a.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            }
            // replays of what was already accepted are refused by both
            byte[] again = byLib.get(order.getFirst());
            MemorySegment.copy(again, 0, a, ValueLayout.JAVA_BYTE, 0, again.length);
            assertEquals(SrtpDropReason.REPLAYED.code(), eddyIn.unprotectRtp(a, 0, again.length));
            MemorySegment.copy(again, 0, b, ValueLayout.JAVA_BYTE, 0, again.length);
            assertTrue(libIn.unprotectRtp(b, again.length) < 0, "libsrtp refuses the replay too");

            for (int i = 0; i < 30; i++) {
                byte[] report = SrtpContextTest.rtcp(ssrc, r);
                MemorySegment.copy(report, 0, a, ValueLayout.JAVA_BYTE, 0, report.length);
                int n = eddyOut.protectRtcp(a, 0, report.length, 2048);
                int m = libIn.unprotectRtcp(a, n);
                assertEquals(report.length, m, "libsrtp unprotects eddy's SRTCP " + i + " (status " + (-m) + ")");
                assertArrayEquals(report, a.asSlice(0, m).toArray(ValueLayout.JAVA_BYTE));
                MemorySegment.copy(report, 0, b, ValueLayout.JAVA_BYTE, 0, report.length);
                int k = libOut.protectRtcp(b, report.length);
                int j = eddyIn.unprotectRtcp(b, 0, k);
                assertEquals(report.length, j, "eddy unprotects libsrtp's SRTCP " + i + ": " + SrtpDropReason.fromCode(j));
                assertArrayEquals(report, b.asSlice(0, j).toArray(ValueLayout.JAVA_BYTE));
            }
            assertEquals(1, eddyIn.droppedTotal(), "only the deliberate replay was dropped");
        }
    }

    static List<Integer> shuffledInBlocks(int n, int block, Random r) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i += block) {
            List<Integer> b = new ArrayList<>();
            for (int j = i; j < Math.min(n, i + block); j++) {
                b.add(j);
            }
            Collections.shuffle(b, r);
            order.addAll(b);
        }
        return order;
    }
}
