package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a stranger (or a peer turned hostile) can send, and what it must not achieve: after the handshake
 * nothing unauthenticated is acted on; a forged Finished is refused; a bad ClientHello before the real one
 * neither fails the server nor blocks the real handshake; what we queue and buffer stays bounded.
 */
class DtlsHostilePeerTest {
    static final InetSocketAddress STRANGER = new InetSocketAddress("10.9.9.9", 40000);

    static DtlsPair connectedPair() {
        DtlsPair p = new DtlsPair();
        p.client.start(0);
        p.exchange();
        assertTrue(p.client.isConnected() && p.server.isConnected(), "the pair connects");
        return p;
    }

    static void assertDataStillFlows(DtlsPair p) {
        p.clientEvents.clear();
        p.serverEvents.clear();
        p.client.send(p.now, new byte[] {1, 2, 3}, 0, 3);
        p.server.send(p.now, new byte[] {4, 5}, 0, 2);
        p.exchange();
        assertArrayEquals(new byte[] {1, 2, 3}, DtlsPair.find(p.serverEvents, DtlsEvent.ApplicationData.class).data());
        assertArrayEquals(new byte[] {4, 5}, DtlsPair.find(p.clientEvents, DtlsEvent.ApplicationData.class).data());
    }

    // ------------------------------------------------------------------ after the handshake

    /** Plaintext datagrams a stranger can send once the handshake is done, each a list of records. */
    static Stream<Arguments> plaintextAfterTheHandshake() {
        List<byte[]> clientHellos = new ArrayList<>();
        List<byte[]> finisheds = new ArrayList<>();
        for (int seq = 0; seq < 10; seq++) {
            clientHellos.add(Wire.record(Wire.HANDSHAKE, 0, 200 + seq, Wire.message(Wire.CLIENT_HELLO, seq, Wire.goodClientHello((byte) 7))));
            finisheds.add(Wire.record(Wire.HANDSHAKE, 0, 300 + seq, Wire.message(Wire.FINISHED, seq, new byte[12])));
        }
        List<Arguments> cases = new ArrayList<>();
        for (String side : List.of("client", "server")) {
            // the 15 bytes that ended a live call: a plaintext close_notify
            cases.add(Arguments.of("close_notify", side, Wire.record(Wire.ALERT, 0, 99, Wire.alert(1, 0)), 1));
            cases.add(Arguments.of("a fatal alert", side, Wire.record(Wire.ALERT, 0, 100, Wire.alert(2, 40)), 1));
            cases.add(Arguments.of("ClientHellos at message_seq 0..9", side, Wire.concat(clientHellos), 10));
            cases.add(Arguments.of("Finished at message_seq 0..9", side, Wire.concat(finisheds), 10));
            cases.add(Arguments.of("ChangeCipherSpec", side, Wire.record(Wire.CHANGE_CIPHER_SPEC, 0, 101, new byte[] {1}), 1));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} to the {1}")
    @MethodSource("plaintextAfterTheHandshake")
    void plaintextRecordsAfterTheHandshakeAreDroppedAndCountedNeverActedOn(String what, String side, byte[] datagram, int records) {
        DtlsPair p = connectedPair();
        DtlsEndpoint target = side.equals("client") ? p.client : p.server;
        target.handleReceive(p.now, STRANGER, datagram);
        assertTrue(target.isConnected(), what + " changed nothing: " + target);
        assertNull(target.pollEvent(), "no event");
        assertNull(target.pollTransmit(), "nothing sent in answer (not even our last flight again)");
        assertEquals(records, target.dropped(DtlsDropReason.PLAINTEXT_AFTER_HANDSHAKE));
        assertEquals(records, target.droppedTotal());
        assertDataStillFlows(p);
    }

    @Test
    void protectedHandshakeMessagesAfterTheHandshakeAreNeitherActedOnNorBuffered() {
        DtlsPair p = connectedPair();
        // the client's keys seal these, as if the authenticated peer sent them: a renegotiating ClientHello
        // and the first kilobyte of a 16 KB message it never finishes, at every message_seq ahead
        for (int seq = 0; seq < 20; seq++) {
            byte[] hello = p.client.sealRecord(Wire.HANDSHAKE, Wire.message(Wire.CLIENT_HELLO, 6 + seq, Wire.goodClientHello((byte) 1)));
            byte[] part = p.client.sealRecord(Wire.HANDSHAKE, Wire.fragment(Wire.CERTIFICATE, 16_000, 6 + seq, 0, new byte[1000]));
            p.server.handleReceive(p.now, DtlsPair.CLIENT_ADDRESS, Wire.concat(List.of(hello, part)));
        }
        assertTrue(p.server.isConnected(), "no renegotiation, no failure: " + p.server);
        assertEquals(0, p.server.bufferedHandshakeBytes(), "nothing is reassembled once the handshake is done");
        assertNull(p.server.pollTransmit());
        assertEquals(40, p.server.dropped(DtlsDropReason.UNEXPECTED));
        assertDataStillFlows(p);
    }

    @Test
    void aProtectedRecordWhoseHeaderNoLongerSaysDtls12IsDropped() {
        DtlsPair p = connectedPair();
        byte[] record = p.client.sealRecord(Wire.APPLICATION_DATA, new byte[] {42});
        record[2] = (byte) 0xFF; // DTLS 1.0 in the header: the additional data must cover the version read
        p.server.handleReceive(p.now, DtlsPair.CLIENT_ADDRESS, record);
        assertNull(p.server.pollEvent(), "not delivered");
        assertEquals(1, p.server.dropped(DtlsDropReason.BAD_VERSION));
        assertDataStillFlows(p);
    }

    @Test
    void aProtectedCloseNotifyFromThePeerStillCloses() {
        DtlsPair p = connectedPair();
        p.server.handleReceive(p.now, DtlsPair.CLIENT_ADDRESS, p.client.sealRecord(Wire.ALERT, Wire.alert(1, 0)));
        assertTrue(p.server.pollEvent() instanceof DtlsEvent.Closed);
        assertTrue(p.server.isDone());
    }

    // ------------------------------------------------------------------ during the handshake

    @Test
    void aFinishedInAPlaintextRecordIsRefusedAndTheRealOneStillCompletes() {
        DtlsPair p = new DtlsPair(DtlsConfig.defaults().withCookies(false), DtlsConfig.defaults().withCookies(false), 11);
        p.client.start(0);
        p.server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, p.client.pollTransmit()); // ClientHello
        for (byte[] d; (d = p.server.pollTransmit()) != null; ) {
            p.client.handleReceive(0, DtlsPair.SERVER_ADDRESS, d); // the server's hello flight
        }
        List<byte[]> clientFlight = new ArrayList<>();
        for (byte[] d; (d = p.client.pollTransmit()) != null; ) {
            clientFlight.add(d);
        }
        // after the client's ChangeCipherSpec, a forged Finished in epoch 0 with the real one's message_seq
        int finishedSeq = 0;
        for (byte[] d : clientFlight) {
            for (Wire.Record r : Wire.records(d)) {
                if (r.type() == Wire.HANDSHAKE && r.epoch() == 0) {
                    finishedSeq = Math.max(finishedSeq, ((r.fragment()[4] & 0xFF) << 8 | (r.fragment()[5] & 0xFF)) + 1);
                }
            }
        }
        byte[] forged = Wire.record(Wire.HANDSHAKE, 0, 77, Wire.message(Wire.FINISHED, finishedSeq, new byte[12]));
        for (byte[] d : clientFlight) {
            List<byte[]> records = new ArrayList<>();
            for (Wire.Record r : Wire.records(d)) {
                if (r.epoch() == 1) {
                    records.add(forged); // just before the protected Finished
                }
                records.add(Wire.record(r.type(), r.epoch(), r.seq(), r.fragment()));
            }
            p.server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, Wire.concat(records));
        }
        p.exchange();
        assertEquals(1, p.server.dropped(DtlsDropReason.UNPROTECTED_FINISHED));
        assertNull(DtlsPair.find(p.serverEvents, DtlsEvent.Failed.class), "the forged Finished was not verified (and failed)");
        assertTrue(p.server.isConnected() && p.client.isConnected(), "the real, protected Finished completed the handshake");
    }

    /** ClientHellos a stranger sends a server before the real client does. */
    enum BadHello {
        TRUNCATED(DtlsDropReason.MALFORMED_HELLO, true),
        GARBAGE(DtlsDropReason.MALFORMED_HELLO, true),
        A_FIRST_FRAGMENT_THAT_NEVER_COMPLETES(null, false),
        DTLS_1_0_ONLY(DtlsDropReason.REFUSED_CLIENT_HELLO, true),
        NO_EXTENDED_MASTER_SECRET(DtlsDropReason.REFUSED_CLIENT_HELLO, false),
        NO_COMMON_SUITE(DtlsDropReason.REFUSED_CLIENT_HELLO, false);

        /** The drop it counts; with cookies on, the last two get a stateless HelloVerifyRequest instead. */
        final DtlsDropReason reason;
        final boolean countedWithCookies;

        BadHello(DtlsDropReason reason, boolean countedWithCookies) {
            this.reason = reason;
            this.countedWithCookies = countedWithCookies;
        }

        byte[] datagram() {
            byte[] good = Wire.goodClientHello((byte) 3);
            byte[] message = switch (this) {
                case TRUNCATED -> Wire.message(Wire.CLIENT_HELLO, 0, Arrays.copyOf(good, 20));
                case GARBAGE -> {
                    byte[] noise = new byte[good.length];
                    new SplittableRandom(5).nextBytes(noise);
                    noise[0] = (byte) 0xFE; // a DTLS 1.2 version, so only the rest is wrong
                    noise[1] = (byte) 0xFD;
                    noise[34] = (byte) 0xF0; // a session id longer than what follows
                    yield Wire.message(Wire.CLIENT_HELLO, 0, noise);
                }
                case A_FIRST_FRAGMENT_THAT_NEVER_COMPLETES -> Wire.fragment(Wire.CLIENT_HELLO, 3000, 0, 0, good);
                case DTLS_1_0_ONLY -> Wire.message(Wire.CLIENT_HELLO, 0,
                        Wire.clientHello(0xFEFF, (byte) 3, new byte[0], new int[] {0xC02B}, new int[] {29}, true));
                case NO_EXTENDED_MASTER_SECRET -> Wire.message(Wire.CLIENT_HELLO, 0,
                        Wire.clientHello(0xFEFD, (byte) 3, new byte[0], new int[] {0xC02B}, new int[] {29}, false));
                case NO_COMMON_SUITE -> Wire.message(Wire.CLIENT_HELLO, 0,
                        Wire.clientHello(0xFEFD, (byte) 3, new byte[0], new int[] {0x1301, 0x002F}, new int[] {29}, true));
            };
            return Wire.record(Wire.HANDSHAKE, 0, 0, message);
        }
    }

    static Stream<Arguments> badHellosWithAndWithoutCookies() {
        return Arrays.stream(BadHello.values()).flatMap(h -> Stream.of(Arguments.of(h, false), Arguments.of(h, true)));
    }

    @ParameterizedTest(name = "{0}, cookies {1}")
    @MethodSource("badHellosWithAndWithoutCookies")
    void aBadClientHelloBeforeTheRealOneNeitherFailsTheServerNorBlocksTheHandshake(BadHello bad, boolean cookies) {
        DtlsConfig config = DtlsConfig.defaults().withCookies(cookies);
        DtlsPair p = new DtlsPair(config, config, 12);
        p.server.handleReceive(0, STRANGER, bad.datagram());
        assertFalse(p.server.isDone(), "the server still waits for a ClientHello: " + p.server);
        assertNull(p.server.pollEvent());
        boolean answered = false;
        for (byte[] d; (d = p.server.pollTransmit()) != null; ) {
            answered = true; // a HelloVerifyRequest for the stranger at most: stateless, nothing kept
            assertEquals(Wire.HANDSHAKE, d[0] & 0xFF, "no alert: it would go to the ICE peer, not the stranger");
        }
        assertTrue(!answered || cookies, "without cookies a hello we cannot use gets no answer");
        if (bad.reason != null && (!cookies || bad.countedWithCookies)) {
            assertEquals(1, p.server.dropped(bad.reason));
        }
        p.client.start(0);
        p.exchange();
        assertTrue(p.client.isConnected() && p.server.isConnected(), "the real ClientHello still completes: " + p.serverEvents);
    }

    @Test
    void aStrangersClientHelloInTheMiddleOfTheHandshakeIsDropped() {
        DtlsConfig config = DtlsConfig.defaults().withCookies(false);
        DtlsPair p = new DtlsPair(config, config, 13);
        p.client.start(0);
        p.server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, p.client.pollTransmit());
        for (int seq = 1; seq < 4; seq++) {
            p.server.handleReceive(0, STRANGER, Wire.record(Wire.HANDSHAKE, 0, seq, Wire.message(Wire.CLIENT_HELLO, seq,
                    Wire.goodClientHello((byte) 9))));
        }
        assertFalse(p.server.isDone(), "no renegotiation, no failure");
        assertEquals(3, p.server.dropped(DtlsDropReason.UNEXPECTED));
        p.exchange();
        assertTrue(p.client.isConnected() && p.server.isConnected());
    }

    @Test
    void aClientThatHasNotStartedDropsWhatArrives() {
        DtlsPair p = new DtlsPair();
        p.client.handleReceive(0, STRANGER, Wire.record(Wire.HANDSHAKE, 0, 0, Wire.message(2, 0, new byte[40])));
        p.client.handleReceive(0, STRANGER, Wire.record(Wire.ALERT, 0, 1, Wire.alert(2, 40)));
        assertFalse(p.client.isDone(), "nothing to answer before start(): " + p.client);
        assertEquals(2, p.client.dropped(DtlsDropReason.UNEXPECTED));
        p.client.start(0);
        p.exchange();
        assertTrue(p.client.isConnected() && p.server.isConnected());
    }

    @Test
    void aClientDropsAMalformedFirstReplyAndTakesTheRealOne() {
        DtlsConfig config = DtlsConfig.defaults().withCookies(false);
        DtlsPair p = new DtlsPair(config, config, 14);
        p.client.start(0);
        byte[] truncated = new byte[10]; // a ServerHello that ends inside its random
        truncated[0] = (byte) 0xFE;
        truncated[1] = (byte) 0xFD;
        p.client.handleReceive(0, STRANGER, Wire.record(Wire.HANDSHAKE, 0, 0, Wire.message(2, 0, truncated)));
        assertFalse(p.client.isDone(), "" + p.client);
        assertEquals(1, p.client.dropped(DtlsDropReason.MALFORMED_HELLO));
        p.exchange();
        assertTrue(p.client.isConnected() && p.server.isConnected());
    }

    // ------------------------------------------------------------------ bounds

    @ParameterizedTest(name = "cookies {0}")
    @ValueSource(booleans = {false, true})
    void whatWaitsToBeSentDuringTheHandshakeIsBounded(boolean cookies) {
        DtlsEndpoint server = new DtlsEndpoint(DtlsConfig.defaults().withCookies(cookies), DtlsPair.SERVER_CERT, false,
                new java.security.SecureRandom(), new SplittableRandom(3));
        // nobody takes the server's datagrams (an Rtc holds them until ICE has a pair), and hellos keep coming
        for (int i = 0; i < 2000; i++) {
            InetSocketAddress from = new InetSocketAddress("10.9." + (i >> 8 & 0xFF) + "." + (i & 0xFF), 40000);
            server.handleReceive(i, from, Wire.record(Wire.HANDSHAKE, 0, i, Wire.message(Wire.CLIENT_HELLO, 0, Wire.goodClientHello((byte) i))));
        }
        long queued = 0;
        for (byte[] d; (d = server.pollTransmit()) != null; ) {
            queued += d.length;
        }
        assertTrue(queued > 0, "the server did answer");
        assertTrue(queued <= 16 * 1024, "at most 16 KiB wait to be sent during the handshake, not " + queued);
        assertTrue(server.discardedTransmits() > 0, "the oldest were discarded and counted");
    }

    // ------------------------------------------------------------------ fingerprints and secrets

    @Test
    void aSha1FingerprintIsRefused() {
        DtlsPair p = new DtlsPair();
        p.server.setRemoteFingerprint(Fingerprint.of("sha-1", DtlsPair.CLIENT_CERT.der())); // matches, but SHA-1
        p.client.start(0);
        p.exchange();
        assertNull(DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class), "no keys on a SHA-1 fingerprint");
        DtlsEvent.Failed failed = DtlsPair.find(p.serverEvents, DtlsEvent.Failed.class);
        assertNotNull(failed);
        assertTrue(failed.reason().contains("sha-1"), failed.reason());
    }

    @Test
    void handshakeSecretsAreGoneOnceTheKeysAreOut() {
        DtlsPair p = new DtlsPair();
        assertTrue(p.server.holdsHandshakeSecrets(), "the server's cookie secret, before any hello");
        p.client.start(0);
        p.exchange();
        assertTrue(p.client.isConnected() && p.server.isConnected());
        assertFalse(p.client.holdsHandshakeSecrets(), "master secret, ECDHE key: zeroed once Connected is out");
        assertFalse(p.server.holdsHandshakeSecrets(), "and the cookie secret too");
    }

    @Test
    void aHandshakeWaitingForTheFingerprintKeepsItsSecretsUntilItComes() {
        DtlsEndpoint client = new DtlsEndpoint(DtlsConfig.defaults(), DtlsPair.CLIENT_CERT, true, new java.security.SecureRandom(),
                new SplittableRandom(4));
        DtlsPair p = new DtlsPair();
        client.start(0);
        for (int round = 0; round < 10; round++) {
            for (byte[] d; (d = client.pollTransmit()) != null; ) {
                p.server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, d);
            }
            for (byte[] d; (d = p.server.pollTransmit()) != null; ) {
                client.handleReceive(0, DtlsPair.SERVER_ADDRESS, d);
            }
        }
        assertTrue(client.holdsHandshakeSecrets(), "the exporter still needs the master secret");
        client.setRemoteFingerprint(DtlsPair.SERVER_CERT.fingerprint());
        assertTrue(client.pollEvent() instanceof DtlsEvent.Connected);
        assertFalse(client.holdsHandshakeSecrets());
    }

    @Test
    void aFailedOrClosedEndpointHoldsNoSecrets() {
        DtlsPair failing = new DtlsPair();
        failing.client.setRemoteFingerprint(DtlsPair.CLIENT_CERT.fingerprint()); // wrong: the server's certificate will not match
        failing.client.start(0);
        failing.exchange();
        assertTrue(failing.client.isDone() && failing.server.isDone());
        assertFalse(failing.client.holdsHandshakeSecrets());
        assertFalse(failing.server.holdsHandshakeSecrets());

        DtlsPair closing = new DtlsPair();
        closing.client.start(0);
        closing.server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, closing.client.pollTransmit());
        closing.server.close(); // in the middle of the handshake
        assertFalse(closing.server.holdsHandshakeSecrets());
    }
}
