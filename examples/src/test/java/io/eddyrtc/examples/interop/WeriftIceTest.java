package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.examples.loop.UdpRunLoop;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceConnectionState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * eddy's {@code Rtc} against werift, a separate WebRTC implementation in its own Node.js process, over
 * real loopback UDP: ICE connects in both roles (eddy offering and controlling; werift offering and
 * eddy controlled).
 *
 * <p>eddy's side of the description is written (by {@link HandWrittenSdp}) here by hand from the {@code Rtc}'s ICE credentials and candidate, because
 * eddy's SdpApi is not wired into the {@code Rtc} yet; its DTLS fingerprint is a placeholder, so werift's
 * DTLS handshake that follows ICE cannot succeed and is not part of what this test checks. When SDP,
 * DTLS and SCTP are wired, this peer drives the data channel echo test through the same harness.
 */
class WeriftIceTest {

    @Test
    void iceConnectsWithWeriftAnswering() throws Exception {
        Rtc rtc = Rtc.builder().build();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             WeriftPeer werift = WeriftPeer.start("answer")) {
            rtc.directApi().setIceControlling(true);
            rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
            werift.send("{\"type\":\"offer\",\"sdp\":" + JsonLine.quote(HandWrittenSdp.dataChannel(rtc, loop.localAddress(), "actpass", "0")) + "}");
            String answer = JsonLine.string(werift.await(l -> l.contains("\"type\":\"answer\""), Duration.ofSeconds(15)), "sdp");
            HandWrittenSdp.takeRemoteIce(rtc, answer);
            assertConnects(rtc, loop, werift);
        }
    }

    @Test
    void iceConnectsWithWeriftOffering() throws Exception {
        Rtc rtc = Rtc.builder().build();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             WeriftPeer werift = WeriftPeer.start("offer")) {
            String offer = JsonLine.string(werift.await(l -> l.contains("\"type\":\"offer\""), Duration.ofSeconds(15)), "sdp");
            rtc.directApi().setIceControlling(false); // the answerer is controlled
            rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
            HandWrittenSdp.takeRemoteIce(rtc, offer);
            werift.send("{\"type\":\"answer\",\"sdp\":" + JsonLine.quote(HandWrittenSdp.dataChannel(rtc, loop.localAddress(), "active", HandWrittenSdp.attribute(offer, "mid"))) + "}");
            assertConnects(rtc, loop, werift);
        }
    }

    /** Runs eddy's loop until both sides report ICE connected, then checks the pair eddy selected. */
    private static void assertConnects(Rtc rtc, UdpRunLoop loop, WeriftPeer werift) throws Exception {
        ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
            try {
                loop.run(events::add, stop::get);
            } catch (Exception e) {
                events.add(new Event.IceConnectionStateChange(IceConnectionState.FAILED));
            }
        });
        try {
            werift.await(l -> l.contains("\"event\":\"ice\"") && l.contains("\"connected\""), Duration.ofSeconds(15));
            long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < giveUp && events.stream().noneMatch(e -> e instanceof Event.SelectedPairChange)) {
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
        assertEquals(loop.localAddress(), pair.local().address());
        assertEquals("127.0.0.1", pair.remote().address().getAddress().getHostAddress(), "werift's loopback candidate");
        assertTrue(loop.received() > 0 && loop.sent() > 0);
        System.out.println("werift " + WeriftPeer.version() + " connected ICE with eddy ("
                + (rtc.directApi().isIceControlling() ? "controlling" : "controlled") + "): "
                + pair.local().address() + " <-> " + pair.remote().address());
    }
}
