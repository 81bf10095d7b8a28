package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.crypto.dtls.internal.Dtls;
import io.eddyrtc.crypto.srtp.SrtpProfile;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A real ClientHello from Chromium 156 (two fragments, DTLS 1.3 and 1.2 offered, a post-quantum hybrid key
 * share; see fixtures/chromium-client-hello/README.md for how it was captured): eddy's default server answers
 * with a DTLS 1.3 ServerHello choosing TLS_AES_128_GCM_SHA256 and X25519MLKEM768; one configured for 1.2
 * alone with a DTLS 1.2 ServerHello choosing AES-128-GCM, X25519 and use_srtp.
 */
class ChromiumClientHelloTest {
    static final InetSocketAddress CHROMIUM = new InetSocketAddress("127.0.0.1", 53000);

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = ChromiumClientHelloTest.class.getResourceAsStream("/fixtures/chromium-client-hello/" + name)) {
            assertNotNull(in, "fixture " + name + " is on the test classpath");
            return in.readAllBytes();
        }
    }

    @Test
    void theDefaultServerAnswersChromiumInDtls13WithThePostQuantumHybrid() throws IOException {
        DtlsEndpoint server = new DtlsEndpoint(DtlsConfig.defaults().withCookies(false), DtlsPair.SERVER_CERT, false,
                new SecureRandom(), new SplittableRandom(1));
        server.handleReceive(0, CHROMIUM, fixture("client-hello-1.bin"));
        assertNull(server.pollTransmit(), "nothing before the second fragment completes the 1413-byte hello");
        server.handleReceive(0, CHROMIUM, fixture("client-hello-2.bin"));
        byte[] flight = server.pollTransmit();
        assertNotNull(flight, "the server answered: " + server.pollEvent());
        assertEquals(0, server.droppedTotal());
        assertEquals(Dtls.HANDSHAKE, flight[0]);
        assertEquals(Dtls.SERVER_HELLO, flight[13]);
        int body = 13 + 12;
        assertEquals((byte) 0xFE, flight[body]);
        assertEquals((byte) 0xFD, flight[body + 1], "legacy_version is DTLS 1.2, as RFC 9147 §5.4 says");
        int at = body + 2 + 32;
        at += 1 + flight[at];
        assertEquals(DtlsCipherSuite.TLS_AES_128_GCM_SHA256.id(), (flight[at] & 0xFF) << 8 | (flight[at + 1] & 0xFF));
        at += 3;
        int extensionsEnd = at + 2 + ((flight[at] & 0xFF) << 8 | (flight[at + 1] & 0xFF));
        at += 2;
        int version = 0;
        int group = 0;
        int shareLength = 0;
        while (at < extensionsEnd) {
            int type = (flight[at] & 0xFF) << 8 | (flight[at + 1] & 0xFF);
            int length = (flight[at + 2] & 0xFF) << 8 | (flight[at + 3] & 0xFF);
            if (type == Dtls.EXT_SUPPORTED_VERSIONS) {
                version = (flight[at + 4] & 0xFF) << 8 | (flight[at + 5] & 0xFF);
            } else if (type == Dtls.EXT_KEY_SHARE) {
                group = (flight[at + 4] & 0xFF) << 8 | (flight[at + 5] & 0xFF);
                shareLength = (flight[at + 6] & 0xFF) << 8 | (flight[at + 7] & 0xFF);
            }
            at += 4 + length;
        }
        assertEquals(Dtls.DTLS_1_3, version, "supported_versions selects DTLS 1.3");
        assertEquals(NamedGroup.X25519MLKEM768.id(), group, "the hybrid, which Chromium sent a share for");
        assertEquals(1088 + 32, shareLength, "an ML-KEM-768 ciphertext and an X25519 key");
    }

    @Test
    void aServerFor12AloneAnswersChromiumsFragmentedHelloWithA12ServerHelloAndUseSrtp() throws IOException {
        DtlsEndpoint server = new DtlsEndpoint(DtlsPair.only(DtlsVersion.DTLS_1_2).withCookies(false), DtlsPair.SERVER_CERT, false,
                new SecureRandom(), new SplittableRandom(1));
        server.handleReceive(0, CHROMIUM, fixture("client-hello-1.bin"));
        assertNull(server.pollTransmit(), "nothing before the second fragment completes the 1413-byte hello");
        server.handleReceive(0, CHROMIUM, fixture("client-hello-2.bin"));
        byte[] flight = server.pollTransmit();
        assertNotNull(flight, "the server answered: " + server.pollEvent());
        assertEquals(0, server.droppedTotal());

        // first record: handshake, DTLS 1.2, epoch 0, carrying a ServerHello
        assertEquals(Dtls.HANDSHAKE, flight[0]);
        assertEquals((byte) 0xFE, flight[1]);
        assertEquals((byte) 0xFD, flight[2]);
        int body = 13 + 12;
        assertEquals(Dtls.SERVER_HELLO, flight[13]);
        assertEquals((byte) 0xFE, flight[body]);
        assertEquals((byte) 0xFD, flight[body + 1], "ServerHello.server_version is DTLS 1.2");
        int at = body + 2 + 32;
        at += 1 + flight[at];                                    // session id
        int suite = (flight[at] & 0xFF) << 8 | (flight[at + 1] & 0xFF);
        assertEquals(DtlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.id(), suite);
        at += 3;                                                 // suite + compression
        int extensionsEnd = at + 2 + ((flight[at] & 0xFF) << 8 | (flight[at + 1] & 0xFF));
        at += 2;
        boolean ems = false;
        SrtpProfile srtp = null;
        while (at < extensionsEnd) {
            int type = (flight[at] & 0xFF) << 8 | (flight[at + 1] & 0xFF);
            int length = (flight[at + 2] & 0xFF) << 8 | (flight[at + 3] & 0xFF);
            if (type == Dtls.EXT_EXTENDED_MASTER_SECRET) {
                ems = true;
            } else if (type == Dtls.EXT_USE_SRTP) {
                srtp = SrtpProfile.fromId((flight[at + 6] & 0xFF) << 8 | (flight[at + 7] & 0xFF));
            }
            at += 4 + length;
        }
        assertTrue(ems, "extended master secret acknowledged");
        assertEquals(SrtpProfile.AEAD_AES_256_GCM, srtp, "Chromium offers 0x0001, 0x0008, 0x0007: eddy picks AES-256-GCM");
    }

    @Test
    void withCookiesTheServerFirstAsksChromiumForOne() throws IOException {
        for (DtlsConfig config : new DtlsConfig[] {DtlsConfig.defaults(), DtlsPair.only(DtlsVersion.DTLS_1_2)}) {
            DtlsEndpoint server = new DtlsEndpoint(config, DtlsPair.SERVER_CERT, false, new SecureRandom(), new SplittableRandom(2));
            server.handleReceive(0, CHROMIUM, fixture("client-hello-1.bin"));
            server.handleReceive(0, CHROMIUM, fixture("client-hello-2.bin"));
            byte[] reply = server.pollTransmit();
            assertNotNull(reply);
            // 1.3: a HelloRetryRequest (a ServerHello with the special random); 1.2: a HelloVerifyRequest
            assertEquals(config.speaks(DtlsVersion.DTLS_1_3) ? Dtls.SERVER_HELLO : Dtls.HELLO_VERIFY_REQUEST, reply[13]);
            assertNull(server.pollTransmit(), "a stateless retry only, nothing kept");
            assertTrue(reply.length < 200, "a small answer: a stranger cannot use it to amplify (" + reply.length + " bytes)");
        }
    }
}
