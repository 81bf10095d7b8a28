package io.eddyrtc.crypto.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Round trips, replay, rollover, hostile input and limits, for every profile. */
@ExtendWith(SeedExtension.class)
class SrtpContextTest {
    static final long SSRC = 0xCAFEBABEL;

    /** A sender/receiver pair sharing one master key and salt (the same direction of a session). */
    record Pair(SrtpContext sender, SrtpContext receiver) {}

    static Pair pair(SrtpProfile profile, long seed, SrtpConfig config) {
        Random r = new Random(seed);
        byte[] key = new byte[profile.masterKeyLength()];
        byte[] salt = new byte[profile.masterSaltLength()];
        r.nextBytes(key);
        r.nextBytes(salt);
        return new Pair(new SrtpContext(profile, key, salt, config), new SrtpContext(profile, key, salt, config));
    }

    /** An RTP packet: V=2, optional CSRCs and a one-byte-header extension, then a payload. */
    static byte[] rtp(int seq, long ssrc, int csrcs, int extensionWords, int payload, Random r) {
        int header = 12 + 4 * csrcs + (extensionWords >= 0 ? 4 + 4 * extensionWords : 0);
        byte[] p = new byte[header + payload];
        p[0] = (byte) (0x80 | (extensionWords >= 0 ? 0x10 : 0) | csrcs);
        p[1] = 111;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[4] = 0x12;
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
        int at = 12 + 4 * csrcs;
        if (extensionWords >= 0) {
            p[at] = (byte) 0xBE;
            p[at + 1] = (byte) 0xDE;
            p[at + 3] = (byte) extensionWords;
        }
        byte[] body = new byte[payload];
        r.nextBytes(body);
        System.arraycopy(body, 0, p, header, payload);
        return p;
    }

    /** An RTCP receiver report with one report block, from {@code ssrc}. */
    static byte[] rtcp(long ssrc, Random r) {
        byte[] p = new byte[32];
        r.nextBytes(p);
        p[0] = (byte) 0x81;
        p[1] = (byte) 201;
        p[2] = 0;
        p[3] = 7;
        p[4] = (byte) (ssrc >>> 24);
        p[5] = (byte) (ssrc >>> 16);
        p[6] = (byte) (ssrc >>> 8);
        p[7] = (byte) ssrc;
        return p;
    }

    /** Protects a copy of {@code packet}; the returned array is exactly the SRTP packet. */
    static byte[] protectRtp(SrtpContext c, byte[] packet) {
        byte[] buffer = Arrays.copyOf(packet, packet.length + 64);
        int n = c.protectRtp(MemorySegment.ofArray(buffer), 0, packet.length, buffer.length);
        assertTrue(n > 0, () -> "protect failed: " + SrtpDropReason.fromCode(n));
        return Arrays.copyOf(buffer, n);
    }

    static byte[] protectRtcp(SrtpContext c, byte[] packet) {
        byte[] buffer = Arrays.copyOf(packet, packet.length + 64);
        int n = c.protectRtcp(MemorySegment.ofArray(buffer), 0, packet.length, buffer.length);
        assertTrue(n > 0, () -> "protect failed: " + SrtpDropReason.fromCode(n));
        return Arrays.copyOf(buffer, n);
    }

    /** Unprotects a copy; returns the plaintext or null, and the reason through {@code reason[0]}. */
    static byte[] unprotectRtp(SrtpContext c, byte[] srtp, SrtpDropReason[] reason) {
        byte[] buffer = srtp.clone();
        int n = c.unprotectRtp(MemorySegment.ofArray(buffer), 0, buffer.length);
        reason[0] = SrtpDropReason.fromCode(n);
        return n < 0 ? null : Arrays.copyOf(buffer, n);
    }

    static byte[] unprotectRtcp(SrtpContext c, byte[] srtcp, SrtpDropReason[] reason) {
        byte[] buffer = srtcp.clone();
        int n = c.unprotectRtcp(MemorySegment.ofArray(buffer), 0, buffer.length);
        reason[0] = SrtpDropReason.fromCode(n);
        return n < 0 ? null : Arrays.copyOf(buffer, n);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripsWithCsrcsAndExtensionsAndHidesThePayload(SrtpProfile profile) {
        Random r = new Random(1);
        Pair p = pair(profile, 1, SrtpConfig.defaults());
        SrtpDropReason[] why = new SrtpDropReason[1];
        for (int i = 0; i < 50; i++) {
            byte[] packet = rtp(1000 + i, SSRC, i % 3, i % 2 == 0 ? -1 : i % 4, 20 + 37 * i, r);
            byte[] srtp = protectRtp(p.sender(), packet);
            assertEquals(packet.length + profile.rtpTagLength(), srtp.length);
            int header = packet.length - (20 + 37 * i);
            assertArrayEquals(Arrays.copyOf(packet, header), Arrays.copyOf(srtp, header), "the header stays readable");
            assertFalse(Arrays.equals(Arrays.copyOfRange(packet, header, packet.length), Arrays.copyOfRange(srtp, header, packet.length)),
                    "the payload is encrypted");
            assertArrayEquals(packet, unprotectRtp(p.receiver(), srtp, why), "round trip " + i);
        }
        assertEquals(0, p.receiver().droppedTotal());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripsWithTheIndexTrailer(SrtpProfile profile) {
        Random r = new Random(2);
        Pair p = pair(profile, 2, SrtpConfig.defaults());
        SrtpDropReason[] why = new SrtpDropReason[1];
        for (int i = 0; i < 20; i++) {
            byte[] packet = rtcp(SSRC, r);
            byte[] srtcp = protectRtcp(p.sender(), packet);
            assertEquals(packet.length + profile.rtcpTagLength() + 4, srtcp.length);
            assertArrayEquals(packet, unprotectRtcp(p.receiver(), srtcp, why));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void anyModifiedBitIsRejectedAndTheContextGoesOn(SrtpProfile profile) {
        Random r = new Random(3);
        Pair p = pair(profile, 3, SrtpConfig.defaults());
        SrtpDropReason[] why = new SrtpDropReason[1];
        byte[] srtp = protectRtp(p.sender(), rtp(7, SSRC, 1, 1, 100, r));
        for (int bit = 0; bit < srtp.length * 8; bit += 7) {
            byte[] bad = srtp.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertEquals(null, unprotectRtp(p.receiver(), bad, why), "bit " + bit + " flipped");
        }
        assertTrue(p.receiver().dropped(SrtpDropReason.AUTH_FAILED) > 0);
        assertTrue(unprotectRtp(p.receiver(), srtp, why) != null, "the genuine packet still passes after the forgeries");
        byte[] srtcp = protectRtcp(p.sender(), rtcp(SSRC, r));
        for (int i = 0; i < srtcp.length; i++) {
            byte[] bad = srtcp.clone();
            bad[i] ^= 0x40;
            assertEquals(null, unprotectRtcp(p.receiver(), bad, why), "SRTCP byte " + i + " changed");
        }
        assertTrue(unprotectRtcp(p.receiver(), srtcp, why) != null);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replaysAreRejectedAndOldPacketsJudgedByTheWindow(SrtpProfile profile) {
        Random r = new Random(4);
        Pair p = pair(profile, 4, SrtpConfig.defaults().withReplayWindow(64));
        SrtpDropReason[] why = new SrtpDropReason[1];
        byte[][] sent = new byte[200][];
        for (int seq = 0; seq < 200; seq++) {
            sent[seq] = protectRtp(p.sender(), rtp(seq, SSRC, 0, -1, 40, r));
        }
        assertTrue(unprotectRtp(p.receiver(), sent[100], why) != null);
        assertEquals(null, unprotectRtp(p.receiver(), sent[100], why));
        assertEquals(SrtpDropReason.REPLAYED, why[0], "the same packet twice");
        assertTrue(unprotectRtp(p.receiver(), sent[37], why) != null, "just inside the 64-packet window (100 - 63)");
        assertEquals(null, unprotectRtp(p.receiver(), sent[36], why));
        assertEquals(SrtpDropReason.TOO_OLD, why[0], "just outside it");
        assertTrue(unprotectRtp(p.receiver(), sent[199], why) != null);
        assertEquals(null, unprotectRtp(p.receiver(), sent[100], why));
        assertEquals(SrtpDropReason.TOO_OLD, why[0], "the window moved on");
        assertTrue(unprotectRtp(p.receiver(), sent[150], why) != null, "late but inside the moved window");
        // SRTCP has its own window over the SRTCP index
        byte[] srtcp = protectRtcp(p.sender(), rtcp(SSRC, r));
        assertTrue(unprotectRtcp(p.receiver(), srtcp, why) != null);
        assertEquals(null, unprotectRtcp(p.receiver(), srtcp, why));
        assertEquals(SrtpDropReason.REPLAYED, why[0]);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rolloverWithReorderingAcrossTheWrap(SrtpProfile profile, @Seed long seed) {
        Random r = new Random(seed);
        Pair p = pair(profile, seed, SrtpConfig.defaults());
        SrtpDropReason[] why = new SrtpDropReason[1];
        List<byte[]> plain = new ArrayList<>();
        List<byte[]> wire = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int seq = (65_400 + i) & 0xFFFF; // 65400 .. 65535, 0 .. 263: ROC 0 then 1
            byte[] packet = rtp(seq, SSRC, 0, -1, 30, r);
            plain.add(packet);
            wire.add(protectRtp(p.sender(), packet));
        }
        assertEquals(1, p.sender().rolloverCounter(SSRC), "the sender's ROC counted the wrap");
        // deliver with local reordering (each packet displaced by up to 20 places)
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 400; i += 20) {
            List<Integer> block = new ArrayList<>();
            for (int j = i; j < i + 20; j++) {
                block.add(j);
            }
            Collections.shuffle(block, r);
            order.addAll(block);
        }
        for (int i : order) {
            assertArrayEquals(plain.get(i), unprotectRtp(p.receiver(), wire.get(i), why), "packet " + i + ": " + why[0]);
        }
        assertEquals(1, p.receiver().rolloverCounter(SSRC), "the receiver's estimate followed");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aLongGapKeepsTheRolloverCounterRight(SrtpProfile profile) {
        Random r = new Random(6);
        Pair p = pair(profile, 6, SrtpConfig.defaults());
        SrtpDropReason[] why = new SrtpDropReason[1];
        int seq = 0;
        for (int i = 0; i < 3; i++) {
            // 30,000 packets lost between deliveries, less than half the sequence space each time
            for (int k = 0; k < 30_000; k++) {
                protectRtp(p.sender(), rtp(seq++ & 0xFFFF, SSRC, 0, -1, 1, r));
            }
            byte[] packet = rtp(seq++ & 0xFFFF, SSRC, 0, -1, 10, r);
            assertArrayEquals(packet, unprotectRtp(p.receiver(), protectRtp(p.sender(), packet), why));
        }
        assertEquals(p.sender().rolloverCounter(SSRC), p.receiver().rolloverCounter(SSRC));
        assertEquals(1, p.receiver().rolloverCounter(SSRC));
    }

    @Test
    void theSenderNeverReusesAnIndex() {
        Random r = new Random(7);
        Pair p = pair(SrtpProfile.AEAD_AES_128_GCM, 7, SrtpConfig.defaults());
        byte[] packet = rtp(5, SSRC, 0, -1, 40, r);
        protectRtp(p.sender(), packet);
        byte[] again = Arrays.copyOf(packet, packet.length + 64);
        int n = p.sender().protectRtp(MemorySegment.ofArray(again), 0, packet.length, again.length);
        assertEquals(SrtpDropReason.REPLAYED, SrtpDropReason.fromCode(n), "a second packet under the same GCM IV would leak both");
    }

    @Test
    void malformedAndShortPacketsAreDroppedWithReasons() {
        Random r = new Random(8);
        Pair p = pair(SrtpProfile.AES128_CM_HMAC_SHA1_80, 8, SrtpConfig.defaults());
        SrtpContext rx = p.receiver();
        byte[] version1 = rtp(1, SSRC, 0, -1, 40, r);
        version1[0] = 0x40;
        assertEquals(SrtpDropReason.BAD_HEADER.code(), rx.unprotectRtp(MemorySegment.ofArray(version1), 0, version1.length));
        byte[] hugeExtension = rtp(1, SSRC, 0, 0, 40, r);
        hugeExtension[15] = (byte) 0xFF; // 255 extension words: runs past the end
        assertEquals(SrtpDropReason.BAD_HEADER.code(), rx.unprotectRtp(MemorySegment.ofArray(hugeExtension), 0, hugeExtension.length));
        byte[] tiny = new byte[15];
        tiny[0] = (byte) 0x80;
        assertEquals(SrtpDropReason.TOO_SHORT.code(), rx.unprotectRtp(MemorySegment.ofArray(tiny), 0, tiny.length));
        assertEquals(SrtpDropReason.TOO_SHORT.code(), rx.unprotectRtcp(MemorySegment.ofArray(tiny), 0, tiny.length));
        byte[] full = rtp(1, SSRC, 0, -1, 40, r);
        assertEquals(SrtpDropReason.NO_ROOM.code(), p.sender().protectRtp(MemorySegment.ofArray(full), 0, full.length, full.length),
                "no room after the packet for the tag");
        assertEquals(SrtpDropReason.TOO_SHORT.code(), rx.unprotectRtp(MemorySegment.ofArray(full), 0, 9999), "length beyond the segment");
        assertEquals(5, rx.droppedTotal(), "two bad headers and three too short, each counted once");
        assertEquals(1, p.sender().dropped(SrtpDropReason.NO_ROOM));
    }

    @Test
    void unknownSsrcPolicyAndTheStreamLimit() {
        Random r = new Random(9);
        SrtpConfig strict = SrtpConfig.defaults().withAcceptUnknownSsrc(false).withMaxStreams(2);
        Pair p = pair(SrtpProfile.AEAD_AES_256_GCM, 9, strict);
        SrtpDropReason[] why = new SrtpDropReason[1];
        byte[] srtp = protectRtp(p.sender(), rtp(1, 11, 0, -1, 40, r));
        assertEquals(null, unprotectRtp(p.receiver(), srtp, why));
        assertEquals(SrtpDropReason.UNKNOWN_SSRC, why[0]);
        p.receiver().addStream(11);
        assertTrue(unprotectRtp(p.receiver(), srtp, why) != null, "accepted once signalled");

        Pair open = pair(SrtpProfile.AEAD_AES_256_GCM, 10, SrtpConfig.defaults().withMaxStreams(2));
        Pair roomy = pair(SrtpProfile.AEAD_AES_256_GCM, 10, SrtpConfig.defaults());
        for (long ssrc = 1; ssrc <= 3; ssrc++) {
            byte[] packet = protectRtp(roomy.sender(), rtp(1, ssrc, 0, -1, 10, r));
            byte[] result = unprotectRtp(open.receiver(), packet, why);
            if (ssrc <= 2) {
                assertTrue(result != null);
            } else {
                assertEquals(SrtpDropReason.TOO_MANY_STREAMS, why[0], "a third SSRC beyond maxStreams=2");
            }
        }
        assertThrows(IllegalStateException.class, () -> open.receiver().addStream(99));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void worksInPlaceOnAPoolStyleNativeSegmentAtAnOffset(SrtpProfile profile) {
        Random r = new Random(11);
        Pair p = pair(profile, 11, SrtpConfig.defaults());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slab = arena.allocate(4096);
            byte[] packet = rtp(500, SSRC, 2, 1, 1200, r);
            long offset = 100;
            MemorySegment.copy(packet, 0, slab, ValueLayout.JAVA_BYTE, offset, packet.length);
            int n = p.sender().protectRtp(slab, offset, packet.length, 2048);
            assertEquals(packet.length + profile.rtpTagLength(), n);
            int m = p.receiver().unprotectRtp(slab, offset, n);
            assertEquals(packet.length, m);
            byte[] back = new byte[m];
            MemorySegment.copy(slab, ValueLayout.JAVA_BYTE, offset, back, 0, m);
            assertArrayEquals(packet, back);
            int c = p.sender().protectRtcp(slab, offset, 32, 2048);
            assertEquals(32 + p.sender().rtcpOverhead(), c);
            assertEquals(32, p.receiver().unprotectRtcp(slab, offset, c));
        }
    }

    /** A heap datagram read at an offset, as a caller's receive buffer or a TURN ChannelData frame gives it. */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void worksInPlaceOnAHeapSegmentAtAnOffset(SrtpProfile profile) {
        Random r = new Random(13);
        Pair p = pair(profile, 13, SrtpConfig.defaults());
        byte[] heap = new byte[4096];
        MemorySegment segment = MemorySegment.ofArray(heap);
        byte[] packet = rtp(600, SSRC, 0, -1, 160, r);
        long offset = 4;
        MemorySegment.copy(packet, 0, segment, ValueLayout.JAVA_BYTE, offset, packet.length);
        int n = p.sender().protectRtp(segment, offset, packet.length, 2048);
        assertEquals(packet.length, p.receiver().unprotectRtp(segment, offset, n));
        assertArrayEquals(packet, Arrays.copyOfRange(heap, (int) offset, (int) offset + packet.length));
        int c = p.sender().protectRtcp(segment, offset, 32, 2048);
        assertEquals(32, p.receiver().unprotectRtcp(segment, offset, c));
    }

    @Test
    void sessionSplitsTheDirections() {
        byte[] exported = new byte[SrtpKeyingMaterial.exporterLength(SrtpProfile.AEAD_AES_128_GCM)];
        new Random(12).nextBytes(exported);
        try (SrtpSession client = SrtpSession.create(SrtpKeyingMaterial.fromExporter(SrtpProfile.AEAD_AES_128_GCM, exported, true), SrtpConfig.defaults());
             SrtpSession server = SrtpSession.create(SrtpKeyingMaterial.fromExporter(SrtpProfile.AEAD_AES_128_GCM, exported, false), SrtpConfig.defaults())) {
            Random r = new Random(13);
            SrtpDropReason[] why = new SrtpDropReason[1];
            byte[] fromClient = rtp(1, 1, 0, -1, 50, r);
            assertArrayEquals(fromClient, unprotectRtp(server.inbound(), protectRtp(client.outbound(), fromClient), why));
            byte[] fromServer = rtp(1, 2, 0, -1, 50, r);
            assertArrayEquals(fromServer, unprotectRtp(client.inbound(), protectRtp(server.outbound(), fromServer), why));
            assertEquals(null, unprotectRtp(client.inbound(), protectRtp(client.outbound(), rtp(2, 1, 0, -1, 50, r)), why),
                    "our own keys do not open our own packets");
        }
    }

    @Test
    void aClosedContextSaysSo() {
        Pair p = pair(SrtpProfile.AEAD_AES_128_GCM, 14, SrtpConfig.defaults());
        p.sender().close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> p.sender().protectRtp(MemorySegment.ofArray(new byte[100]), 0, 20, 100));
        assertTrue(e.getMessage().contains("create a new one"));
    }
}
