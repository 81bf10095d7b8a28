package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.engine.internal.media.OutgoingQueue;
import io.eddyrtc.engine.media.*;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.engine.sim.RtcPair;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of the media path through whole {@code Rtc}s: RED/ULPFEC payload types never make input throw
 * or break a stream, padding and sequence restarts do not stall frames, and queued packets go back to a
 * shared pool on disconnect and when ICE loses its path.
 */
class RtcMediaEdgeCaseTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;

    static final PayloadParams VP8 = new PayloadParams(96, CodecParams.of(Codec.VP8, FormatParams.NONE), 97, List.of("nack", "nack pli"));
    static final PayloadParams RED = new PayloadParams(63, new CodecParams(Codec.RED, 90_000, 0, FormatParams.NONE), -1, List.of());

    RtcPair pair(List<PayloadParams> pts) {
        RtcPair pair = RtcPair.withDtls(7, LinkConditions.perfect().withLatencyMillis(10), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B);
        ExtensionMap ext = new ExtensionMap().set(4, RtpExtension.MID);
        pair.a().rtc().directApi().addMedia("v", MediaKind.VIDEO, Direction.SEND_RECV, pts, ext, 1000, 1001, List.of(new long[] {2000, 2001}));
        pair.b().rtc().directApi().addMedia("v", MediaKind.VIDEO, Direction.SEND_RECV, pts, new ExtensionMap().set(4, RtpExtension.MID), 2000, 2001,
                List.of(new long[] {1000, 1001}));
        assertTrue(pair.net().runUntil(pair::bothConnected, 10 * S));
        return pair;
    }

    /** A VP8 packet: one-packet keyframe-ish frame (S=1, PID 0), marker set. */
    static byte[] vp8(int pt, int seq, long ts, long ssrc, boolean padding, int payloadLen) {
        byte[] p = new byte[12 + payloadLen + (padding ? 4 : 0)];
        MemorySegment s = MemorySegment.ofArray(p);
        BigEndian.putU8(s, 0, padding ? 0xA0 : 0x80);
        BigEndian.putU8(s, 1, 0x80 | pt);
        BigEndian.putU16(s, 2, seq);
        BigEndian.putU32(s, 4, ts);
        BigEndian.putU32(s, 8, ssrc);
        if (payloadLen > 0) {
            p[12] = 0x10; // S=1, PID 0
            p[13] = 0x10; // VP8 payload header: P=0 keyframe, show_frame
            for (int i = 14; i < 12 + payloadLen; i++) p[i] = (byte) i;
        }
        if (padding) p[p.length - 1] = 4;
        return p;
    }

    static List<Event.MediaData> media(RtcNode n) {
        return n.eventsOf(n.rtc()).stream().filter(e -> e instanceof Event.MediaData).map(e -> (Event.MediaData) e).toList();
    }

    @Test
    void redPacketMustNotThrowOutOfHandleReceive() {
        RtcPair p = pair(List.of(VP8, RED));
        byte[] first = vp8(96, 9, 1000, 1000, false, 20);
        assertTrue(p.a().rtc().writeRtp(MemorySegment.ofArray(first), 0, first.length));
        byte[] pkt = vp8(63, 10, 1000, 1000, false, 20);
        assertTrue(p.a().rtc().writeRtp(MemorySegment.ofArray(pkt), 0, pkt.length));
        p.net().runFor(100 * MS); // B's handleReceive gets a RED packet: counted, not thrown
        assertEquals(1, p.b().rtc().dropped(RtcDropReason.NOT_DEPACKETIZED), "the RED packet is counted as not depacketized");
        assertEquals(1, media(p.b()).size(), "the VP8 frame before it arrived");
    }

    @Test
    void paddingOnTheMediaSsrcDoesNotHoldFramesBack() {
        RtcPair p = pair(List.of(VP8));
        int seq = 100;
        for (int i = 0; i < 10; i++) {
            byte[] f = vp8(96, seq++, 3000L * i, 1000, false, 50);
            assertTrue(p.a().rtc().writeRtp(MemorySegment.ofArray(f), 0, f.length));
            if (i == 2) {
                byte[] pad = vp8(96, seq++, 3000L * i, 1000, true, 0);
                assertTrue(p.a().rtc().writeRtp(MemorySegment.ofArray(pad), 0, pad.length));
            }
            p.net().runFor(33 * MS);
        }
        List<Event.MediaData> got = media(p.b());
        assertEquals(10, got.size(), "every frame out, none held behind the padding: " + got.size());
        assertTrue(got.stream().allMatch(Event.MediaData::contiguous), "no loss: " + got.stream().map(Event.MediaData::contiguous).toList());
    }

    @Test
    void aSourceRestartKeepsFramesFlowing() {
        RtcPair p = pair(List.of(VP8));
        int seq = 40_000;
        for (int i = 0; i < 5; i++) {
            byte[] f = vp8(96, seq++, 3000L * i, 1000, false, 50);
            p.a().rtc().writeRtp(MemorySegment.ofArray(f), 0, f.length);
            p.net().runFor(33 * MS);
        }
        seq = 100; // the sender restarted its sequence (RFC 3550 A.1: accepted after two in a row)
        for (int i = 5; i < 20; i++) {
            byte[] f = vp8(96, seq++, 3000L * i, 1000, false, 50);
            p.a().rtc().writeRtp(MemorySegment.ofArray(f), 0, f.length);
            p.net().runFor(33 * MS);
        }
        int got = media(p.b()).size();
        assertTrue(got >= 18, "frames after the restart are delivered: " + got);
    }

    @Test
    void disconnectReturnsQueuedSlotsToASharedPool() {
        io.eddyrtc.buffers.PacketPool pool = io.eddyrtc.buffers.PacketPool.builder().slotSize(2048).slotsPerSlab(16).maxSlots(1024).build();
        RtcPair pair = RtcPair.withDtls(7, LinkConditions.perfect().withLatencyMillis(10), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B,
                b -> b.pool(pool));
        assertTrue(pair.net().runUntil(pair::bothConnected, 10 * S));
        pair.net().runFor(100 * MS);
        int before = pool.inUse();
        for (int i = 0; i < 5; i++) {
            byte[] f = vp8(96, i, 0, 1000, false, 50);
            assertTrue(pair.a().rtc().writeRtp(MemorySegment.ofArray(f), 0, f.length));
        }
        pair.a().rtc().disconnect();
        pair.a().rtc().pollOutput();
        pair.a().rtc().pollOutput();
        assertEquals(before, pool.inUse(), "slots queued for sending are back in the pool after disconnect");
    }

    @Test
    void forwardingARedPacketFirstDoesNotThrow() {
        RtcPair p = pair(List.of(VP8, RED));
        byte[] pkt = vp8(63, 10, 1000, 1000, false, 20);
        assertTrue(p.a().rtc().writeRtp(MemorySegment.ofArray(pkt), 0, pkt.length));
        assertTrue(p.a().rtc().media("v").writer(96).write(0, MediaTime.of(0, 90_000), new byte[] {0x10, 1, 2}),
                "the stream still takes samples of its media type");
    }

    @Test
    void fuzzRtpNeverThrows() {
        RtcPair p = pair(List.of(VP8, new PayloadParams(35, CodecParams.of(Codec.H264, FormatParams.NONE), 36, List.of("nack")),
                new PayloadParams(98, CodecParams.of(Codec.VP9, FormatParams.NONE), 99, List.of("nack")),
                new PayloadParams(45, CodecParams.of(Codec.AV1, FormatParams.NONE), 46, List.of("nack")),
                new PayloadParams(100, CodecParams.of(Codec.H265, FormatParams.NONE), 101, List.of("nack"))));
        java.util.Random r = new java.util.Random(3);
        byte[] warm = vp8(96, 1, 0, 1000, false, 20);
        p.a().rtc().writeRtp(MemorySegment.ofArray(warm), 0, warm.length);
        int[] pts = {96, 97, 35, 36, 98, 99, 45, 46, 100, 101, 127, 0};
        long[] ssrcs = {1000, 1001, 5555, 7777, 2000};
        for (int i = 0; i < 200000; i++) {
            int len = 12 + r.nextInt(60);
            byte[] x = new byte[len];
            r.nextBytes(x);
            MemorySegment s = MemorySegment.ofArray(x);
            BigEndian.putU8(s, 0, 0x80 | (x[0] & 0x3F) & ~0x0F | (r.nextInt(8) == 0 ? 0x10 : 0) );
            BigEndian.putU8(s, 1, (x[1] & 0x80) | pts[r.nextInt(pts.length)]);
            BigEndian.putU32(s, 8, ssrcs[r.nextInt(ssrcs.length)]);
            if ((x[0] & 0x10) != 0 && len > 20) { BigEndian.putU16(s, 12, 0xBEDE); BigEndian.putU16(s, 14, 1); }
            p.a().rtc().writeRtp(s, 0, len);
            if (i % 20 == 0) p.net().runFor(5 * MS);
        }
        p.net().runFor(2 * S);
        assertTrue(p.b().rtc().droppedTotal() > 0, "the garbage was counted");
        assertTrue(p.a().rtc().isConnected() && p.b().rtc().isConnected(), "and the call goes on");
    }

    @Test
    void writerForRedThenVp8() {
        RtcPair p = pair(List.of(VP8, RED));
        Media m = p.a().rtc().media("v");
        assertThrows(IllegalArgumentException.class, () -> m.writer(63).write(0, MediaTime.of(0, 90_000), new byte[] {0x10, 1, 2}));
        // the mistake must not break the m-line
        assertTrue(m.writer(96).write(0, MediaTime.of(0, 90_000), new byte[] {0x10, 1, 2}));
    }

    @Test
    void aDisconnectedPeerDrainsASharedPool() {
        io.eddyrtc.buffers.PacketPool pool = io.eddyrtc.buffers.PacketPool.builder().slotSize(2048).slotsPerSlab(16).maxSlots(1024).build();
        RtcPair pair = RtcPair.withDtls(7, LinkConditions.perfect().withLatencyMillis(10), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B,
                b -> b.pool(pool));
        assertTrue(pair.net().runUntil(pair::bothConnected, 10 * S));
        pair.net().detach(RtcPair.B); // B vanishes: A loses consent
        assertTrue(pair.net().runUntil(() -> pair.a().rtc().iceConnectionState() == io.eddyrtc.ice.IceConnectionState.DISCONNECTED, 60 * S));
        int accepted = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] f = vp8(96, i, 0, 1000, false, 50);
            if (pair.a().rtc().writeRtp(MemorySegment.ofArray(f), 0, f.length)) accepted++;
            if (i % 10 == 0) pair.net().runFor(MS);
        }
        assertTrue(accepted > 0);
        assertTrue(pool.inUse() <= OutgoingQueue.CAPACITY + 16, "a disconnected peer holds " + pool.inUse() + " of the shared pool's slots");
    }
}
