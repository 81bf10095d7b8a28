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
 * real loopback UDP: ICE and DTLS connect in both roles (eddy offering, ICE controlling; werift
 * offering, eddy controlled and the DTLS client), fingerprints checked both ways.
 *
 * <p>eddy's side of the description is written by {@link HandWrittenSdp} from the {@code Rtc}'s ICE
 * credentials, candidate and fingerprint, because eddy's SdpApi is not wired into the {@code Rtc} yet.
 * When SCTP is wired, this peer drives the data channel echo test through the same harness.
 */
class WeriftInteropTest {

    @Test
    void iceAndDtlsConnectWithWeriftAnswering() throws Exception {
        Rtc rtc = Rtc.builder().build();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             WeriftPeer werift = WeriftPeer.start("answer")) {
            rtc.directApi().setIceControlling(true);
            rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
            werift.send("{\"type\":\"offer\",\"sdp\":" + JsonLine.quote(HandWrittenSdp.dataChannel(rtc, loop.localAddress(), "actpass", "0")) + "}");
            String answer = JsonLine.string(werift.await(l -> l.contains("\"type\":\"answer\""), Duration.ofSeconds(15)), "sdp");
            HandWrittenSdp.takeRemote(rtc, answer);
            // we offered actpass: werift's answer decides who is the DTLS client
            rtc.directApi().startDtls(HandWrittenSdp.attribute(answer, "setup").equals("passive"));
            assertConnects(rtc, loop, werift);
        }
    }

    @Test
    void iceAndDtlsConnectWithWeriftOffering() throws Exception {
        Rtc rtc = Rtc.builder().build();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             WeriftPeer werift = WeriftPeer.start("offer")) {
            String offer = JsonLine.string(werift.await(l -> l.contains("\"type\":\"offer\""), Duration.ofSeconds(15)), "sdp");
            rtc.directApi().setIceControlling(false); // the answerer is controlled
            rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
            HandWrittenSdp.takeRemote(rtc, offer);
            rtc.directApi().startDtls(true); // our answer says a=setup:active
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
            while (System.nanoTime() < giveUp && !events.contains(new Event.Connected())) {
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
        assertEquals(loop.localAddress(), pair.local().address());
        assertEquals("127.0.0.1", pair.remote().address().getAddress().getHostAddress(), "werift's loopback candidate");
        assertTrue(loop.received() > 0 && loop.sent() > 0);
        System.out.println("werift " + WeriftPeer.version() + " connected ICE and DTLS with eddy ("
                + (rtc.directApi().isIceControlling() ? "controlling" : "controlled") + "): "
                + pair.local().address() + " <-> " + pair.remote().address());
    }
}
