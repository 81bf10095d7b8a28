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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a stranger (or a peer turned hostile) can send, and what it must not achieve: after the handshake
 * nothing unauthenticated is acted on; a forged Finished is refused; a bad ClientHello before the real one
 * neither fails the server nor blocks the real handshake; what we queue and buffer stays bounded.
 */
class DtlsHostilePeerTest {
    static final InetSocketAddress STRANGER = new InetSocketAddress("10.9.9.9", 40000);

    static DtlsPair connectedPair(DtlsVersion version) {
        DtlsPair p = new DtlsPair(version).connect();
        assertTrue(p.client.isConnected() && p.server.isConnected(), "the pair connects");
        p.clientEvents.clear();
        p.serverEvents.clear();
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
        for (DtlsVersion version : DtlsVersion.values()) {
            for (String side : List.of("client", "server")) {
                // the 15 bytes that ended a live call: a plaintext close_notify
                cases.add(Arguments.of("close_notify", side, version, Wire.record(Wire.ALERT, 0, 99, Wire.alert(1, 0)), 1));
                cases.add(Arguments.of("a fatal alert", side, version, Wire.record(Wire.ALERT, 0, 100, Wire.alert(2, 40)), 1));
                cases.add(Arguments.of("ClientHellos at message_seq 0..9", side, version, Wire.concat(clientHellos), 10));
                cases.add(Arguments.of("Finished at message_seq 0..9", side, version, Wire.concat(finisheds), 10));
                cases.add(Arguments.of("ChangeCipherSpec", side, version, Wire.record(Wire.CHANGE_CIPHER_SPEC, 0, 101, new byte[] {1}), 1));
                cases.add(Arguments.of("an ACK", side, version, Wire.record(26, 0, 102, new byte[] {0, 16, 0, 0, 0, 0, 0, 0, 0, 3,
                        0, 0, 0, 0, 0, 0, 0, 0}), 1));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} to the {1} in {2}")
    @MethodSource("plaintextAfterTheHandshake")
    void plaintextRecordsAfterTheHandshakeAreDroppedAndCountedNeverActedOn(String what, String side, DtlsVersion version, byte[] datagram,
                                                                          int records) {
        DtlsPair p = connectedPair(version);
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
        DtlsPair p = connectedPair(DtlsVersion.DTLS_1_2);
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

    /**
     * DTLS 1.3 after the handshake: the authenticated peer's post-handshake messages go on (message_seq does
     * not reset), so they are reassembled, within the same limits; a ClientHello or a message eddy does not
     * take is dropped, unfinished ones are held only up to the budget, and the connection carries on.
     */
    @Test
    void protectedPostHandshakeMessagesIn13AreBoundedAndNeverActedOn() {
        DtlsPair p = connectedPair(DtlsVersion.DTLS_1_3);
        int next = 3; // the client sent ClientHello, Certificate, CertificateVerify, Finished: 0..3, so 4 is next
        for (int seq = 0; seq < 20; seq++) {
            byte[] hello = p.client.sealRecord(Wire.HANDSHAKE, Wire.message(Wire.CLIENT_HELLO, next + 1 + seq, Wire.goodClientHello13((byte) 1)));
            byte[] part = p.client.sealRecord(Wire.HANDSHAKE, Wire.fragment(Wire.CERTIFICATE, 16_000, next + 1 + seq, 0, new byte[1000]));
            p.server.handleReceive(p.now, DtlsPair.CLIENT_ADDRESS, Wire.concat(List.of(hello, part)));
            p.server.handleTimeout(p.now);
        }
        assertTrue(p.server.isConnected(), "no renegotiation, no failure: " + p.server);
        assertTrue(p.server.bufferedHandshakeBytes() <= DtlsConfig.defaults().maxBufferedBytes(), "within the reassembly budget");
        assertTrue(p.server.dropped(DtlsDropReason.UNEXPECTED) >= 1, "the ClientHello that completed was dropped, not answered");
        while (p.server.pollTransmit() != null) {
            // ACKs for what was buffered
        }
        assertDataStillFlows(p);
    }

    @Test
    void aProtectedRecordWhoseHeaderNoLongerSaysDtls12IsDropped() {
        DtlsPair p = connectedPair(DtlsVersion.DTLS_1_2);
        byte[] record = p.client.sealRecord(Wire.APPLICATION_DATA, new byte[] {42});
        record[2] = (byte) 0xFF; // DTLS 1.0 in the header: the additional data must cover the version read
        p.server.handleReceive(p.now, DtlsPair.CLIENT_ADDRESS, record);
        assertNull(p.server.pollEvent(), "not delivered");
        assertEquals(1, p.server.dropped(DtlsDropReason.BAD_VERSION));
        assertDataStillFlows(p);
    }

    /** A 1.3 record whose unified header was changed: another epoch, a cut length, a flipped sequence bit. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void aChanged13RecordHeaderIsDropped(int change) {
        DtlsPair p = connectedPair(DtlsVersion.DTLS_1_3);
        byte[] record = p.client.sealRecord(Wire.APPLICATION_DATA, new byte[] {42, 43, 44});
        switch (change) {
            case 0 -> record[0] ^= 0x01;                  // epoch bits: 3 becomes 2, whose keys do not open it
            case 1 -> record[4] -= 1;                      // the length one short: the tag is cut
            case 2 -> record[2] ^= 0x01;                   // the (masked) sequence number: the nonce and the header change
            default -> record[0] |= 0x10;                  // a connection ID eddy never negotiated
        }
        p.server.handleReceive(p.now, DtlsPair.CLIENT_ADDRESS, record);
        assertNull(p.server.pollEvent(), "not delivered");
        assertTrue(p.server.droppedTotal() >= 1, "dropped and counted (a cut length leaves a byte that is no record either)");
        assertTrue(p.server.isConnected());
        assertDataStillFlows(p);
    }

    /** Every suite eddy's ECDSA certificates can use, in each version. */
    static Stream<DtlsCipherSuite> ecdsaSuites() {
        return Arrays.stream(DtlsCipherSuite.values()).filter(s -> !"RSA".equals(s.serverKey()));
    }

    /** The same record twice in a row (a duplicated datagram): its sequence number mask is computed twice, then it is dropped. */
    @ParameterizedTest
    @MethodSource("ecdsaSuites")
    void aReplayedProtectedRecordIsDropped(DtlsCipherSuite suite) {
        DtlsConfig config = DtlsPair.only(suite.version()).withCipherSuites(List.of(suite));
        DtlsPair p = new DtlsPair(config, config, 1).connect();
        assertTrue(p.client.isConnected() && p.server.isConnected(), suite + " connects");
        p.serverEvents.clear();
        byte[] record = p.client.sealRecord(Wire.APPLICATION_DATA, new byte[] {42});
        p.server.handleReceive(p.now, DtlsPair.CLIENT_ADDRESS, record);
        p.server.handleReceive(p.now, DtlsPair.CLIENT_ADDRESS, record);
        assertTrue(p.server.pollEvent() instanceof DtlsEvent.ApplicationData);
        assertNull(p.server.pollEvent(), "delivered once");
        assertEquals(1, p.server.dropped(DtlsDropReason.REPLAYED_RECORD));
    }

    /** ACKs from the authenticated 1.3 peer that make no sense (malformed, naming later epochs, unknown records) change nothing. */
    @Test
    void nonsensicalAcksAreDropped() {
        DtlsPair p = connectedPair(DtlsVersion.DTLS_1_3);
        byte[][] acks = {
                {0, 5, 1, 2, 3, 4, 5},                                                   // a length that is no list of records
                {0, 16, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0},                  // epoch 9, beyond the ACK's own
                {0, 16, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0x7F, 0},              // a record we never sent
                {}};
        for (byte[] ack : acks) {
            p.server.handleReceive(p.now, DtlsPair.CLIENT_ADDRESS, p.client.sealRecord(26, ack));
        }
        assertTrue(p.server.isConnected());
        assertTrue(p.server.dropped(DtlsDropReason.UNEXPECTED) >= 3, "counted: " + p.server.dropped(DtlsDropReason.UNEXPECTED));
        assertDataStillFlows(p);
    }

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void aProtectedCloseNotifyFromThePeerStillCloses(DtlsVersion version) {
        DtlsPair p = connectedPair(version);
        p.server.handleReceive(p.now, DtlsPair.CLIENT_ADDRESS, p.client.sealRecord(Wire.ALERT, Wire.alert(1, 0)));
        assertTrue(p.server.pollEvent() instanceof DtlsEvent.Closed);
        assertTrue(p.server.isDone());
    }

    // ------------------------------------------------------------------ during the handshake

    @Test
    void aFinishedInAPlaintextRecordIsRefusedAndTheRealOneStillCompletes() {
        DtlsConfig v12 = DtlsPair.only(DtlsVersion.DTLS_1_2).withCookies(false);
        DtlsPair p = new DtlsPair(v12, v12, 11);
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

    /** In 1.3 a forged plaintext Finished before the client's real, protected flight is refused. */
    @Test
    void aFinishedInAPlaintextRecordIsRefusedIn13() {
        DtlsConfig v13 = DtlsPair.only(DtlsVersion.DTLS_1_3).withCookies(false);
        DtlsPair p = new DtlsPair(v13, v13, 11);
        p.client.start(0);
        for (byte[] d; (d = p.client.pollTransmit()) != null; ) {
            p.server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, d); // the hello
        }
        for (int seq = 1; seq < 4; seq++) { // the client's Finished could be any of these
            p.server.handleReceive(0, STRANGER, Wire.record(Wire.HANDSHAKE, 0, 50 + seq, Wire.message(Wire.FINISHED, seq, new byte[32])));
        }
        assertEquals(3, p.server.dropped(DtlsDropReason.UNPROTECTED_FINISHED));
        p.exchange();
        assertTrue(p.server.isConnected() && p.client.isConnected(), "the real, protected Finished completed the handshake");
    }

    /** DTLS 1.3 ClientHellos a stranger sends before the real client does: dropped, nothing kept, no alert. */
    enum BadHello13 {
        A_LEGACY_COOKIE(Wire.clientHello13((byte) 3, new byte[] {1, 2, 3}, new int[] {29}, 32, null)),
        A_COOKIE_WE_NEVER_MADE(Wire.clientHello13((byte) 3, new byte[0], new int[] {29}, 32, new byte[60])),
        A_SHORT_HYBRID_SHARE(Wire.clientHello13((byte) 3, new byte[0], new int[] {0x11EC}, 100, null)),
        A_LOW_ORDER_X25519_SHARE(Wire.clientHello13((byte) -1, new byte[0], new int[] {29}, 32, null));

        final byte[] body;

        BadHello13(byte[] body) {
            this.body = body;
        }
    }

    @ParameterizedTest
    @EnumSource(BadHello13.class)
    void aBad13ClientHelloBeforeTheRealOneIsDropped(BadHello13 bad) {
        DtlsConfig config = DtlsConfig.defaults().withCookies(false);
        DtlsPair p = new DtlsPair(config, config, 12);
        p.server.handleReceive(0, STRANGER, Wire.record(Wire.HANDSHAKE, 0, 0, Wire.message(Wire.CLIENT_HELLO, 0, bad.body)));
        assertFalse(p.server.isDone(), "the server still waits for a ClientHello: " + p.server);
        assertNull(p.server.pollTransmit(), "no answer, no alert");
        assertEquals(1, p.server.dropped(DtlsDropReason.REFUSED_CLIENT_HELLO));
        p.connect();
        assertTrue(p.client.isConnected() && p.server.isConnected(), "the real ClientHello still completes");
        assertEquals(DtlsVersion.DTLS_1_3, p.server.version());
    }

    /** A stranger's 1.3 hello gets a stateless HelloRetryRequest (cookies on); its cookie is no good from another address. */
    @Test
    void aCookieIsBoundToTheAddressItWasMadeFor() {
        DtlsPair p = new DtlsPair(DtlsConfig.defaults(), DtlsConfig.defaults(), 15);
        p.server.handleReceive(0, STRANGER, Wire.record(Wire.HANDSHAKE, 0, 0, Wire.message(Wire.CLIENT_HELLO, 0,
                Wire.goodClientHello13((byte) 5))));
        byte[] retry = p.server.pollTransmit();
        assertNotNull(retry, "a HelloRetryRequest");
        assertEquals(2, retry[13], "a ServerHello-type message (the retry)");
        assertNull(p.server.pollTransmit(), "one datagram, nothing kept");
        byte[] cookie = cookieOf(retry);
        // the same hello with that cookie, from the real client's address: not the stranger's cookie
        p.server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, Wire.record(Wire.HANDSHAKE, 0, 1, Wire.message(Wire.CLIENT_HELLO, 1,
                Wire.clientHello13((byte) 5, new byte[0], new int[] {29}, 32, cookie))));
        assertNull(p.server.pollTransmit(), "no ServerHello for a cookie from elsewhere");
        assertEquals(1, p.server.dropped(DtlsDropReason.REFUSED_CLIENT_HELLO));
        p.connect();
        assertTrue(p.client.isConnected() && p.server.isConnected());
    }

    /** The cookie extension of the HelloRetryRequest in the first record of {@code datagram}. */
    static byte[] cookieOf(byte[] datagram) {
        int at = 13 + 12 + 2 + 32;
        at += 1 + datagram[at];                      // session id
        at += 3;                                     // suite, compression
        int end = at + 2 + ((datagram[at] & 0xFF) << 8 | (datagram[at + 1] & 0xFF));
        at += 2;
        while (at < end) {
            int type = (datagram[at] & 0xFF) << 8 | (datagram[at + 1] & 0xFF);
            int length = (datagram[at + 2] & 0xFF) << 8 | (datagram[at + 3] & 0xFF);
            if (type == 44) {
                return Arrays.copyOfRange(datagram, at + 6, at + 4 + length);
            }
            at += 4 + length;
        }
        throw new AssertionError("no cookie");
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

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void aStrangersClientHelloInTheMiddleOfTheHandshakeIsDropped(DtlsVersion version) {
        DtlsConfig config = DtlsPair.only(version).withCookies(false);
        DtlsPair p = new DtlsPair(config, config, 13);
        p.client.start(0);
        for (byte[] d; (d = p.client.pollTransmit()) != null; ) {
            p.server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, d);
        }
        for (int seq = 1; seq < 4; seq++) {
            p.server.handleReceive(0, STRANGER, Wire.record(Wire.HANDSHAKE, 0, seq, Wire.message(Wire.CLIENT_HELLO, seq,
                    version == DtlsVersion.DTLS_1_3 ? Wire.goodClientHello13((byte) 9) : Wire.goodClientHello((byte) 9))));
        }
        assertFalse(p.server.isDone(), "no renegotiation, no failure");
        assertEquals(3, p.server.dropped(DtlsDropReason.UNEXPECTED));
        p.exchange();
        assertTrue(p.client.isConnected() && p.server.isConnected());
    }

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void aClientThatHasNotStartedDropsWhatArrives(DtlsVersion version) {
        DtlsPair p = new DtlsPair(version);
        p.client.handleReceive(0, STRANGER, Wire.record(Wire.HANDSHAKE, 0, 0, Wire.message(2, 0, new byte[40])));
        p.client.handleReceive(0, STRANGER, Wire.record(Wire.ALERT, 0, 1, Wire.alert(2, 40)));
        assertFalse(p.client.isDone(), "nothing to answer before start(): " + p.client);
        assertEquals(2, p.client.dropped(DtlsDropReason.UNEXPECTED));
        p.client.start(0);
        p.exchange();
        assertTrue(p.client.isConnected() && p.server.isConnected());
    }

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void aClientDropsAMalformedFirstReplyAndTakesTheRealOne(DtlsVersion version) {
        DtlsConfig config = DtlsPair.only(version).withCookies(false);
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

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void aSha1FingerprintIsRefused(DtlsVersion version) {
        DtlsPair p = new DtlsPair(version);
        p.server.setRemoteFingerprint(Fingerprint.of("sha-1", DtlsPair.CLIENT_CERT.der())); // matches, but SHA-1
        p.client.start(0);
        p.exchange();
        assertNull(DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class), "no keys on a SHA-1 fingerprint");
        DtlsEvent.Failed failed = DtlsPair.find(p.serverEvents, DtlsEvent.Failed.class);
        assertNotNull(failed);
        assertTrue(failed.reason().contains("sha-1"), failed.reason());
    }

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void handshakeSecretsAreGoneOnceTheKeysAreOut(DtlsVersion version) {
        DtlsPair p = new DtlsPair(version);
        assertFalse(p.server.holdsHandshakeSecrets(), "no cookie secret is drawn before a cookie is needed");
        p.client.start(0);
        for (byte[] d; (d = p.client.pollTransmit()) != null; ) {
            p.server.handleReceive(p.now, DtlsPair.CLIENT_ADDRESS, d);
        }
        assertTrue(p.server.holdsHandshakeSecrets(), "the server's cookie secret, once it answered a hello with a cookie");
        p.exchange();
        assertTrue(p.client.isConnected() && p.server.isConnected());
        assertFalse(p.client.holdsHandshakeSecrets(), "master secret, ECDHE key: zeroed once Connected is out");
        assertFalse(p.server.holdsHandshakeSecrets(), "and the cookie secret too");
    }

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void aHandshakeWaitingForTheFingerprintKeepsItsSecretsUntilItComes(DtlsVersion version) {
        DtlsEndpoint client = new DtlsEndpoint(DtlsPair.only(version), DtlsPair.CLIENT_CERT, true, new java.security.SecureRandom(),
                new SplittableRandom(4));
        DtlsPair p = new DtlsPair(version);
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

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void aFailedOrClosedEndpointHoldsNoSecrets(DtlsVersion version) {
        DtlsPair failing = new DtlsPair(version);
        failing.client.setRemoteFingerprint(DtlsPair.CLIENT_CERT.fingerprint()); // wrong: the server's certificate will not match
        failing.client.start(0);
        failing.exchange();
        assertTrue(failing.client.isDone() && failing.server.isDone());
        assertFalse(failing.client.holdsHandshakeSecrets());
        assertFalse(failing.server.holdsHandshakeSecrets());

        DtlsPair closing = new DtlsPair(version);
        closing.client.start(0);
        closing.server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, closing.client.pollTransmit());
        closing.server.close(); // in the middle of the handshake
        assertFalse(closing.server.holdsHandshakeSecrets());
    }
}
