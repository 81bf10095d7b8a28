package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.packet.Vp8CaptureFrames;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.engine.sim.RtcPair;
import io.eddyrtc.engine.sim.SdpSignalling;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls between two {@link Rtc}s negotiated through SDP, media written as samples through
 * {@link MediaWriter} and read back as {@link Event.MediaData}: the whole path of issue #10's scenarios —
 * negotiation, ICE, DTLS-SRTP, packetizing, NACK/RTX, reports, statistics, renegotiation, keyframe
 * requests, pause detection and RTP mode — on the virtual network.
 */
@ExtendWith(SeedExtension.class)
class RtcSdpMediaTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;

    VirtualNetwork net;
    RtcNode a;
    RtcNode b;
    String audio;
    String video;

    void setUp(long seed, LinkConditions link, UnaryOperator<RtcConfig.Builder> configure) {
        RtcPair pair = RtcPair.forSdp(seed, link, RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B, configure);
        net = pair.net();
        a = pair.a();
        b = pair.b();
        List<Mid> mids = new ArrayList<>();
        assertTrue(SdpSignalling.negotiate(a.rtc(), b.rtc(), api -> {
            mids.add(api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV));
            mids.add(api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV));
            api.addChannel("chat");
        }));
        audio = mids.get(0).value();
        video = mids.get(1).value();
        assertTrue(net.runUntil(pair::bothConnected, 10 * S), "ICE and DTLS up after one offer/answer");
    }

    static <T extends Event> List<T> events(RtcNode node, Class<T> type) {
        return node.eventsOf(node.rtc()).stream().filter(type::isInstance).map(type::cast).toList();
    }

    static int pt(Media media, Codec codec) {
        return media.payloadParams().stream().filter(p -> p.codec() == codec).map(PayloadParams::pt).findFirst()
                .orElseThrow(() -> new AssertionError(codec + " not negotiated on " + media));
    }

    /** Writes the capture's frames on {@code video} at 30 fps of virtual time. */
    void sendVideo(List<Vp8CaptureFrames.Frame> frames) {
        Media media = a.rtc().media(video);
        MediaWriter writer = media.writer(pt(media, Codec.VP8));
        long first = frames.getFirst().rtpTimestamp();
        for (Vp8CaptureFrames.Frame f : frames) {
            assertTrue(writer.write(net.now(), MediaTime.of(f.rtpTimestamp() - first, 90_000), f.data()));
            net.runFor(33 * MS);
        }
    }

    @Test
    void audioVideoAndAChannelFromOneOfferAnswer(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), UnaryOperator.identity());
        assertEquals(List.of(audio, video), events(a, Event.MediaAdded.class).stream().map(Event.MediaAdded::mid).toList());
        assertEquals(List.of(audio, video), events(b, Event.MediaAdded.class).stream().map(Event.MediaAdded::mid).toList());
        assertTrue(net.runUntil(() -> events(b, Event.ChannelOpen.class).stream().anyMatch(o -> o.label().equals("chat")), 5 * S),
                "the channel the offer asked for opens at the answerer");

        List<Vp8CaptureFrames.Frame> frames = Vp8CaptureFrames.frames();
        sendVideo(frames);
        Media sound = a.rtc().media(audio);
        MediaWriter opus = sound.writer(pt(sound, Codec.OPUS));
        Random random = new Random(seed);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] frame = new byte[40 + random.nextInt(120)];
            random.nextBytes(frame);
            sent.add(frame);
            assertTrue(opus.write(net.now(), MediaTime.of(960L * i, 48_000), frame));
            net.runFor(20 * MS);
        }
        net.runFor(S);

        List<Event.MediaData> videoIn = events(b, Event.MediaData.class).stream().filter(m -> m.mid().equals(video)).toList();
        assertEquals(frames.size(), videoIn.size(), "every frame of the capture arrives");
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i).data(), videoIn.get(i).data(), "frame " + i + " intact");
            assertEquals(frames.get(i).keyframe(), videoIn.get(i).keyframe(), "frame " + i + " keyframe flag");
            assertEquals(frames.get(i).rtpTimestamp() - frames.getFirst().rtpTimestamp(),
                    videoIn.get(i).rtpTime() - videoIn.getFirst().rtpTime(), "media time preserved");
            assertTrue(videoIn.get(i).contiguous());
            assertEquals(Codec.VP8, videoIn.get(i).codec());
        }
        List<Event.MediaData> audioIn = events(b, Event.MediaData.class).stream().filter(m -> m.mid().equals(audio)).toList();
        assertEquals(sent.size(), audioIn.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), audioIn.get(i).data());
            assertEquals(MediaTime.of(960L * i, 48_000).ticks(), audioIn.get(i).time().ticks() - audioIn.getFirst().time().ticks());
        }
        assertEquals(0, a.rtc().droppedTotal() + b.rtc().droppedTotal(), "nothing dropped on a perfect link");
    }

    @Test
    void nackAndRtxRepairVideoOverALossyLink(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(25).withJitterMillis(5).withLoss(0.05),
                c -> c.statsInterval(Duration.ofSeconds(1)));
        List<Vp8CaptureFrames.Frame> frames = Vp8CaptureFrames.frames();
        List<Vp8CaptureFrames.Frame> all = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            all.addAll(frames);
        }
        Media media = a.rtc().media(video);
        MediaWriter writer = media.writer(pt(media, Codec.VP8));
        long ticks = 0;
        for (Vp8CaptureFrames.Frame f : all) {
            assertTrue(writer.write(net.now(), MediaTime.of(ticks, 90_000), f.data()));
            ticks += 3000;
            net.runFor(33 * MS);
        }
        net.runFor(3 * S);
        List<Event.MediaData> got = events(b, Event.MediaData.class).stream().filter(m -> m.mid().equals(video)).toList();
        assertEquals(all.size(), got.size(), "NACK and RTX recover every lost packet within the retry budget");
        for (int i = 0; i < all.size(); i++) {
            assertArrayEquals(all.get(i).data(), got.get(i).data(), "frame " + i);
        }
        Event.MediaEgressStats egress = events(a, Event.MediaEgressStats.class).getLast();
        assertTrue(egress.stats().rtxPackets() > 0, "repairs were sent: " + egress);
        assertTrue(egress.stats().nacksReceived() > 0, "the receiver asked for them: " + egress);
        Event.MediaIngressStats ingress = events(b, Event.MediaIngressStats.class).getLast();
        assertTrue(ingress.stats().repaired() > 0 && ingress.stats().nacksSent() > 0, ingress.toString());
    }

    @Test
    void reportsGiveBothSidesTheRoundTripTime(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(40), c -> c.statsInterval(Duration.ofSeconds(1)));
        sendVideo(Vp8CaptureFrames.frames()); // ~3 s of video: reports flow both ways meanwhile
        Event.MediaEgressStats egress = events(a, Event.MediaEgressStats.class).getLast();
        long rtt = egress.stats().rttNanos();
        assertTrue(rtt >= 80 * MS && rtt < 90 * MS, "RTT from the receiver's report blocks ≈ 2 × 40 ms: " + rtt / 1e6 + " ms");
        assertEquals(0, egress.stats().remoteFractionLost(), "no loss reported on a perfect link");
        Event.MediaIngressStats ingress = events(b, Event.MediaIngressStats.class).getLast();
        assertTrue(ingress.stats().packets() > 50 && ingress.stats().cumulativeLost() == 0, ingress.toString());
    }

    @Test
    void keyframeRequestsReachTheSenderWithTheirMid(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), UnaryOperator.identity());
        List<Vp8CaptureFrames.Frame> frames = Vp8CaptureFrames.frames().subList(0, 10);
        sendVideo(frames);
        b.rtc().media(video).requestKeyframe();
        net.runFor(200 * MS);
        List<Event.KeyframeRequest> requests = events(a, Event.KeyframeRequest.class);
        assertEquals(1, requests.size(), "one PLI");
        assertEquals(video, requests.getFirst().mid());
        b.rtc().media(video).requestKeyframe(); // within 500 ms of the last: rate-limited
        net.runFor(200 * MS);
        assertEquals(1, events(a, Event.KeyframeRequest.class).size(), "a second request within the limit is held back");
    }

    @Test
    void aSilentStreamIsReportedPausedAndThenResumed(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), UnaryOperator.identity());
        List<Vp8CaptureFrames.Frame> frames = Vp8CaptureFrames.frames();
        sendVideo(frames.subList(0, 20));
        net.runFor(2 * S);
        List<Event.StreamPaused> paused = events(b, Event.StreamPaused.class);
        assertEquals(1, paused.size());
        assertTrue(paused.getFirst().paused());
        assertEquals(video, paused.getFirst().mid());
        sendVideo(frames.subList(20, 30));
        paused = events(b, Event.StreamPaused.class);
        assertEquals(2, paused.size());
        assertTrue(!paused.getLast().paused(), "resumed when packets come again");
    }

    @Test
    void renegotiationAddsVideoChangesDirectionAndRecyclesStoppedLines(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), UnaryOperator.identity());
        List<Mid> added = new ArrayList<>();
        assertTrue(SdpSignalling.negotiate(b.rtc(), a.rtc(), api -> added.add(api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY))),
                "the answerer of the first round offers this time");
        String screen = added.getFirst().value();
        net.runFor(100 * MS);
        assertNotNull(a.rtc().media(screen), "the offerer of the first round has the new m-line");
        assertEquals(Direction.RECV_ONLY, a.rtc().media(screen).direction());
        assertEquals(Direction.SEND_ONLY, b.rtc().media(screen).direction());

        Media media = b.rtc().media(screen);
        MediaWriter writer = media.writer(pt(media, Codec.VP8));
        List<Vp8CaptureFrames.Frame> frames = Vp8CaptureFrames.frames().subList(0, 15);
        long ticks = 0;
        for (Vp8CaptureFrames.Frame f : frames) {
            assertTrue(writer.write(net.now(), MediaTime.of(ticks, 90_000), f.data()));
            ticks += 3000;
            net.runFor(33 * MS);
        }
        net.runFor(200 * MS);
        assertEquals(frames.size(), events(a, Event.MediaData.class).stream().filter(m -> m.mid().equals(screen)).count(),
                "media flows on the m-line added mid-call");

        assertTrue(SdpSignalling.negotiate(a.rtc(), b.rtc(), api -> api.setDirection(Mid.of(video), Direction.INACTIVE)));
        net.runFor(100 * MS);
        assertTrue(events(a, Event.MediaChanged.class).contains(new Event.MediaChanged(video, Direction.INACTIVE)));
        assertTrue(events(b, Event.MediaChanged.class).contains(new Event.MediaChanged(video, Direction.INACTIVE)));

        assertTrue(SdpSignalling.negotiate(a.rtc(), b.rtc(), api -> api.removeMedia(Mid.of(screen))));
        List<Mid> recycled = new ArrayList<>();
        assertTrue(SdpSignalling.negotiate(a.rtc(), b.rtc(), api -> recycled.add(api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV))));
        net.runFor(100 * MS);
        assertTrue(a.rtc().isConnected() && b.rtc().isConnected(), "renegotiation never dropped the call");
        assertNotNull(a.rtc().media(recycled.getFirst().value()));
    }

    @Test
    void rtpModeHandsOutEveryPacketOnceInOrder(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), c -> c.rtpMode(true));
        List<Long> sequences = new ArrayList<>();
        b.onEvent(e -> {
            if (e instanceof Event.RtpPacket p && p.mid().equals(video)) {
                sequences.add(p.extendedSequence());
                assertEquals(p.header().ssrc(), p.header().ssrc()); // readable while lent
            }
        });
        sendVideo(Vp8CaptureFrames.frames().subList(0, 30));
        net.runFor(200 * MS);
        assertTrue(sequences.size() >= 30, "at least one packet per frame: " + sequences.size());
        assertEquals(b.rtpPackets(), sequences.size(), "every packet view was of the video m-line");
        for (int i = 1; i < sequences.size(); i++) {
            assertEquals(sequences.get(i - 1) + 1, sequences.get(i), "in order, no gap, no duplicate");
        }
        assertTrue(events(b, Event.MediaData.class).isEmpty(), "RTP mode gives packets instead of samples");
    }

    @Test
    void simulcastSendsThreeLayersAndTheReceiverKnowsEachFramesLayer(@Seed long seed) {
        RtcPair pair = RtcPair.forSdp(seed, LinkConditions.perfect().withLatencyMillis(20), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B,
                UnaryOperator.identity());
        net = pair.net();
        a = pair.a();
        b = pair.b();
        List<Rid> layers = List.of(Rid.of("q"), Rid.of("h"), Rid.of("f"));
        List<Mid> mids = new ArrayList<>();
        assertTrue(SdpSignalling.negotiate(a.rtc(), b.rtc(),
                api -> mids.add(api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY, "stream", "camera", layers))));
        assertTrue(net.runUntil(pair::bothConnected, 10 * S));
        String mid = mids.getFirst().value();
        assertEquals(layers, a.rtc().media(mid).sendRids(), "the answerer accepted all three layers");
        assertEquals(layers, b.rtc().media(mid).receiveRids());

        Media media = a.rtc().media(mid);
        int pt = pt(media, Codec.VP8);
        List<MediaWriter> writers = layers.stream().map(rid -> media.writer(pt).rid(rid)).toList();
        Random random = new Random(seed);
        for (int i = 0; i < 30; i++) {
            for (int layer = 0; layer < 3; layer++) {
                byte[] frame = new byte[200 * (layer + 1) * (layer + 1)]; // q small, f large
                random.nextBytes(frame);
                frame[0] = (byte) (i == 0 ? 0x10 : 0x11);
                frame[1] = (byte) layer; // marks the layer in the content
                assertTrue(writers.get(layer).write(net.now(), MediaTime.of(3000L * i, 90_000), frame));
            }
            net.runFor(33 * MS);
        }
        net.runFor(300 * MS);
        List<Event.MediaData> got = events(b, Event.MediaData.class);
        assertEquals(90, got.size(), "30 frames of each layer");
        for (Event.MediaData m : got) {
            int layer = m.data()[1];
            assertEquals(layers.get(layer).value(), m.rid(), "each frame says its layer (the rid header extension)");
        }
        assertEquals(3, got.stream().map(Event.MediaData::ssrc).distinct().count(), "one SSRC per layer");
        b.rtc().media(mid).requestKeyframe(Rid.of("h"));
        net.runFor(200 * MS);
        List<Event.KeyframeRequest> asked = events(a, Event.KeyframeRequest.class);
        assertEquals(1, asked.size(), "a keyframe of one layer is asked of that layer's stream only: " + asked);
        assertEquals("h", asked.getFirst().rid());
        b.rtc().media(mid).requestKeyframe();
        net.runFor(200 * MS);
        assertEquals(List.of("q", "f"), events(a, Event.KeyframeRequest.class).stream().skip(1).map(Event.KeyframeRequest::rid)
                .sorted(java.util.Comparator.comparing(r -> "qhf".indexOf(r))).toList(),
                "then all layers but h, whose last request is under 500 ms old");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> media.writer(pt).write(net.now(), MediaTime.of(0, 90_000), new byte[10]));
        assertTrue(e.getMessage().contains("rid"), "writing simulcast without a layer says to pick one: " + e.getMessage());
    }

    @Test
    void anIceRestartByRenegotiationKeepsMediaFlowing(@Seed long seed) throws IOException {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), UnaryOperator.identity());
        List<Vp8CaptureFrames.Frame> frames = Vp8CaptureFrames.frames();
        sendVideo(frames.subList(0, 20));
        IceCredentials before = a.rtc().directApi().localIceCredentials();
        IceCredentials peerBefore = b.rtc().directApi().localIceCredentials();
        assertTrue(SdpSignalling.negotiate(a.rtc(), b.rtc(), api -> api.iceRestart()), "an ICE restart is a change to offer");
        assertNotEquals(before, a.rtc().directApi().localIceCredentials(), "the offerer's agent took new credentials");
        assertNotEquals(peerBefore, b.rtc().directApi().localIceCredentials(), "and so did the answerer's");
        sendVideo(frames.subList(20, 60));
        net.runFor(500 * MS);
        assertEquals(60, events(b, Event.MediaData.class).stream().filter(m -> m.mid().equals(video)).count(),
                "no frame lost across the restart");
        long consentAfter = net.totals().sent;
        net.runFor(10 * S);
        assertTrue(net.totals().sent > consentAfter, "consent checks continue with the new credentials");
        assertEquals(0, a.rtc().iceDropped() + b.rtc().iceDropped(), "every check after the restart was accepted");
        assertTrue(a.rtc().isConnected() && b.rtc().isConnected());
    }

    @Test
    void tenMinutesOfAudioAndVideoKeepMemoryAndPoolSteady(@Seed long seed) {
        // one pool for both peers, as one thread's Rtcs share it: its slots in use must not creep up
        io.eddyrtc.buffers.PacketPool pool = io.eddyrtc.buffers.PacketPool.builder().slotSize(2048).maxSlots(1024).build();
        setUp(seed, LinkConditions.perfect().withLatencyMillis(30).withJitterMillis(5).withLoss(0.01),
                c -> c.statsInterval(Duration.ofSeconds(10)).pool(pool));
        Media v = a.rtc().media(video);
        Media s = a.rtc().media(audio);
        MediaWriter videoWriter = v.writer(pt(v, Codec.VP8));
        MediaWriter audioWriter = s.writer(pt(s, Codec.OPUS));
        byte[] videoFrame = new byte[1500];
        byte[] audioFrame = new byte[80];
        long frames = 0;
        long eventsAtMinute = 0;
        int slotsAtMinute = 0;
        int mostSlots = 0;
        for (int second = 0; second < 600; second++) {
            for (int tick = 0; tick < 50; tick++) { // 20 ms ticks: audio every tick, video every other (25 fps)
                if (tick % 2 == 0) {
                    videoFrame[0] = (byte) (frames % 100 == 0 ? 0x10 : 0x11);
                    assertTrue(videoWriter.write(net.now(), MediaTime.of(3600 * frames, 90_000), videoFrame));
                    frames++;
                }
                assertTrue(audioWriter.write(net.now(), MediaTime.of(960L * (second * 50 + tick), 48_000), audioFrame));
                net.runFor(20 * MS);
            }
            if (second == 60) {
                eventsAtMinute = b.events().size();
                slotsAtMinute = pool.inUse();
            }
            mostSlots = Math.max(mostSlots, pool.inUse());
        }
        long received = events(b, Event.MediaData.class).stream().filter(m -> m.mid().equals(video)).count();
        assertTrue(received >= frames - 2, "every video frame but perhaps the last arrives over 10 minutes at 1 % loss: "
                + received + " of " + frames);
        Event.MediaEgressStats egress = events(a, Event.MediaEgressStats.class).getLast();
        assertTrue(egress.stats().rttNanos() > 55 * MS && egress.stats().rttNanos() < 80 * MS, "RTT still measured: " + egress);
        assertEquals(0, a.rtc().dropped(RtcDropReason.SEND_BUFFER_FULL) + b.rtc().dropped(RtcDropReason.SEND_BUFFER_FULL),
                "no pool slot leaked: the pool never ran dry");
        // the slots in use are mostly the video's RTX history — the last second or so of its 50 packets a second
        // (a history gives back what fell out of its window every quarter second) — and must not creep up
        assertTrue(pool.inUse() <= slotsAtMinute + 16 && mostSlots < 96, "pool slots in use stay flat: " + slotsAtMinute
                + " after a minute, " + pool.inUse() + " after ten, at most " + mostSlots);
        long perMinute = (b.events().size() - eventsAtMinute) / 9;
        assertTrue(perMinute < 70_000, "events per minute stay those of the media itself: " + perMinute);
    }
}
