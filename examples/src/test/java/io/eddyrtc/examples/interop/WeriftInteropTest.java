package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.examples.httppost.Json;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
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
                    events.add(e);
                    if (e instanceof Event.ChannelOpen open) {
                        // on the loop's own thread: text, 1 KiB and 64 KiB, which werift echoes back
                        rtc.channel(open.id()).write(false, sent.get(0));
                        rtc.channel(open.id()).write(true, sent.get(1));
                        rtc.channel(open.id()).write(true, sent.get(2));
                    } else if (e instanceof Event.ChannelData d) {
                        echoes.add(d);
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
