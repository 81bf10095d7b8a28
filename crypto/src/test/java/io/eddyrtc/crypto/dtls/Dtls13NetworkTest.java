package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two eddy DTLS 1.3 endpoints on the virtual-time network: every datagram of the handshake lost once
 * (the client's last flight repeated until the server's ACK arrives, the ACK itself lost), a bad link,
 * 50 % loss both ways until the handshake completes, the HelloRetryRequest for a cookie and for a key
 * share, and KeyUpdate both ways, with and without loss.
 */
@ExtendWith(SeedExtension.class)
class Dtls13NetworkTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final DtlsConfig V13 = DtlsPair.only(DtlsVersion.DTLS_1_3);

    VirtualNetwork net;
    DtlsNode client;
    DtlsNode server;

    void setUp(long seed, LinkConditions link, DtlsConfig clientConfig, DtlsConfig serverConfig) {
        net = new VirtualNetwork(seed);
        net.defaultConditions(link);
        client = new DtlsNode(new DtlsEndpoint(clientConfig, DtlsPair.CLIENT_CERT, true, new SecureRandom(), new SplittableRandom(seed)),
                DtlsPair.CLIENT_ADDRESS, DtlsPair.SERVER_ADDRESS);
        server = new DtlsNode(new DtlsEndpoint(serverConfig, DtlsPair.SERVER_CERT, false, new SecureRandom(), new SplittableRandom(seed + 1)),
                DtlsPair.SERVER_ADDRESS, DtlsPair.CLIENT_ADDRESS);
        client.endpoint.setRemoteFingerprint(DtlsPair.SERVER_CERT.fingerprint());
        server.endpoint.setRemoteFingerprint(DtlsPair.CLIENT_CERT.fingerprint());
        net.attach(client, DtlsPair.CLIENT_ADDRESS);
        net.attach(server, DtlsPair.SERVER_ADDRESS);
    }

    boolean bothConnected() {
        return client.endpoint.isConnected() && server.endpoint.isConnected();
    }

    /** Connected, and the client's last flight acknowledged: nothing more to send. */
    boolean settled() {
        return bothConnected() && !client.endpoint.flightOutstanding() && !server.endpoint.flightOutstanding();
    }

    void start() {
        client.endpoint.start(net.now());
        net.runFor(0);
    }

    void assertSameKeys() {
        assertEquals(DtlsVersion.DTLS_1_3, client.find(DtlsEvent.Connected.class).version());
        assertArrayEquals(client.find(DtlsEvent.Connected.class).srtp().localKey(), server.find(DtlsEvent.Connected.class).srtp().remoteKey());
        assertArrayEquals(client.find(DtlsEvent.Connected.class).srtp().remoteKey(), server.find(DtlsEvent.Connected.class).srtp().localKey());
    }

    /** How many datagrams each side sends in a clean handshake: client hello (2, the hybrid share), server flight, client flight, ACK. */
    int[] cleanHandshakeDatagrams(long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), V13.withCookies(false), V13.withCookies(false));
        start();
        assertTrue(net.runUntil(this::settled, 5 * S), "a clean handshake settles");
        return new int[] {client.sent, server.sent};
    }

    @Test
    void theLossOfAnyOneDatagramIsRecovered(@Seed long seed) {
        int[] sent = cleanHandshakeDatagrams(seed);
        assertTrue(sent[0] >= 3 && sent[1] >= 2, "client " + sent[0] + ", server " + sent[1] + " datagrams");
        for (int side = 0; side < 2; side++) {
            for (int datagram = 0; datagram < sent[side]; datagram++) {
                setUp(seed, LinkConditions.perfect().withLatencyMillis(20), V13.withCookies(false), V13.withCookies(false));
                (side == 0 ? client : server).lose.add(datagram);
                start();
                String what = (side == 0 ? "client" : "server") + " datagram " + datagram;
                assertTrue(net.runUntil(this::settled, 10 * S), "settled after losing " + what);
                assertSameKeys();
                long took = Math.max(client.timeOf(DtlsEvent.Connected.class), server.timeOf(DtlsEvent.Connected.class));
                assertTrue(took < 3 * S, "one retransmission (about 1 s) was enough after losing " + what + ": " + took / MS + " ms");
            }
        }
    }

    /** The server's ACK of the client's last flight is lost: the client repeats that flight and the server acknowledges again. */
    @Test
    void aLostAckBringsTheClientsLastFlightAgainAndAnotherAck(@Seed long seed) {
        int[] sent = cleanHandshakeDatagrams(seed);
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), V13.withCookies(false), V13.withCookies(false));
        server.lose.add(sent[1] - 1); // the ACK is the server's last datagram
        start();
        assertTrue(net.runUntil(this::bothConnected, 2 * S));
        assertTrue(client.endpoint.flightOutstanding(), "the client waits for the ACK");
        assertTrue(net.runUntil(this::settled, 5 * S), "the repeated flight was acknowledged");
        assertEquals(sent[1] + 1, server.sent, "one more ACK");
        assertEquals(0, server.endpoint.dropped(DtlsDropReason.UNEXPECTED), "the repeat was recognised, not refused");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 1150})
    void aBadLinkWithLossDuplicationAndReordering(int mtu, @Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(40).withJitterMillis(20).withLoss(0.3)
                .withDuplicate(0.2).withReorder(0.2, 30).withMtu(mtu), V13.withMtu(mtu), V13.withMtu(mtu));
        start();
        assertTrue(net.runUntil(this::bothConnected, 60 * S), "connected across the bad link");
        assertSameKeys();
        assertEquals(0, net.totals().mtuDropped, "nothing above the MTU was sent");
    }

    @Test
    void halfOfEveryDatagramLostBothWaysUntilTheHandshakeCompletes(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(30).withLoss(0.5), V13.withTimers(S, 120 * S),
                V13.withTimers(S, 120 * S));
        start();
        assertTrue(net.runUntil(this::bothConnected, 120 * S), "connected through 50 % loss");
        assertSameKeys();
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(30)); // then the loss stops
        assertTrue(net.runUntil(this::settled, 60 * S), "and settles: the last flight acknowledged");
        assertTrue(client.sent > 4, "it took retransmissions: " + client.sent + " datagrams from the client");
    }

    @Test
    void aServerWithCookiesAsksForOneWithAHelloRetryRequest(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), V13, V13);
        start();
        assertTrue(net.runUntil(this::settled, 5 * S));
        assertSameKeys();
        // hello (2 datagrams), hello again with the cookie (2), last flight: the retry cost one round trip
        assertEquals(5, client.sent, "the client sent its hello twice");
        assertFalse(server.endpoint.holdsHandshakeSecrets(), "the cookie secret went with the handshake");
    }

    @Test
    void aServerWithoutTheClientsGroupAsksForAShareWithAHelloRetryRequest(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), V13.withCookies(false),
                V13.withCookies(false).withGroups(List.of(NamedGroup.SECP256R1)));
        start();
        assertTrue(net.runUntil(this::settled, 5 * S));
        assertSameKeys();
        assertEquals(NamedGroup.SECP256R1, client.find(DtlsEvent.Connected.class).group());
        // the first hello is 2 datagrams (hybrid and X25519 shares), the retry 1 (a P-256 share), then the last flight
        assertEquals(4, client.sent, "the client's first hello was answered with a retry");
    }

    @Test
    void aLostHelloRetryRequestIsRecovered(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), V13, V13);
        server.lose.add(0);
        start();
        assertTrue(net.runUntil(this::settled, 5 * S));
        assertSameKeys();
    }

    // ------------------------------------------------------------------ KeyUpdate

    void connected(long seed, LinkConditions link) {
        setUp(seed, link, V13.withCookies(false), V13.withCookies(false));
        start();
        assertTrue(net.runUntil(this::settled, 30 * S));
    }

    /** Sends {@code data} from {@code from} until it arrives (application data is not retransmitted by DTLS). */
    void deliver(DtlsNode from, DtlsNode to, byte[] data) {
        int before = (int) to.events.stream().filter(t -> t.event() instanceof DtlsEvent.ApplicationData).count();
        for (int i = 0; i < 50; i++) {
            from.endpoint.send(net.now(), data, 0, data.length);
            net.runFor(200 * MS);
            List<byte[]> got = new ArrayList<>();
            to.events.stream().filter(t -> t.event() instanceof DtlsEvent.ApplicationData)
                    .forEach(t -> got.add(((DtlsEvent.ApplicationData) t.event()).data()));
            if (got.size() > before) {
                assertArrayEquals(data, got.get(before));
                return;
            }
        }
        throw new AssertionError("never delivered");
    }

    @Test
    void keyUpdateBothWaysWhenThePeerIsAsked(@Seed long seed) {
        connected(seed, LinkConditions.perfect().withLatencyMillis(20));
        assertEquals(3, client.endpoint.writeEpoch());
        assertTrue(client.endpoint.updateKeys(net.now(), true));
        assertFalse(client.endpoint.updateKeys(net.now(), true), "one KeyUpdate at a time");
        net.runFor(1 * S);
        assertEquals(4, client.endpoint.writeEpoch(), "the client's KeyUpdate was acknowledged");
        assertEquals(4, server.endpoint.writeEpoch(), "the server updated too, as asked, and its update was acknowledged");
        deliver(client, server, new byte[] {1, 2, 3});
        deliver(server, client, new byte[] {4, 5});
        assertTrue(server.endpoint.updateKeys(net.now(), false));
        net.runFor(1 * S);
        assertEquals(5, server.endpoint.writeEpoch());
        assertEquals(4, client.endpoint.writeEpoch(), "not asked, the client keeps its keys");
        deliver(server, client, new byte[] {6});
        deliver(client, server, new byte[] {7});
        assertEquals(0, client.endpoint.droppedTotal() + server.endpoint.droppedTotal());
    }

    @Test
    void keyUpdatesThroughALossyLink(@Seed long seed) {
        connected(seed, LinkConditions.perfect().withLatencyMillis(20).withLoss(0.3).withDuplicate(0.1).withReorder(0.1, 20));
        for (int round = 0; round < 5; round++) {
            DtlsNode updating = round % 2 == 0 ? client : server;
            DtlsNode other = updating == client ? server : client;
            int epoch = updating.endpoint.writeEpoch();
            assertTrue(updating.endpoint.updateKeys(net.now(), round == 4), "round " + round);
            assertTrue(net.runUntil(() -> updating.endpoint.writeEpoch() == epoch + 1, 30 * S), "round " + round + " acknowledged");
            deliver(updating, other, new byte[] {(byte) round});
            deliver(other, updating, new byte[] {(byte) (100 + round)});
        }
        assertTrue(client.endpoint.isConnected() && server.endpoint.isConnected());
    }

    /**
     * In 1.3 the client completes before the server has seen its certificate: a certificate that is not the
     * signalled one then ends the server's handshake with an alert, which fails the client too.
     */
    @Test
    void aClientCertificateThatIsNotTheSignalledOneFailsBothSides(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(10), V13, V13);
        server.endpoint.setRemoteFingerprint(DtlsPair.SERVER_CERT.fingerprint()); // not the client's
        start();
        net.runFor(5 * S);
        assertTrue(server.find(DtlsEvent.Failed.class).reason().contains("fingerprint"));
        assertEquals(null, server.find(DtlsEvent.Connected.class), "the server released no keys");
        assertNotNull(client.find(DtlsEvent.Failed.class), "the client heard the server's alert");
        assertTrue(client.endpoint.isDone());
    }

    @Test
    void aCloseNotifyEndsBothSides(@Seed long seed) {
        connected(seed, LinkConditions.perfect().withLatencyMillis(10));
        client.endpoint.close();
        net.runFor(1 * S);
        assertNotNull(server.find(DtlsEvent.Closed.class), "the server saw close_notify");
        assertTrue(server.endpoint.isDone() && client.endpoint.isDone());
    }
}
