package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Two eddy DTLS 1.2 endpoints on the virtual-time network: lost flights, bad links, timeouts, closing ({@link Dtls13NetworkTest} for 1.3). */
@ExtendWith(SeedExtension.class)
class DtlsNetworkTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final DtlsConfig V12 = DtlsPair.only(DtlsVersion.DTLS_1_2);

    VirtualNetwork net;
    DtlsNode client;
    DtlsNode server;

    void setUp(long seed, LinkConditions link, DtlsConfig config) {
        net = new VirtualNetwork(seed);
        net.defaultConditions(link);
        client = new DtlsNode(new DtlsEndpoint(config, DtlsPair.CLIENT_CERT, true, new SecureRandom(), new SplittableRandom(seed)),
                DtlsPair.CLIENT_ADDRESS, DtlsPair.SERVER_ADDRESS);
        server = new DtlsNode(new DtlsEndpoint(config, DtlsPair.SERVER_CERT, false, new SecureRandom(), new SplittableRandom(seed + 1)),
                DtlsPair.SERVER_ADDRESS, DtlsPair.CLIENT_ADDRESS);
        client.endpoint.setRemoteFingerprint(DtlsPair.SERVER_CERT.fingerprint());
        server.endpoint.setRemoteFingerprint(DtlsPair.CLIENT_CERT.fingerprint());
        net.attach(client, DtlsPair.CLIENT_ADDRESS);
        net.attach(server, DtlsPair.SERVER_ADDRESS);
    }

    boolean bothConnected() {
        return client.endpoint.isConnected() && server.endpoint.isConnected();
    }

    void start() {
        client.endpoint.start(net.now());
        net.runFor(0);
    }

    /**
     * With cookies the handshake is six flights, one datagram each: client 0 ClientHello, server 0
     * HelloVerifyRequest, client 1 ClientHello+cookie, server 1 ServerHello..Done, client 2
     * Certificate..Finished, server 2 ChangeCipherSpec+Finished. Losing any one of them once is recovered.
     */
    @ParameterizedTest
    @CsvSource({"client,0", "server,0", "client,1", "server,1", "client,2", "server,2"})
    void theLossOfAnyOneFlightIsRecovered(String side, int datagram, @Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), V12);
        (side.equals("client") ? client : server).lose.add(datagram);
        start();
        assertTrue(net.runUntil(this::bothConnected, 10 * S), "connected after losing " + side + " datagram " + datagram);
        assertArrayEquals(client.find(DtlsEvent.Connected.class).srtp().localKey(),
                server.find(DtlsEvent.Connected.class).srtp().remoteKey());
        long took = Math.max(client.timeOf(DtlsEvent.Connected.class), server.timeOf(DtlsEvent.Connected.class));
        assertTrue(took < 3 * S, "one retransmission (about 1 s) was enough: " + took / MS + " ms");
    }

    /**
     * Without cookies (as inside an Rtc) the handshake is four flights. When the server's last one is lost,
     * the client repeats its own: its plaintext records are dropped (the server is connected and takes no
     * plaintext any more), and its protected Finished, a repeat, makes the server send its last flight again.
     */
    @ParameterizedTest
    @CsvSource({"client,0", "server,0", "client,1", "server,1"})
    void theLossOfAnyOneFlightIsRecoveredWithoutCookies(String side, int datagram, @Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), V12.withCookies(false));
        (side.equals("client") ? client : server).lose.add(datagram);
        start();
        assertTrue(net.runUntil(this::bothConnected, 10 * S), "connected after losing " + side + " datagram " + datagram);
        long took = Math.max(client.timeOf(DtlsEvent.Connected.class), server.timeOf(DtlsEvent.Connected.class));
        assertTrue(took < 3 * S, "one retransmission (about 1 s) was enough: " + took / MS + " ms");
        if (side.equals("server") && datagram == 1) {
            assertTrue(server.endpoint.dropped(DtlsDropReason.PLAINTEXT_AFTER_HANDSHAKE) > 0,
                    "the client's repeated plaintext records met a connected server");
            assertEquals(3, server.sent, "hello flight, last flight, and the last flight again");
        }
    }

    @Test
    void aBadLinkWithLossDuplicationReorderingAndMtu500(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(40).withJitterMillis(20).withLoss(0.3)
                .withDuplicate(0.2).withReorder(0.2, 30).withMtu(500), V12.withMtu(500));
        start();
        assertTrue(net.runUntil(this::bothConnected, 40 * S), "connected across the bad link");
        client.endpoint.send(net.now(), new byte[] {1, 2, 3}, 0, 3);
        server.endpoint.send(net.now(), new byte[] {4, 5}, 0, 2);
        for (int i = 0; i < 10 && (client.find(DtlsEvent.ApplicationData.class) == null
                || server.find(DtlsEvent.ApplicationData.class) == null); i++) {
            // application data is not retransmitted by DTLS (SCTP does that): resend until one copy lands
            net.runFor(200 * MS);
            if (server.find(DtlsEvent.ApplicationData.class) == null) {
                client.endpoint.send(net.now(), new byte[] {1, 2, 3}, 0, 3);
            }
            if (client.find(DtlsEvent.ApplicationData.class) == null) {
                server.endpoint.send(net.now(), new byte[] {4, 5}, 0, 2);
            }
        }
        assertArrayEquals(new byte[] {1, 2, 3}, server.find(DtlsEvent.ApplicationData.class).data());
        assertArrayEquals(new byte[] {4, 5}, client.find(DtlsEvent.ApplicationData.class).data());
        assertEquals(0, net.totals().mtuDropped, "nothing above the MTU was sent");
    }

    @Test
    void anUnansweredHandshakeFailsAtTheConfiguredTime(@Seed long seed) {
        DtlsConfig config = V12.withTimers(1 * S, 10 * S);
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), config);
        net.conditions(DtlsPair.CLIENT_ADDRESS, DtlsPair.SERVER_ADDRESS, LinkConditions.perfect().withBlocked(true));
        start();
        net.runFor(30 * S);
        DtlsEvent.Failed failed = client.find(DtlsEvent.Failed.class);
        assertNotNull(failed, "the client gives up");
        assertTrue(failed.reason().contains("timed out"), failed.reason());
        long at = client.timeOf(DtlsEvent.Failed.class);
        // timers at ~1, 3, 7 s (+-25 % jitter each), then the one after 10 s fails it: 10 .. 20 s
        assertTrue(at >= 10 * S && at <= 20 * S, "failed at " + at / MS + " ms");
        assertTrue(client.sent >= 3 && client.sent <= 5, "retransmitted with doubling timers: " + client.sent + " ClientHellos");
        assertNull(client.find(DtlsEvent.Connected.class));
    }

    @Test
    void aClientCertificateThatIsNotTheSignalledOneIsRefused(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(10), V12);
        DtlsCertificate other = DtlsCertificate.generate(new SecureRandom(), Instant.parse("2026-11-24T00:00:00Z"));
        server.endpoint.setRemoteFingerprint(other.fingerprint());
        start();
        net.runFor(5 * S);
        assertTrue(server.find(DtlsEvent.Failed.class).reason().contains("fingerprint"));
        assertNotNull(client.find(DtlsEvent.Failed.class), "the client hears the server's alert");
        assertNull(server.find(DtlsEvent.Connected.class));
        assertNull(client.find(DtlsEvent.Connected.class), "the client never gets the server's Finished");
    }

    @Test
    void closeNotifyEndsBothSides(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(10), DtlsConfig.defaults());
        start();
        assertTrue(net.runUntil(this::bothConnected, 5 * S));
        client.endpoint.close();
        net.runFor(1 * S);
        assertNotNull(server.find(DtlsEvent.Closed.class), "the server saw close_notify");
        assertNull(server.find(DtlsEvent.Failed.class), "the peer closing is not a failure");
        assertTrue(server.endpoint.isDone() && client.endpoint.isDone());
    }
}
