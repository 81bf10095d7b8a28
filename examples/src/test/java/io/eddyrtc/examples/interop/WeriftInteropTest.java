package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.examples.httppost.Json;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.examples.loop.UdpRunLoop;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceConnectionState;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * eddy's {@code Rtc} against werift, a separate WebRTC implementation in its own Node.js process, over
 * real loopback UDP: ICE, DTLS and a data channel (SCTP + DCEP, echoed by werift) connect in both roles (eddy offering, ICE controlling; werift
 * offering, eddy controlled and the DTLS client), fingerprints checked both ways.
 *
 * <p>eddy negotiates with its own SDP both ways: it offers through {@link Rtc#sdpApi()} and accepts
 * werift's answer, or answers werift's offer with {@link Rtc#acceptOffer}.
 */
class WeriftInteropTest {

    @Test
    void iceDtlsAndDataChannelWithWeriftAnswering() throws Exception {
        Rtc rtc = Rtc.builder().build();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             WeriftPeer werift = WeriftPeer.start("answer")) {
            rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
            SdpApi api = rtc.sdpApi();
            api.addChannel("eddy"); // opens once SCTP is up; werift echoes on it
            SdpApi.Offer offer = api.apply().orElseThrow();
            werift.send(offer.offer().toJson());
            String answer = Json.string(werift.await(l -> l.contains("\"type\":\"answer\""), Duration.ofSeconds(15)), "sdp");
            rtc.acceptAnswer(offer.pending(), SdpAnswer.fromSdp(answer)); // werift's a=setup decides the DTLS roles
            assertConnects(rtc, loop, werift);
        }
    }

    @Test
    void iceDtlsAndDataChannelWithWeriftOffering() throws Exception {
        Rtc rtc = Rtc.builder().build();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             WeriftPeer werift = WeriftPeer.start("offer")) {
            String offer = Json.string(werift.await(l -> l.contains("\"type\":\"offer\""), Duration.ofSeconds(15)), "sdp");
            rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
            werift.send(rtc.acceptOffer(SdpOffer.fromSdp(offer)).toJson()); // controlled, and a=setup:active
            assertConnects(rtc, loop, werift);
        }
    }

    /**
     * Media through another stack and back: eddy offers a send-receive VP8 m-line, writes frames as samples,
     * werift receives the RTP (SRTP-decrypted by werift) and sends every packet back on its own SSRC, and
     * eddy depacketizes what comes back into the very frames it sent.
     */
    @Test
    void videoFramesMakeTheRoundTripThroughWerift() throws Exception {
        Rtc rtc = Rtc.builder().build();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             WeriftPeer werift = WeriftPeer.start("answer")) {
            rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
            SdpApi api = rtc.sdpApi();
            String mid = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV).value();
            SdpApi.Offer offer = api.apply().orElseThrow();
            werift.send(offer.offer().toJson());
            String answer = Json.string(werift.await(l -> l.contains("\"type\":\"answer\""), Duration.ofSeconds(15)), "sdp");
            rtc.acceptAnswer(offer.pending(), SdpAnswer.fromSdp(answer));

            java.util.Random random = new java.util.Random(21);
            List<byte[]> frames = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                byte[] f = new byte[i % 30 == 0 ? 4000 : 200 + random.nextInt(1800)]; // one to four packets each
                random.nextBytes(f);
                f[0] = (byte) (i % 30 == 0 ? 0x10 : 0x11); // the VP8 frame tag's P bit: keyframes every 30
                frames.add(f);
            }
            List<Event.MediaData> back = new java.util.concurrent.CopyOnWriteArrayList<>();
            ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            int[] next = {0};
            long[] startedAt = {-1};
            Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
                try {
                    loop.run(e -> {
                        events.add(e instanceof Event.ChannelData d ? d.copy() : e); // a message is lent: keep a copy
                        if (e instanceof Event.MediaData m) {
                            back.add(m);
                        }
                    }, () -> { // once per loop turn, on the loop's thread: a frame every 33 ms once connected
                        long now = System.nanoTime();
                        if (rtc.isConnected() && next[0] < frames.size()) {
                            startedAt[0] = startedAt[0] < 0 ? now : startedAt[0];
                            while (next[0] < frames.size() && now - startedAt[0] >= next[0] * 33_000_000L) {
                                Media media = rtc.media(mid);
                                media.writer(media.pt()).write(System.currentTimeMillis() * 1_000_000L,
                                        MediaTime.of(3000L * next[0], 90_000), frames.get(next[0]));
                                next[0]++;
                            }
                        }
                        return stop.get();
                    });
                } catch (Exception e) {
                    events.add(new Event.DtlsFailed(e.toString()));
                }
            });
            try {
                long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < giveUp && back.size() < frames.size()) {
                    Thread.sleep(20);
                }
            } finally {
                stop.set(true);
                driver.join();
            }
            assertTrue(events.contains(new Event.Connected()), "connected: " + events + "\nwerift:\n" + werift.transcript());
            assertTrue(werift.transcript().contains("\"event\":\"rtp\""), "werift received eddy's RTP:\n" + werift.transcript());
            assertEquals(frames.size(), back.size(), "every frame came back through werift: " + back.size() + "\nwerift:\n"
                    + werift.transcript());
            for (int i = 0; i < frames.size(); i++) {
                assertArrayEquals(frames.get(i), back.get(i).data(), "frame " + i + " intact after the round trip");
                assertEquals(i % 30 == 0, back.get(i).keyframe(), "frame " + i + " keyframe flag");
                assertEquals(mid, back.get(i).mid());
            }
            System.out.println("werift " + WeriftPeer.version() + " echoed " + back.size() + " VP8 frames eddy sent as samples");
        }
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    /**
     * Runs eddy's loop until werift has echoed three messages over the data channel, then checks the pair
     * eddy selected, the connection, and the echoes.
     */
    private static void assertConnects(Rtc rtc, UdpRunLoop loop, WeriftPeer werift) throws Exception {
        ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
        List<byte[]> sent = List.of("hello werift".getBytes(StandardCharsets.UTF_8), bytes(1024, 1), bytes(65_536, 2));
        List<Event.ChannelData> echoes = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
            try {
                loop.run(e -> {
                    events.add(e instanceof Event.ChannelData d ? d.copy() : e); // a message is lent: keep a copy
                    if (e instanceof Event.ChannelOpen open) {
                        // on the loop's own thread: text, 1 KiB and 64 KiB, which werift echoes back
                        rtc.channel(open.id()).write(false, sent.get(0));
                        rtc.channel(open.id()).write(true, sent.get(1));
                        rtc.channel(open.id()).write(true, sent.get(2));
                    } else if (e instanceof Event.ChannelData d) {
                        echoes.add(d.copy()); // lent until the next call on the Rtc
                    }
                }, stop::get);
            } catch (Exception e) {
                events.add(new Event.IceConnectionStateChange(IceConnectionState.FAILED));
            }
        });
        try {
            werift.await(l -> l.contains("\"event\":\"ice\"") && l.contains("\"connected\""), Duration.ofSeconds(15));
            long giveUp = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < giveUp && echoes.size() < sent.size()) {
                Thread.sleep(10);
            }
        } finally {
            stop.set(true);
            driver.join();
        }
        Event.SelectedPairChange pair = (Event.SelectedPairChange) events.stream()
                .filter(e -> e instanceof Event.SelectedPairChange).findFirst()
                .orElseThrow(() -> new AssertionError("eddy selected no pair; events " + events + "\nwerift:\n" + werift.transcript()));
        assertTrue(events.contains(new Event.IceConnectionStateChange(IceConnectionState.CONNECTED)),
                "eddy reports CONNECTED: " + events);
        assertTrue(events.contains(new Event.Connected()), "eddy reports ICE+DTLS connected: " + events
                + "\nwerift:\n" + werift.transcript());
        assertTrue(events.stream().noneMatch(e -> e instanceof Event.DtlsFailed), "no DTLS failure: " + events);
        assertEquals(io.eddyrtc.crypto.dtls.DtlsVersion.DTLS_1_2, rtc.dtlsVersion(),
                "werift speaks DTLS 1.2 only: eddy's default (1.3 and 1.2) falls back to it");
        assertEquals(sent.size(), echoes.size(), "werift echoed every message over the data channel: " + events
                + "\nwerift:\n" + werift.transcript());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), echoes.get(i).data(), "echo " + i + " intact");
            assertEquals(i > 0, echoes.get(i).binary(), "text stays text, binary binary");
        }
        assertEquals(loop.localAddress(), pair.local().address());
        assertEquals("127.0.0.1", pair.remote().address().getAddress().getHostAddress(), "werift's loopback candidate");
        assertTrue(loop.received() > 0 && loop.sent() > 0);
        System.out.println("werift " + WeriftPeer.version() + " connected ICE, DTLS and a data channel with eddy ("
                + (rtc.directApi().isIceControlling() ? "controlling" : "controlled") + "): "
                + pair.local().address() + " <-> " + pair.remote().address());
    }
}
