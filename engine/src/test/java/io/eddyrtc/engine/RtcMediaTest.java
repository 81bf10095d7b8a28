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
import io.eddyrtc.engine.packet.Pcap;
import io.eddyrtc.engine.packet.Vp8Depacketizer;
import io.eddyrtc.engine.rtp.RtpHeader;
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
    List<Vp8Depacketizer.Frame> sendCapture() throws IOException {
        List<byte[]> packets = Pcap.udpPayloads(Pcap.capture("vp8.pcap"));
        Vp8Depacketizer reference = new Vp8Depacketizer();
        RtpHeader h = new RtpHeader();
        List<Vp8Depacketizer.Frame> frames = new ArrayList<>();
        for (byte[] p : packets) {
            assertTrue(a.rtc().writeRtp(MemorySegment.ofArray(p), 0, p.length));
            h.wrap(MemorySegment.ofArray(p));
            Vp8Depacketizer.Frame f = reference.push(h.sequenceNumber(), h.timestamp(), h.marker(), p, h.payloadOffset(), h.payloadLength());
            if (f != null) {
                frames.add(f);
            }
            net.runFor(10 * MS);
        }
        net.runFor(500 * MS);
        return frames;
    }

    @Test
    void everyFrameOfARealVp8CaptureArrivesIntact(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20));
        List<Vp8Depacketizer.Frame> sent = sendCapture();
        List<Event.MediaData> got = media(b);
        assertEquals(sent.size(), got.size(), "every frame arrived");
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i).data(), got.get(i).data(), "frame " + i);
            assertEquals(sent.get(i).keyframe(), got.get(i).keyframe());
            assertEquals("video", got.get(i).mid());
        }
        assertTrue(b.rtc().mediaPacketsAuthenticated() >= 104);
        assertEquals(0, b.rtc().droppedTotal());
    }

    @Test
    void lossDropsFramesNotTheStream(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20).withLoss(0.1));
        List<Vp8Depacketizer.Frame> sent = sendCapture();
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
}
