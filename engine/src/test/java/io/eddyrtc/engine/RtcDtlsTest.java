package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.engine.sim.DirectSignalling;
import io.eddyrtc.engine.sim.RtcNode;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two Rtcs through ICE and DTLS to Connected on the virtual network, and what goes wrong when it should. */
@ExtendWith(SeedExtension.class)
class RtcDtlsTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.1.1", 6000);
    static final DtlsCertificate CERT_A = DtlsCertificate.generate(new SecureRandom());
    static final DtlsCertificate CERT_B = DtlsCertificate.generate(new SecureRandom());

    VirtualNetwork net;
    RtcNode a;
    RtcNode b;

    void setUp(long seed, LinkConditions conditions) {
        Random random = new Random(seed);
        net = new VirtualNetwork(seed);
        net.defaultConditions(conditions);
        a = new RtcNode("A", Rtc.builder().randomSeed(random.nextLong()).certificate(CERT_A).build());
        b = new RtcNode("B", Rtc.builder().randomSeed(random.nextLong()).certificate(CERT_B).build());
        net.attach(a, A);
        net.attach(b, B);
    }

    boolean bothConnected() {
        return a.rtc().isConnected() && b.rtc().isConnected();
    }

    @Test
    void iceThenDtlsThenConnectedOnBothSides(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(25));
        DirectSignalling.pairWithDtls(a.rtc(), A, b.rtc(), B);
        assertTrue(net.runUntil(this::bothConnected, 5 * S), "connected within 5 s");
        assertTrue(a.eventsOf(a.rtc()).contains(new Event.Connected()));
        assertTrue(b.eventsOf(b.rtc()).contains(new Event.Connected()));
        long iceAt = a.firstEventAt(a.rtc(), e -> e.equals(new Event.IceConnectionStateChange(io.eddyrtc.ice.IceConnectionState.CONNECTED)));
        long dtlsAt = a.firstEventAt(a.rtc(), e -> e instanceof Event.Connected);
        assertTrue(dtlsAt > iceAt, "DTLS starts after ICE connects");
        // two 50 ms round trips: no cookie exchange inside an Rtc (ICE proved the address), then the two flights
        assertTrue(dtlsAt - iceAt <= 2 * 50 * MS + 10 * MS, "the DTLS handshake took " + (dtlsAt - iceAt) / MS + " ms");
        assertEquals(0, a.rtc().droppedTotal() + b.rtc().droppedTotal());
    }

    @Test
    void dtlsRetransmitsThroughHeavyLoss(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(30).withJitterMillis(10).withLoss(0.3));
        DirectSignalling.pairWithDtls(a.rtc(), A, b.rtc(), B);
        assertTrue(net.runUntil(this::bothConnected, 40 * S), "connected through 30 % loss");
        assertTrue(a.rtc().isAlive() && b.rtc().isAlive());
    }

    @Test
    void aSmallMtuFragmentsTheHandshake(@Seed long seed) {
        Random random = new Random(seed);
        net = new VirtualNetwork(seed);
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(10).withMtu(300).withReorder(0.2, 15));
        var dtls = io.eddyrtc.crypto.dtls.DtlsConfig.defaults().withMtu(300);
        a = new RtcNode("A", Rtc.builder().randomSeed(random.nextLong()).certificate(CERT_A).dtls(dtls).build());
        b = new RtcNode("B", Rtc.builder().randomSeed(random.nextLong()).certificate(CERT_B).dtls(dtls).build());
        net.attach(a, A);
        net.attach(b, B);
        DirectSignalling.pairWithDtls(a.rtc(), A, b.rtc(), B);
        assertTrue(net.runUntil(this::bothConnected, 10 * S), "certificates cross a 300-byte MTU in fragments, reordered");
        assertEquals(0, net.totals().mtuDropped, "nothing was sent above the MTU");
    }

    @Test
    void aWrongFingerprintFailsTheConnectionAndReleasesNoKeys(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(10));
        DirectSignalling.pair(a.rtc(), A, b.rtc(), B);
        a.rtc().directApi().setRemoteFingerprint(CERT_A.fingerprint()); // not B's
        b.rtc().directApi().setRemoteFingerprint(CERT_A.fingerprint());
        a.rtc().directApi().startDtls(true);
        b.rtc().directApi().startDtls(false);
        net.runFor(5 * S);
        assertFalse(a.rtc().isConnected());
        assertFalse(b.rtc().isConnected());
        assertTrue(a.eventsOf(a.rtc()).stream().anyMatch(e -> e instanceof Event.DtlsFailed f && f.reason().contains("fingerprint")),
                "A says why: " + a.eventsOf(a.rtc()));
        assertFalse(a.rtc().isAlive());
    }

    @Test
    void startingDtlsTwiceIsAMistake(@Seed long seed) {
        Rtc rtc = Rtc.builder().randomSeed(seed).certificate(CERT_A).build();
        rtc.directApi().startDtls(true);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> rtc.directApi().startDtls(false));
        assertTrue(e.getMessage().contains("already"));
    }
}
