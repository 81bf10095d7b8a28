package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.httppost.Json;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.examples.loop.UdpRunLoop;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceConnectionState;
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
 * <p>eddy's answer is written by {@link HandWrittenSdp} from the {@code Rtc}'s ICE credentials and
 * candidate, with a placeholder fingerprint, until the SdpApi is wired into the {@code Rtc}.
 */
class ChromiumInteropTest {

    @Test
    void chromiumConnectsIceDtlsAndADataChannelToTheRtc() throws Exception {
        Rtc rtc = Rtc.builder().build();
        ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             SignalingServer server = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     offerJson -> answer(rtc, loop, Json.string(offerJson, "sdp")));
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            Page page = chromium.open(server.url());
            page.evaluate("eddy.connect()"); // POSTs the offer; answer() above set the Rtc up before replying
            Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
                try {
                    loop.run(e -> {
                        events.add(e);
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
            assertEquals(0, rtc.iceDropped(), "every STUN message from Chromium was accepted");
            System.out.println("Chromium " + chromium.version() + " connected ICE, DTLS and a data channel with eddy over " + pair);
        }
    }

    /**
     * eddy makes the offer (a data channel, ICE controlling, DTLS actpass) and Chromium answers: ICE and
     * DTLS connect with Chromium's chosen roles, eddy opens the data channel, and Chromium echoes what
     * eddy sends.
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
            rtc.directApi().setIceControlling(true);
            rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
            rtc.directApi().createDataChannel("from-eddy");
            String offer = HandWrittenSdp.dataChannel(rtc, loop.localAddress(), "actpass", "0");
            Page page = chromium.open(server.url());
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = (Map<String, Object>) page.evaluate("offer => eddy.acceptOffer(offer)",
                    Map.of("type", "offer", "sdp", offer));
            String answerSdp = (String) answer.get("sdp");
            HandWrittenSdp.takeRemote(rtc, answerSdp);
            rtc.directApi().startDtls(HandWrittenSdp.attribute(answerSdp, "setup").equals("passive"));
            Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
                try {
                    loop.run(e -> {
                        events.add(e);
                        if (e instanceof Event.ChannelOpen o) {
                            for (byte[] m : messages) {
                                rtc.channel(o.id()).write(m != messages[0], m);
                            }
                        } else if (e instanceof Event.ChannelData d) {
                            echoes.add(d.data());
                        }
                    }, stop::get);
                } catch (Exception e) {
                    events.add(new Event.DtlsFailed(e.toString()));
                }
            });
            try {
                long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < giveUp && echoes.size() < messages.length) {
                    Thread.sleep(20);
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
            System.out.println("Chromium " + chromium.version() + " answered eddy's offer; DTLS " + rtc.srtpProfile()
                    + ", data channel echoed");
        }
    }

    private static boolean connected(ConcurrentLinkedQueue<Event> events) {
        return events.contains(new Event.IceConnectionStateChange(IceConnectionState.CONNECTED));
    }

    /** Sets the Rtc up from Chromium's offer and answers with one data channel section, eddy the DTLS server. */
    private static String answer(Rtc rtc, UdpRunLoop loop, String offer) {
        rtc.directApi().setIceControlling(false);
        rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
        HandWrittenSdp.takeRemote(rtc, offer);
        rtc.directApi().startDtls(false); // a=setup:passive: Chromium (actpass in its offer) becomes the client
        String sdp = HandWrittenSdp.dataChannel(rtc, loop.localAddress(), "passive", HandWrittenSdp.attribute(offer, "mid"));
        return "{\"type\":\"answer\",\"sdp\":" + Json.quote(sdp) + "}";
    }
}
