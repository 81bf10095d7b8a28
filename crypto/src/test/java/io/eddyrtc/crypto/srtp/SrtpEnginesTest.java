package io.eddyrtc.crypto.srtp;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.eddyrtc.crypto.srtp.SrtpContextTest.SSRC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engines behind each profile — libgcrypt, libcrypto (AES-GCM) and the JDK — give the same bytes for the same
 * packets and open each other's, on native memory and on the heap, at an offset; a forged tag is refused by each.
 * Every engine must be there: {@code ci/prereqs.d/srtp.sh} installs the libraries.
 */
@ExtendWith(SeedExtension.class)
class SrtpEnginesTest {

    static List<String> engines(SrtpProfile profile) {
        return profile.isAead() ? List.of("jdk", "openssl", "gcrypt") : List.of("jdk", "gcrypt");
    }

    /** Session keys from {@code seed}: the same ones every call (a context destroys the keys it was given). */
    static SrtpContext.SessionKeys keys(SrtpProfile profile, long seed) {
        Random r = new Random(seed);
        int key = profile.masterKeyLength();
        int auth = profile.isAead() ? 0 : 20;
        byte[][] parts = {new byte[key], new byte[14], new byte[auth], new byte[key], new byte[14], new byte[auth]};
        for (byte[] p : parts) {
            r.nextBytes(p);
        }
        return new SrtpContext.SessionKeys(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    static SrtpContext context(SrtpProfile profile, long seed, String engine) {
        SrtpContext c = profile.isAead()
                ? new SrtpContext(profile, keys(profile, seed), SrtpConfig.defaults(), engine, null)
                : new SrtpContext(profile, keys(profile, seed), SrtpConfig.defaults(), null, engine);
        assertEquals(engine, c.engine(), "every engine is installed (ci/prereqs.d/srtp.sh)");
        return c;
    }

    /** {@code packet} at offset 3 of a native segment or a heap one, with room for what protection adds. */
    static MemorySegment place(byte[] packet, boolean nativeMemory, Arena arena) {
        MemorySegment s = nativeMemory ? arena.allocate(packet.length + 64) : MemorySegment.ofArray(new byte[packet.length + 64]);
        MemorySegment.copy(packet, 0, s, ValueLayout.JAVA_BYTE, 3, packet.length);
        return s;
    }

    static byte[] bytes(MemorySegment s, int length) {
        return s.asSlice(3, length).toArray(ValueLayout.JAVA_BYTE);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everyEngineSealsTheSameBytesAndOpensTheOthers(SrtpProfile profile, @Seed long seed) {
        Random r = new Random(seed);
        List<String> engines = engines(profile);
        List<SrtpContext> senders = new ArrayList<>();
        List<SrtpContext> receivers = new ArrayList<>();
        for (String e : engines) {
            senders.add(context(profile, seed, e));
            receivers.add(context(profile, seed, e));
        }
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < 60; i++) {
                boolean rtcp = i % 4 == 3;
                boolean nativeMemory = i % 2 == 0;
                byte[] packet = rtcp ? SrtpContextTest.rtcp(SSRC, r)
                        : SrtpContextTest.rtp(i, SSRC, i % 3, i % 5 - 1, r.nextInt(1400), r);
                byte[] reference = null;
                List<byte[]> sealed = new ArrayList<>();
                for (int e = 0; e < engines.size(); e++) {
                    MemorySegment s = place(packet, nativeMemory, arena);
                    int n = rtcp ? senders.get(e).protectRtcp(s, 3, packet.length, packet.length + 61)
                            : senders.get(e).protectRtp(s, 3, packet.length, packet.length + 61);
                    assertTrue(n > 0, engines.get(e) + " protects packet " + i);
                    byte[] out = bytes(s, n);
                    if (reference == null) {
                        reference = out;
                    }
                    assertArrayEquals(reference, out, engines.get(e) + " seals packet " + i + " as " + engines.getFirst() + " does");
                    sealed.add(out);
                }
                for (int e = 0; e < engines.size(); e++) { // each opens the one before it in the list (the first, the last)
                    byte[] other = sealed.get((e + engines.size() - 1) % engines.size());
                    MemorySegment s = place(other, !nativeMemory, arena);
                    int n = rtcp ? receivers.get(e).unprotectRtcp(s, 3, other.length) : receivers.get(e).unprotectRtp(s, 3, other.length);
                    assertEquals(packet.length, n, engines.get(e) + " opens packet " + i);
                    assertArrayEquals(packet, bytes(s, n), engines.get(e) + " restores packet " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everyEngineRefusesAForgedTag(SrtpProfile profile, @Seed long seed) {
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            for (String engine : engines(profile)) {
                SrtpContext sender = context(profile, seed, engine);
                SrtpContext receiver = context(profile, seed, engine);
                byte[] srtp = SrtpContextTest.protectRtp(sender, SrtpContextTest.rtp(7, SSRC, 0, -1, 200, r));
                srtp[srtp.length - 1] ^= 1;
                MemorySegment s = place(srtp, true, arena);
                assertEquals(SrtpDropReason.AUTH_FAILED.code(), receiver.unprotectRtp(s, 3, srtp.length), engine);
                if (!profile.isAead()) { // AES-CM checks before it decrypts: a forgery leaves the packet as it came
                    assertArrayEquals(srtp, bytes(s, srtp.length), engine + " left the forged packet alone");
                }
            }
        }
    }

    @Test
    void anEngineNobodyHasIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> context(SrtpProfile.AES128_CM_HMAC_SHA1_80, 1, "openssl"));
        assertTrue(e.getMessage().contains("gcrypt or jdk"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> context(SrtpProfile.AEAD_AES_128_GCM, 1, "nss"));
        assertTrue(e.getMessage().contains("gcrypt, openssl or jdk"), e.getMessage());
    }
}
