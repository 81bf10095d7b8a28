package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.crypto.srtp.SrtpProfile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two eddy endpoints handshake in either version: every suite and group, keys agree, data flows, the
 * fingerprint rules; the version negotiation between a dual-version endpoint and one that speaks only
 * 1.2 or only 1.3, and the downgrade sentinel that catches a hello stripped of 1.3.
 */
class DtlsHandshakeTest {

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void handshakeWithCookieExportsMatchingSrtpKeysAndCarriesData(DtlsVersion version) {
        DtlsPair p = new DtlsPair(version).connect();
        assertTrue(p.client.isConnected(), "client connected: " + p.clientEvents);
        assertTrue(p.server.isConnected(), "server connected: " + p.serverEvents);
        DtlsEvent.Connected c = DtlsPair.find(p.clientEvents, DtlsEvent.Connected.class);
        DtlsEvent.Connected s = DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class);
        assertEquals(version, c.version());
        assertEquals(version, s.version());
        assertEquals(SrtpProfile.AEAD_AES_256_GCM, c.srtp().profile(), "the first profile of eddy's preference");
        assertEquals(version == DtlsVersion.DTLS_1_3 ? DtlsCipherSuite.TLS_AES_128_GCM_SHA256
                : DtlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, c.cipherSuite());
        assertEquals(version == DtlsVersion.DTLS_1_3 ? NamedGroup.X25519MLKEM768 : NamedGroup.X25519, c.group());
        assertEquals(c.group(), s.group());
        assertArrayEquals(c.srtp().localKey(), s.srtp().remoteKey(), "client's send key is the server's receive key");
        assertArrayEquals(c.srtp().remoteSalt(), s.srtp().localSalt());
        assertEquals(DtlsPair.SERVER_CERT.fingerprint(), c.peerFingerprint());
        p.client.send(p.now, "hello".getBytes(StandardCharsets.UTF_8), 0, 5);
        p.server.send(p.now, "world!".getBytes(StandardCharsets.UTF_8), 0, 6);
        p.exchange();
        assertEquals("hello", new String(DtlsPair.find(p.serverEvents, DtlsEvent.ApplicationData.class).data(), StandardCharsets.UTF_8));
        assertEquals("world!", new String(DtlsPair.find(p.clientEvents, DtlsEvent.ApplicationData.class).data(), StandardCharsets.UTF_8));
        assertEquals(0, p.client.droppedTotal() + p.server.droppedTotal());
    }

    @ParameterizedTest
    @EnumSource(value = DtlsCipherSuite.class, names = ".*ECDSA.*|TLS_AES.*|TLS_CHACHA.*", mode = EnumSource.Mode.MATCH_ANY)
    void everyCipherSuite(DtlsCipherSuite suite) {
        DtlsConfig only = DtlsPair.only(suite.version()).withCipherSuites(List.of(suite));
        DtlsPair p = new DtlsPair(only, DtlsConfig.defaults(), 2).connect();
        assertEquals(suite, DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class).cipherSuite());
        p.client.send(0, new byte[] {1, 2, 3}, 0, 3);
        p.exchange();
        assertArrayEquals(new byte[] {1, 2, 3}, DtlsPair.find(p.serverEvents, DtlsEvent.ApplicationData.class).data());
    }

    /** Every suite eddy answers with, with every group its version can carry. */
    static Stream<Arguments> suitesTimesGroups() {
        return Arrays.stream(DtlsCipherSuite.values()).filter(s -> !"RSA".equals(s.serverKey()))
                .flatMap(s -> Arrays.stream(NamedGroup.values()).filter(g -> s.version() == DtlsVersion.DTLS_1_3 || g.inDtls12())
                        .map(g -> Arguments.of(s, g)));
    }

    @ParameterizedTest
    @MethodSource("suitesTimesGroups")
    void everySuiteWithEveryGroup(DtlsCipherSuite suite, NamedGroup group) {
        DtlsPair p = new DtlsPair(DtlsPair.only(suite.version()).withCipherSuites(List.of(suite)).withGroups(List.of(group)),
                DtlsConfig.defaults(), 5).connect();
        DtlsEvent.Connected c = DtlsPair.find(p.clientEvents, DtlsEvent.Connected.class);
        DtlsEvent.Connected s = DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class);
        assertEquals(suite, c.cipherSuite());
        assertEquals(group, s.group());
        assertArrayEquals(c.srtp().localKey(), s.srtp().remoteKey(), suite + " with " + group);
        p.server.send(0, new byte[] {7}, 0, 1);
        p.exchange();
        assertArrayEquals(new byte[] {7}, DtlsPair.find(p.clientEvents, DtlsEvent.ApplicationData.class).data());
    }

    static Stream<Arguments> profilesTimesVersions() {
        return Arrays.stream(SrtpProfile.values()).flatMap(p -> Arrays.stream(DtlsVersion.values()).map(v -> Arguments.of(p, v)));
    }

    @ParameterizedTest
    @MethodSource("profilesTimesVersions")
    void everySrtpProfileTheClientInsistsOn(SrtpProfile profile, DtlsVersion version) {
        DtlsPair p = new DtlsPair(DtlsPair.only(version).withSrtpProfiles(List.of(profile)), DtlsConfig.defaults()
                .withSrtpProfiles(List.of(SrtpProfile.values())), 4).connect();
        DtlsEvent.Connected c = DtlsPair.find(p.clientEvents, DtlsEvent.Connected.class);
        assertEquals(profile, c.srtp().profile());
        assertArrayEquals(c.srtp().localKey(), DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class).srtp().remoteKey());
    }

    // ------------------------------------------------------------------ version negotiation

    /** What two configurations agree on: both 1.3 if both speak it, 1.2 if either speaks only that. */
    static Stream<Arguments> versionPairs() {
        DtlsConfig both = DtlsConfig.defaults();
        DtlsConfig v12 = DtlsPair.only(DtlsVersion.DTLS_1_2);
        DtlsConfig v13 = DtlsPair.only(DtlsVersion.DTLS_1_3);
        return Stream.of(
                Arguments.of("default client, 1.2-only server", both, v12, DtlsVersion.DTLS_1_2),
                Arguments.of("1.2-only client, default server", v12, both, DtlsVersion.DTLS_1_2),
                Arguments.of("default client, 1.3-only server", both, v13, DtlsVersion.DTLS_1_3),
                Arguments.of("1.3-only client, default server", v13, both, DtlsVersion.DTLS_1_3),
                Arguments.of("default both, no cookies", both.withCookies(false), both.withCookies(false), DtlsVersion.DTLS_1_3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versionPairs")
    void aPeerThatSpeaksOneVersionAgainstTheDefault(String name, DtlsConfig client, DtlsConfig server, DtlsVersion expected) {
        DtlsPair p = new DtlsPair(client, server, 6).connect();
        assertTrue(p.client.isConnected() && p.server.isConnected(), name + ": " + p.clientEvents + p.serverEvents);
        assertEquals(expected, p.client.version());
        assertEquals(expected, p.server.version());
        DtlsEvent.Connected c = DtlsPair.find(p.clientEvents, DtlsEvent.Connected.class);
        assertArrayEquals(c.srtp().localKey(), DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class).srtp().remoteKey());
        assertEquals(0, p.client.droppedTotal() + p.server.droppedTotal(), name);
    }

    @Test
    void a13OnlyAndA12OnlyEndpointDoNotConnectAndSaySo() {
        DtlsPair clientOn13 = new DtlsPair(DtlsPair.only(DtlsVersion.DTLS_1_3).withCookies(false),
                DtlsPair.only(DtlsVersion.DTLS_1_2).withCookies(false), 7).connect();
        assertFalse(clientOn13.server.isConnected());
        assertEquals(1, clientOn13.server.dropped(DtlsDropReason.REFUSED_CLIENT_HELLO), "a 1.2 server finds nothing it takes");
        DtlsPair clientOn12 = new DtlsPair(DtlsPair.only(DtlsVersion.DTLS_1_2).withCookies(false),
                DtlsPair.only(DtlsVersion.DTLS_1_3).withCookies(false), 8).connect();
        assertFalse(clientOn12.server.isConnected());
        assertEquals(1, clientOn12.server.dropped(DtlsDropReason.REFUSED_CLIENT_HELLO), "a 1.3-only server refuses a 1.2 hello");
    }

    /**
     * Someone between the two takes 1.3 out of the client's hello (supported_versions and the 1.3 suites
     * removed): the dual-version server answers in 1.2 with the downgrade sentinel in its random, and the
     * client, which offered 1.3, fails the handshake instead of going on in 1.2.
     */
    @Test
    void aHelloStrippedOf13IsCaughtByTheDowngradeSentinel() {
        DtlsPair p = new DtlsPair(DtlsConfig.defaults().withCookies(false), DtlsConfig.defaults().withCookies(false), 9);
        p.client.start(0);
        byte[] stripped = Wire.record(Wire.HANDSHAKE, 0, 0, Wire.message(Wire.CLIENT_HELLO, 0,
                Wire.clientHello(0xFEFD, (byte) 4, new byte[0], new int[] {0xC02B}, new int[] {29}, true)));
        while (p.client.pollTransmit() != null) {
            // the client's real hello never arrives: the attacker sends the stripped one instead
        }
        p.server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, stripped);
        byte[] answer = p.server.pollTransmit();
        assertNotNull(answer, "the server answered in 1.2");
        int random = 13 + 12 + 2;
        assertArrayEquals(new byte[] {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01},
                Arrays.copyOfRange(answer, random + 24, random + 32), "DOWNGRD and 01 end the server's random");
        // the real client sees a 1.2 answer to its hello (the attacker rewrote it): the sentinel fails it
        p.client.handleReceive(0, DtlsPair.SERVER_ADDRESS, answer);
        p.drain();
        DtlsEvent.Failed failed = DtlsPair.find(p.clientEvents, DtlsEvent.Failed.class);
        assertNotNull(failed, "the client does not go on in 1.2");
        assertTrue(failed.reason().contains("downgrade"), failed.reason());
    }

    @Test
    void keyUpdateIsRefusedOnA12ConnectionWithAMessageThatSaysWhy() {
        DtlsPair p = new DtlsPair(DtlsVersion.DTLS_1_2).connect();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.client.updateKeys(0, true));
        assertTrue(e.getMessage().contains("DTLS 1.2"), e.getMessage());
    }

    // ------------------------------------------------------------------ fingerprints

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void aCertificateThatDoesNotMatchTheFingerprintEndsTheHandshakeWithoutKeys(DtlsVersion version) {
        DtlsPair p = new DtlsPair(version);
        p.client.setRemoteFingerprint(DtlsPair.CLIENT_CERT.fingerprint()); // wrong: that is the client's own
        p.connect();
        assertNull(DtlsPair.find(p.clientEvents, DtlsEvent.Connected.class));
        assertNull(DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class), "the server never finishes either");
        assertTrue(DtlsPair.find(p.clientEvents, DtlsEvent.Failed.class).reason().contains("fingerprint"));
        assertNotNull(DtlsPair.find(p.serverEvents, DtlsEvent.Failed.class), "the server got our alert");
    }

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void keysWaitForAFingerprintSignalledLate(DtlsVersion version) {
        DtlsEndpoint lateServer = new DtlsEndpoint(DtlsPair.only(version), DtlsPair.SERVER_CERT, false,
                new java.security.SecureRandom(), new java.util.SplittableRandom(9));
        DtlsPair q = new DtlsPair(version);
        q.client.start(0);
        // run the handshake against a server that has no fingerprint yet
        for (int round = 0; round < 10; round++) {
            for (byte[] d; (d = q.client.pollTransmit()) != null; ) {
                lateServer.handleReceive(0, DtlsPair.CLIENT_ADDRESS, d);
            }
            for (byte[] d; (d = lateServer.pollTransmit()) != null; ) {
                q.client.handleReceive(0, DtlsPair.SERVER_ADDRESS, d);
            }
        }
        assertTrue(q.client.isConnected());
        assertNull(lateServer.pollEvent(), "no Connected (no keys) before the fingerprint is known");
        lateServer.setRemoteFingerprint(DtlsPair.CLIENT_CERT.fingerprint());
        assertTrue(lateServer.pollEvent() instanceof DtlsEvent.Connected);
    }
}
