package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.IceCredentials;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.examples.loop.UdpRunLoop;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceConnectionState;
import io.eddyrtc.ice.TransportProtocol;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * eddy's {@code Rtc} against werift, a separate WebRTC implementation in its own Node.js process, over
 * real loopback UDP: ICE connects in both roles (eddy offering and controlling; werift offering and
 * eddy controlled).
 *
 * <p>eddy's side of the description is written here by hand from the {@code Rtc}'s ICE credentials and candidate, because
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
            werift.send("{\"type\":\"offer\",\"sdp\":" + JsonLine.quote(description(rtc, loop, "actpass")) + "}");
            String answer = JsonLine.string(werift.await(l -> l.contains("\"type\":\"answer\""), Duration.ofSeconds(15)), "sdp");
            takeRemoteIce(rtc, answer);
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
            takeRemoteIce(rtc, offer);
            werift.send("{\"type\":\"answer\",\"sdp\":" + JsonLine.quote(description(rtc, loop, "active")) + "}");
            assertConnects(rtc, loop, werift);
        }
    }

    /** werift's ufrag, password and UDP IPv4 candidates from its description, into the Rtc. */
    private static void takeRemoteIce(Rtc rtc, String sdp) {
        assertNotNull(sdp);
        rtc.directApi().setRemoteIceCredentials(new IceCredentials(attribute(sdp, "ice-ufrag"), attribute(sdp, "ice-pwd")));
        int candidates = 0;
        for (String line : sdp.split("\r\n")) {
            Candidate c = line.startsWith("a=candidate:") ? Candidate.tryParse(line) : null;
            if (c != null && c.transport() == TransportProtocol.UDP && c.address().getAddress() instanceof Inet4Address) {
                rtc.addRemoteCandidate(c);
                candidates++;
            }
        }
        assertTrue(candidates > 0, "werift's description carries UDP IPv4 candidates:\n" + sdp);
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

    /**
     * A data-channel offer or answer carrying the Rtc's ICE credentials and host candidate (the DTLS
     * fingerprint is a placeholder).
     */
    private static String description(Rtc rtc, UdpRunLoop loop, String setup) {
        IceCredentials ice = rtc.directApi().localIceCredentials();
        InetSocketAddress address = loop.localAddress();
        byte[] fakeFingerprint = new byte[32];
        new Random(1).nextBytes(fakeFingerprint);
        String fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(fakeFingerprint);
        return String.join("\r\n",
                "v=0",
                "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE 0",
                "a=msid-semantic: WMS",
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
                "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:" + ice.ufrag(),
                "a=ice-pwd:" + ice.pwd(),
                "a=ice-options:trickle",
                "a=fingerprint:sha-256 " + fingerprint,
                "a=setup:" + setup,
                "a=mid:0",
                "a=sctp-port:5000",
                "a=max-message-size:262144",
                "a=" + Candidate.host(address).toSdpString(),
                "a=end-of-candidates",
                "");
    }

    private static String attribute(String sdp, String name) {
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=" + name + ":")) {
                return line.substring(name.length() + 3).trim();
            }
        }
        throw new AssertionError("no a=" + name + " in\n" + sdp);
    }
}
