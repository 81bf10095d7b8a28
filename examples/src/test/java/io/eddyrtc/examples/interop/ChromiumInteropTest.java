package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.examples.demo.RtpCapture;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.examples.loop.UdpRunLoop;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceConnectionState;
import io.eddyrtc.ice.IceDropReason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The real Chromium against eddy's {@code Rtc} over loopback UDP, through the http-post page: Chromium
 * offers a data channel, eddy answers (ICE controlled, DTLS server with {@code a=setup:passive}), ICE
 * connects on the pair through eddy's socket, and the DTLS handshake completes on both sides with each
 * certificate checked against the other's signalled fingerprint. Then SCTP and DCEP: Chromium's data
 * channel opens on eddy, messages from 1 byte to 64 KiB come back intact through eddy's echo, and when
 * the page closes the channel both sides see it closed (stream reset, RFC 6525).
 *
 * <p>Both directions of negotiation use the {@code Rtc}'s own SDP: it answers Chromium's offer
 * ({@link Rtc#acceptOffer}), and in the second test it offers a data channel and a send-only VP8 video
 * m-line that Chromium answers, receives and decodes.
 */
class ChromiumInteropTest {

    @Test
    void chromiumConnectsIceDtlsAndADataChannelToTheRtc() throws Exception {
        Rtc rtc = Rtc.builder().sdp(new SdpConfig().answerPassive(true)).build();
        ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             SignalingServer server = Answering.server(rtc, loop);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            Page page = chromium.open(server.url());
            page.evaluate("eddy.connect()"); // POSTs the offer; answer() above set the Rtc up before replying
            Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
                try {
                    loop.run(e -> {
                        events.add(e instanceof Event.ChannelData d ? d.copy() : e); // a message is lent: keep a copy
                        if (e instanceof Event.ChannelData d) {
                            rtc.channel(d.id()).write(d.binary(), d.data()); // echo, on the loop's own thread
                        }
                    }, stop::get);
                } catch (Exception e) {
                    events.add(new Event.IceConnectionStateChange(IceConnectionState.FAILED));
                }
            });
            try {
                page.waitForFunction("() => eddy.state.dtlsState === 'connected'", null,
                        new Page.WaitForFunctionOptions().setTimeout(15_000));
                page.evaluate("eddy.waitChannelOpen(15000)");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> results = (List<Map<String, Object>>) page.evaluate(
                        "eddy.echo([1, 100, 1200, 16384, 65536], 15000)");
                for (Map<String, Object> r : results) {
                    assertEquals(Boolean.TRUE, r.get("intact"), "echo of " + r.get("size") + " bytes came back intact: " + r);
                }
                assertEquals(5, results.size());
                page.evaluate("eddy.state.channel.close()"); // Chromium resets its stream; eddy answers
                long closeBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < closeBy && events.stream().noneMatch(e -> e instanceof Event.ChannelClose)) {
                    Thread.sleep(10);
                }
                page.waitForFunction("() => eddy.state.channel.readyState === 'closed'", null,
                        new Page.WaitForFunctionOptions().setTimeout(10_000));
            } finally {
                stop.set(true);
                driver.join();
            }
            assertTrue(connected(events), "eddy reports ICE CONNECTED: " + events);
            @SuppressWarnings("unchecked")
            Map<String, Object> pair = (Map<String, Object>) page.evaluate("eddy.selectedPair()");
            assertEquals("127.0.0.1:" + loop.localAddress().getPort(), pair.get("remote"),
                    "Chromium's selected pair ends at eddy's socket: " + pair);
            assertTrue(events.contains(new Event.Connected()), "eddy reports ICE+DTLS connected: " + events);
            assertTrue(events.stream().noneMatch(e -> e instanceof Event.DtlsFailed), "no DTLS failure: " + events);
            assertTrue(events.stream().anyMatch(e -> e instanceof Event.ChannelOpen o && o.label().equals("eddy")),
                    "Chromium's data channel 'eddy' opened on the Rtc: " + events);
            assertEquals(0, rtc.dropped(RtcDropReason.NO_SCTP));
            assertTrue(events.stream().anyMatch(e -> e instanceof Event.ChannelClose), "Chromium's close reached eddy: " + events);
            // a second answer to a check retransmitted while the first was on its way (a busy machine) comes late
            assertEquals(0, rtc.iceDropped() - rtc.iceDropped(IceDropReason.LATE_RESPONSE),
                    () -> "every STUN message from Chromium was accepted: " + iceDrops(rtc));
            System.out.println("Chromium " + chromium.version() + " connected ICE, DTLS and a data channel with eddy over " + pair);
        }
    }

    /**
     * eddy makes the offer (a data channel and a send-only video m-line; ICE controlling, DTLS actpass) and
     * Chromium answers: ICE and DTLS connect with Chromium's chosen roles, eddy opens the data channel and
     * Chromium echoes what eddy sends, and the VP8 frames eddy writes as samples are received and decoded by
     * Chromium (its inbound-rtp statistics).
     */
    @Test
    void eddyOffersAndChromiumAnswers() throws Exception {
        Rtc rtc = Rtc.builder().build();
        ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
        java.util.List<byte[]> echoes = new java.util.concurrent.CopyOnWriteArrayList<>();
        byte[][] messages = {"from eddy".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[5000], new byte[60_000]};
        new java.util.Random(3).nextBytes(messages[2]);
        AtomicBoolean stop = new AtomicBoolean();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             SignalingServer server = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), offer -> offer);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
            SdpApi api = rtc.sdpApi();
            api.addChannel("from-eddy");
            String video = api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY).value();
            Page page = chromium.open(server.url());
            chromiumAnswers(rtc, api, page);
            List<byte[]> frames = vp8Frames();
            int[] nextFrame = {0};
            long[] videoStart = {-1};
            Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
                try {
                    loop.run(e -> {
                        events.add(e instanceof Event.ChannelData d ? d.copy() : e); // a message is lent: keep a copy
                        if (e instanceof Event.ChannelOpen o) {
                            for (byte[] m : messages) {
                                rtc.channel(o.id()).write(m != messages[0], m);
                            }
                        } else if (e instanceof Event.ChannelData d) {
                            echoes.add(d.data());
                        }
                    }, () -> { // once per loop turn, on the loop's thread: the capture's frames at 30 fps
                        long now = System.nanoTime();
                        if (rtc.isConnected() && nextFrame[0] < frames.size()) {
                            videoStart[0] = videoStart[0] < 0 ? now : videoStart[0];
                            while (nextFrame[0] < frames.size() && now - videoStart[0] >= nextFrame[0] * 33_333_333L) {
                                Media media = rtc.media(video);
                                media.writer(media.pt()).write(System.currentTimeMillis() * 1_000_000L,
                                        MediaTime.of(3000L * nextFrame[0], 90_000), frames.get(nextFrame[0]));
                                nextFrame[0]++;
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
                while (System.nanoTime() < giveUp && (echoes.size() < messages.length || nextFrame[0] < frames.size())) {
                    Thread.sleep(20);
                }
                long decodeGiveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < decodeGiveUp && framesDecoded(page) < frames.size()) {
                    Thread.sleep(50); // the last frames land and decode (Chromium can lag on a busy machine)
                }
            } finally {
                stop.set(true);
                driver.join();
            }
            assertTrue(events.contains(new Event.Connected()), "ICE+DTLS connected: " + events + "\npage: " + page.textContent("#log"));
            assertEquals(messages.length, echoes.size(), "Chromium echoed every message: " + events + "\npage: " + page.textContent("#log"));
            for (int i = 0; i < messages.length; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(messages[i], echoes.get(i), "echo " + i);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> stats = (Map<String, Object>) page.evaluate("eddy.videoStats()");
            assertEquals("video/VP8", stats.get("codec"), "Chromium took eddy's VP8: " + stats);
            assertTrue(((Number) stats.get("framesDecoded")).intValue() >= frames.size() - 5,
                    "Chromium decoded (nearly) all " + frames.size() + " frames eddy sent: " + stats);
            assertTrue(((Number) stats.get("keyFramesDecoded")).intValue() >= 1, "including the keyframe: " + stats);
            assertEquals(0, ((Number) stats.get("packetsLost")).intValue(), "no packet lost on loopback: " + stats);
            System.out.println("Chromium " + chromium.version() + " answered eddy's offer; DTLS " + rtc.srtpProfile()
                    + ", data channel echoed, video decoded: " + stats);
        }
    }

    /** eddy offers what {@code api} holds, the page's Chromium answers, eddy applies the answer. */
    static void chromiumAnswers(Rtc rtc, SdpApi api, Page page) {
        SdpApi.Offer offer = api.apply().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) page.evaluate("offer => eddy.acceptOffer(offer)",
                Map.of("type", "offer", "sdp", offer.offer().toSdp()));
        rtc.acceptAnswer(offer.pending(), SdpAnswer.fromSdp((String) answer.get("sdp")));
    }

    /** The VP8 frames of the shared capture, in order. */
    static List<byte[]> vp8Frames() throws java.io.IOException {
        java.nio.file.Path pcap = java.nio.file.Path.of(System.getProperty("eddy.shared", "../shared"), "testdata", "rtp-captures", "vp8.pcap");
        return RtpCapture.read(pcap).vp8Frames().stream().map(RtpCapture.Frame::data).toList();
    }

    private static boolean connected(ConcurrentLinkedQueue<Event> events) {
        return events.contains(new Event.IceConnectionStateChange(IceConnectionState.CONNECTED));
    }

    /** Frames Chromium's page has decoded so far (its inbound-rtp statistics). */
    private static int framesDecoded(Page page) {
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) page.evaluate("eddy.videoStats()");
        Object decoded = stats.get("framesDecoded");
        return decoded instanceof Number n ? n.intValue() : 0;
    }

    /** The ICE agent's drops by reason, for a failure's message. */
    private static Map<IceDropReason, Long> iceDrops(Rtc rtc) {
        Map<IceDropReason, Long> drops = new java.util.EnumMap<>(IceDropReason.class);
        for (IceDropReason reason : IceDropReason.values()) {
            if (rtc.iceDropped(reason) > 0) {
                drops.put(reason, rtc.iceDropped(reason));
            }
        }
        return drops;
    }
}
