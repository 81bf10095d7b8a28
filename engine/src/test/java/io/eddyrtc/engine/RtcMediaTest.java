package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.CodecParams;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.FormatParams;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import java.util.Random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import io.eddyrtc.engine.packet.Vp8CaptureFrames;
import io.eddyrtc.engine.sim.RtcPair;
import io.eddyrtc.engine.sim.RtcNode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real VP8 capture sent in RTP mode from one Rtc to another: SRTP both ends, frames out as MediaData. */
@ExtendWith(SeedExtension.class)
class RtcMediaTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;

    VirtualNetwork net;
    RtcNode a;
    RtcNode b;

    void setUp(long seed, LinkConditions link) {
        RtcPair pair = RtcPair.withDtls(seed, link, RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B);
        net = pair.net();
        a = pair.a();
        b = pair.b();
        b.rtc().directApi().receiveMedia("video", 96, Codec.VP8);
        assertTrue(net.runUntil(pair::bothConnected, 10 * S));
    }

    static List<Event.MediaData> media(RtcNode node) {
        return node.eventsOf(node.rtc()).stream().filter(e -> e instanceof Event.MediaData).map(e -> (Event.MediaData) e).toList();
    }

    /** Sends every captured packet, one per 10 ms of virtual time; returns the frames a depacketizer sees in them. */
    List<Vp8CaptureFrames.Frame> sendCapture() throws IOException {
        List<byte[]> packets = Vp8CaptureFrames.packets();
        for (byte[] p : packets) {
            assertTrue(a.rtc().writeRtp(MemorySegment.ofArray(p), 0, p.length));
            net.runFor(10 * MS);
        }
        net.runFor(500 * MS);
        return Vp8CaptureFrames.framesOf(packets);
    }

    @Test
    void everyFrameOfARealVp8CaptureArrivesIntact(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20));
        List<Vp8CaptureFrames.Frame> sent = sendCapture();
        List<Event.MediaData> got = media(b);
        assertEquals(sent.size(), got.size(), "every frame arrived");
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i).data(), got.get(i).data(), "frame " + i);
            assertEquals(sent.get(i).keyframe(), got.get(i).keyframe());
            assertEquals("video", got.get(i).mid());
        }
        assertEquals(0, b.rtc().droppedTotal());
    }

    @Test
    void lossDropsFramesNotTheStream(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20).withLoss(0.1));
        List<Vp8CaptureFrames.Frame> sent = sendCapture();
        List<Event.MediaData> got = media(b);
        assertTrue(got.size() < sent.size() && got.size() > sent.size() / 2, "about 10 % of frames lost: " + got.size() + "/" + sent.size());
        for (Event.MediaData m : got) {
            assertTrue(sent.stream().anyMatch(f -> f.rtpTimestamp() == (m.rtpTime() & 0xFFFF_FFFFL) && java.util.Arrays.equals(f.data(), m.data())),
                    "no frame is corrupted by the loss");
        }
    }

    @Test
    void aKeyframeRequestReachesTheSenderAsAnEvent(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20));
        sendCapture();
        b.rtc().requestKeyframe("video");
        net.runFor(200 * MS);
        assertTrue(a.eventsOf(a.rtc()).contains(new Event.KeyframeRequest(null, null, 0xEEDF3944L, false)),
                "A hears B's PLI for the capture's SSRC: " + a.eventsOf(a.rtc()).stream().filter(e -> !(e instanceof Event.MediaData)).toList());
        assertEquals(0, a.rtc().droppedTotal(), "the SRTCP packet authenticated");
    }

    @Test
    void writingMediaBeforeConnectingSaysWhatToWaitFor() {
        Rtc rtc = Rtc.builder().randomSeed(1).certificate(RtcDtlsTest.CERT_A).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rtc.writeRtp(MemorySegment.ofArray(new byte[20]), 0, 20));
        assertTrue(e.getMessage().contains("Event.Connected"));
    }

    /** The same m-line on both sides, as an SFU cascade would agree on it out of band. */
    static void addDirectMedia(Rtc rtc, String mid, MediaKind kind, PayloadParams pt, long ourSsrc, long peerSsrc) {
        ExtensionMap extensions = new ExtensionMap().set(4, RtpExtension.MID);
        rtc.directApi().addMedia(mid, kind, Direction.SEND_RECV, List.of(pt), extensions, ourSsrc, pt.hasRtx() ? ourSsrc + 1 : -1,
                List.of(new long[] {peerSsrc, pt.hasRtx() ? peerSsrc + 1 : -1}));
    }

    @Test
    void directApiPeersSendAudioAndVideoSamplesBothWays(@Seed long seed) {
        RtcPair pair = RtcPair.withDtls(seed, LinkConditions.perfect().withLatencyMillis(20).withLoss(0.02), RtcDtlsTest.CERT_A,
                RtcDtlsTest.CERT_B);
        net = pair.net();
        a = pair.a();
        b = pair.b();
        PayloadParams vp8 = new PayloadParams(96, CodecParams.of(Codec.VP8, FormatParams.NONE), 97, List.of("nack", "nack pli"));
        PayloadParams opus = new PayloadParams(111, CodecParams.of(Codec.OPUS, FormatParams.NONE), -1, List.of());
        addDirectMedia(a.rtc(), "v", MediaKind.VIDEO, vp8, 1000, 2000);
        addDirectMedia(b.rtc(), "v", MediaKind.VIDEO, vp8, 2000, 1000);
        addDirectMedia(a.rtc(), "s", MediaKind.AUDIO, opus, 3000, 4000);
        addDirectMedia(b.rtc(), "s", MediaKind.AUDIO, opus, 4000, 3000);
        assertTrue(net.runUntil(pair::bothConnected, 10 * S));
        Random random = new Random(seed);
        List<byte[]> fromA = new ArrayList<>();
        List<byte[]> fromB = new ArrayList<>();
        for (int i = 0; i < 80; i++) { // 60 checked, 20 more so that frames held behind a late loss are released
            byte[] x = new byte[300 + random.nextInt(3000)];
            byte[] y = new byte[300 + random.nextInt(3000)];
            random.nextBytes(x);
            random.nextBytes(y);
            x[0] = y[0] = (byte) (i == 0 ? 0x10 : 0x11);
            fromA.add(x);
            fromB.add(y);
            assertTrue(a.rtc().media("v").writer(96).write(net.now(), MediaTime.of(3000L * i, 90_000), x));
            assertTrue(b.rtc().media("v").writer(96).write(net.now(), MediaTime.of(3000L * i, 90_000), y));
            assertTrue(a.rtc().media("s").writer(111).write(net.now(), MediaTime.of(960L * i, 48_000), new byte[] {1, (byte) i}));
            assertTrue(b.rtc().media("s").writer(111).write(net.now(), MediaTime.of(960L * i, 48_000), new byte[] {2, (byte) i}));
            net.runFor(33 * MS);
        }
        net.runFor(S);
        for (RtcNode[] way : new RtcNode[][] {{a, b}, {b, a}}) {
            List<Event.MediaData> video = media(way[1]).stream().filter(m -> m.mid().equals("v")).toList();
            List<byte[]> sent = way[0] == a ? fromA : fromB;
            assertTrue(video.size() >= sent.size() - 1, "all frames but perhaps the last (lost tails cannot be NACKed): " + video.size());
            for (int i = 0; i < video.size(); i++) {
                assertArrayEquals(sent.get(i), video.get(i).data(), way[0].name() + " → " + way[1].name() + " frame " + i);
                assertEquals(way[0] == a ? 1000 : 2000, video.get(i).ssrc(), "on the SSRC the sender declared");
            }
            long audio = media(way[1]).stream().filter(m -> m.mid().equals("s") && (m.data()[1] & 0xFF) < 60).count();
            assertTrue(audio >= 55, "audio both ways (2 % loss, no NACK for audio): " + audio + " of the first 60");
            assertTrue(media(way[1]).stream().filter(m -> m.mid().equals("s")).allMatch(m -> m.data()[0] == (way[0] == a ? 1 : 2)),
                    "each side's audio arrives on the other");
        }
        assertTrue(a.eventsOf(a.rtc()).contains(new Event.MediaAdded("v", MediaKind.VIDEO, Direction.SEND_RECV)));
    }
}
