package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.crypto.srtp.SrtpProfile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two eddy endpoints handshake: every suite and group, keys agree, data flows, the fingerprint rules. */
class DtlsHandshakeTest {

    @Test
    void handshakeWithCookieExportsMatchingSrtpKeysAndCarriesData() {
        DtlsPair p = new DtlsPair();
        p.client.start(0);
        p.exchange();
        assertTrue(p.client.isConnected(), "client connected: " + p.clientEvents);
        assertTrue(p.server.isConnected(), "server connected: " + p.serverEvents);
        DtlsEvent.Connected c = DtlsPair.find(p.clientEvents, DtlsEvent.Connected.class);
        DtlsEvent.Connected s = DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class);
        assertEquals(SrtpProfile.AEAD_AES_256_GCM, c.srtp().profile(), "the first profile of eddy's preference");
        assertEquals(DtlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, c.cipherSuite());
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
    @EnumSource(DtlsCipherSuite.class)
    void everyCipherSuite(DtlsCipherSuite suite) {
        DtlsConfig only = DtlsConfig.defaults().withCipherSuites(List.of(suite));
        DtlsPair p = new DtlsPair(only, DtlsConfig.defaults(), 2);
        p.client.start(0);
        p.exchange();
        assertEquals(suite, DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class).cipherSuite());
        p.client.send(0, new byte[] {1, 2, 3}, 0, 3);
        p.exchange();
        assertArrayEquals(new byte[] {1, 2, 3}, DtlsPair.find(p.serverEvents, DtlsEvent.ApplicationData.class).data());
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> suitesTimesGroups() {
        return java.util.Arrays.stream(DtlsCipherSuite.values()).flatMap(s -> java.util.Arrays.stream(NamedGroup.values())
                .map(g -> org.junit.jupiter.params.provider.Arguments.of(s, g)));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("suitesTimesGroups")
    void everySuiteWithEveryGroup(DtlsCipherSuite suite, NamedGroup group) {
        DtlsPair p = new DtlsPair(DtlsConfig.defaults().withCipherSuites(List.of(suite)).withGroups(List.of(group)),
                DtlsConfig.defaults(), 5);
        p.client.start(0);
        p.exchange();
        DtlsEvent.Connected c = DtlsPair.find(p.clientEvents, DtlsEvent.Connected.class);
        DtlsEvent.Connected s = DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class);
        assertEquals(suite, c.cipherSuite());
        assertArrayEquals(c.srtp().localKey(), s.srtp().remoteKey(), suite + " with " + group);
        p.server.send(0, new byte[] {7}, 0, 1);
        p.exchange();
        assertArrayEquals(new byte[] {7}, DtlsPair.find(p.clientEvents, DtlsEvent.ApplicationData.class).data());
    }

    @ParameterizedTest
    @EnumSource(NamedGroup.class)
    void everyGroup(NamedGroup group) {
        DtlsPair p = new DtlsPair(DtlsConfig.defaults().withGroups(List.of(group)), DtlsConfig.defaults(), 3);
        p.client.start(0);
        p.exchange();
        assertTrue(p.client.isConnected() && p.server.isConnected(), group + ": " + p.clientEvents + p.serverEvents);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everySrtpProfileTheClientInsistsOn(SrtpProfile profile) {
        DtlsPair p = new DtlsPair(DtlsConfig.defaults().withSrtpProfiles(List.of(profile)), DtlsConfig.defaults()
                .withSrtpProfiles(List.of(SrtpProfile.values())), 4);
        p.client.start(0);
        p.exchange();
        assertEquals(profile, DtlsPair.find(p.clientEvents, DtlsEvent.Connected.class).srtp().profile());
    }

    @Test
    void aCertificateThatDoesNotMatchTheFingerprintEndsTheHandshakeWithoutKeys() {
        DtlsPair p = new DtlsPair();
        p.client.setRemoteFingerprint(DtlsPair.CLIENT_CERT.fingerprint()); // wrong: that is the client's own
        p.client.start(0);
        p.exchange();
        assertNull(DtlsPair.find(p.clientEvents, DtlsEvent.Connected.class));
        assertNull(DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class), "the server never finishes either");
        assertTrue(DtlsPair.find(p.clientEvents, DtlsEvent.Failed.class).reason().contains("fingerprint"));
        assertNotNull(DtlsPair.find(p.serverEvents, DtlsEvent.Failed.class), "the server got our alert");
    }

    @Test
    void keysWaitForAFingerprintSignalledLate() {
        DtlsEndpoint lateServer = new DtlsEndpoint(DtlsConfig.defaults(), DtlsPair.SERVER_CERT, false,
                new java.security.SecureRandom(), new java.util.SplittableRandom(9));
        DtlsPair q = new DtlsPair();
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
