package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.crypto.srtp.SrtpKeyingMaterial;
import io.eddyrtc.crypto.srtp.SrtpProfile;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * eddy against BouncyCastle's DTLS (an independent implementation that speaks only DTLS 1.2), both
 * directions, eddy with its default configuration (1.3 and 1.2): eddy client with a bctls server, bctls
 * client with an eddy server (cookie exchange on). Each side checks the other's certificate, they agree on
 * use_srtp, export the same SRTP keys, and carry application data. A bctls peer with an RSA certificate (2048
 * and 4096 bits) connects both ways too: as a server it chooses an ECDHE_RSA suite eddy offers.
 */
class BouncyCastleInteropTest {

    /** Drives eddy in real time (BC's thread uses real timeouts) until both sides finish or 10 s pass. */
    private static void drive(DtlsEndpoint eddy, BouncyCastlePeer bc) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !(bc.finished() && (eddy.isConnected() || eddy.isDone()))) {
            byte[] d = bc.fromPeer.poll(5, TimeUnit.MILLISECONDS);
            long now = System.nanoTime();
            if (d != null) {
                eddy.handleReceive(now, DtlsPair.SERVER_ADDRESS, d);
            }
            eddy.handleTimeout(now);
            for (byte[] out; (out = eddy.pollTransmit()) != null; ) {
                bc.toPeer.add(out);
            }
        }
    }

    private static DtlsEvent.Connected connected(DtlsEndpoint eddy) {
        for (DtlsEvent e; (e = eddy.pollEvent()) != null; ) {
            if (e instanceof DtlsEvent.Connected c) {
                return c;
            }
            if (e instanceof DtlsEvent.Failed f) {
                throw new AssertionError("eddy failed: " + f.reason());
            }
        }
        return null;
    }

    @Test
    void eddyClientWithBouncyCastleServer() throws Exception {
        BouncyCastlePeer bc = new BouncyCastlePeer(DtlsPair.SERVER_CERT);
        bc.startServer(new int[] {SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80});
        DtlsEndpoint eddy = new DtlsEndpoint(DtlsConfig.defaults(), DtlsPair.CLIENT_CERT, true, new SecureRandom(), new SplittableRandom(1));
        eddy.setRemoteFingerprint(DtlsPair.SERVER_CERT.fingerprint());
        eddy.start(System.nanoTime());
        drive(eddy, bc);
        assertNull(bc.failure, () -> "bctls failed: " + bc.failure);
        assertTrue(eddy.isConnected());
        DtlsEvent.Connected c = connected(eddy);
        assertNotNull(c);
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, c.srtp().profile(), "bctls's first choice among eddy's offers");
        SrtpKeyingMaterial bcKeys = SrtpKeyingMaterial.fromExporter(SrtpProfile.AEAD_AES_128_GCM, bc.exported, false);
        assertArrayEquals(bcKeys.localKey(), c.srtp().remoteKey(), "both sides exported the same SRTP keys");
        assertArrayEquals(bcKeys.remoteSalt(), c.srtp().localSalt());
        assertArrayEquals(DtlsPair.CLIENT_CERT.der(), bc.peerCertificate, "bctls received eddy's certificate");

        eddy.send(System.nanoTime(), "ping".getBytes(StandardCharsets.UTF_8), 0, 4);
        for (byte[] out; (out = eddy.pollTransmit()) != null; ) {
            bc.toPeer.add(out);
        }
        byte[] buffer = new byte[1500];
        int n = bc.transport.receive(buffer, 0, buffer.length, 5000);
        assertEquals("ping", new String(buffer, 0, n, StandardCharsets.UTF_8));
        bc.transport.send("pong".getBytes(StandardCharsets.UTF_8), 0, 4);
        eddy.handleReceive(System.nanoTime(), DtlsPair.SERVER_ADDRESS, bc.fromPeer.poll(5, TimeUnit.SECONDS));
        assertArrayEquals("pong".getBytes(StandardCharsets.UTF_8), ((DtlsEvent.ApplicationData) eddy.pollEvent()).data());
    }

    @Test
    void bouncyCastleClientWithEddyServer() throws Exception {
        BouncyCastlePeer bc = new BouncyCastlePeer(DtlsPair.CLIENT_CERT);
        DtlsEndpoint eddy = new DtlsEndpoint(DtlsConfig.defaults(), DtlsPair.SERVER_CERT, false, new SecureRandom(), new SplittableRandom(2));
        eddy.setRemoteFingerprint(DtlsPair.CLIENT_CERT.fingerprint());
        bc.startClient(new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, SRTPProtectionProfile.SRTP_AEAD_AES_256_GCM});
        drive(eddy, bc);
        assertNull(bc.failure, () -> "bctls failed: " + bc.failure);
        DtlsEvent.Connected c = connected(eddy);
        assertNotNull(c, "eddy connected");
        assertEquals(SrtpProfile.AEAD_AES_256_GCM, c.srtp().profile(), "eddy's preference wins as the server");
        SrtpKeyingMaterial bcKeys = SrtpKeyingMaterial.fromExporter(SrtpProfile.AEAD_AES_256_GCM, bc.exported, true);
        assertArrayEquals(bcKeys.localKey(), c.srtp().remoteKey(), "both sides exported the same SRTP keys");
        assertArrayEquals(bcKeys.remoteKey(), c.srtp().localKey());
        assertArrayEquals(DtlsPair.SERVER_CERT.der(), bc.peerCertificate);

        bc.transport.send("hello eddy".getBytes(StandardCharsets.UTF_8), 0, 10);
        eddy.handleReceive(System.nanoTime(), DtlsPair.CLIENT_ADDRESS, bc.fromPeer.poll(5, TimeUnit.SECONDS));
        assertEquals("hello eddy", new String(((DtlsEvent.ApplicationData) eddy.pollEvent()).data(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(ints = {2048, 4096})
    void aBouncyCastleClientWithAnRsaCertificateConnectsToEddy(int bits) throws Exception {
        BouncyCastlePeer bc = BouncyCastlePeer.rsa(bits);
        DtlsEndpoint eddy = new DtlsEndpoint(DtlsConfig.defaults(), DtlsPair.SERVER_CERT, false, new SecureRandom(), new SplittableRandom(3));
        eddy.setRemoteFingerprint(bc.fingerprint());
        bc.startClient(new int[] {SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM});
        drive(eddy, bc);
        assertNull(bc.failure, () -> "bctls failed: " + bc.failure);
        DtlsEvent.Connected c = connected(eddy);
        assertNotNull(c, "eddy verified the RSA client certificate and its CertificateVerify");
        assertEquals(DtlsVersion.DTLS_1_2, c.version());
        assertEquals(bc.fingerprint(), c.peerFingerprint());
        SrtpKeyingMaterial bcKeys = SrtpKeyingMaterial.fromExporter(SrtpProfile.AEAD_AES_128_GCM, bc.exported, true);
        assertArrayEquals(bcKeys.localKey(), c.srtp().remoteKey());
    }

    @ParameterizedTest
    @ValueSource(ints = {2048, 4096})
    void eddyConnectsToABouncyCastleServerWithAnRsaCertificate(int bits) throws Exception {
        BouncyCastlePeer bc = BouncyCastlePeer.rsa(bits);
        bc.startServer(new int[] {SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM});
        DtlsEndpoint eddy = new DtlsEndpoint(DtlsConfig.defaults(), DtlsPair.CLIENT_CERT, true, new SecureRandom(), new SplittableRandom(4));
        eddy.setRemoteFingerprint(bc.fingerprint());
        eddy.start(System.nanoTime());
        drive(eddy, bc);
        assertNull(bc.failure, () -> "bctls failed: " + bc.failure);
        DtlsEvent.Connected c = connected(eddy);
        assertNotNull(c, "eddy verified the RSA server's certificate and its ServerKeyExchange signature");
        assertEquals(DtlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, c.cipherSuite());
        SrtpKeyingMaterial bcKeys = SrtpKeyingMaterial.fromExporter(SrtpProfile.AEAD_AES_128_GCM, bc.exported, false);
        assertArrayEquals(bcKeys.localKey(), c.srtp().remoteKey());
    }

    @Test
    void anRsaKeyOutside2048To4096BitsIsRefused() throws Exception {
        BouncyCastlePeer bc = BouncyCastlePeer.rsa(1024);
        DtlsEndpoint eddy = new DtlsEndpoint(DtlsConfig.defaults(), DtlsPair.SERVER_CERT, false, new SecureRandom(), new SplittableRandom(5));
        eddy.setRemoteFingerprint(bc.fingerprint());
        bc.startClient(new int[] {SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM});
        drive(eddy, bc);
        DtlsEvent.Failed failed = null;
        for (DtlsEvent e; (e = eddy.pollEvent()) != null; ) {
            failed = e instanceof DtlsEvent.Failed f ? f : failed;
        }
        assertNotNull(failed, "eddy refused the 1024-bit key");
        assertTrue(failed.reason().contains("1024 bits"), failed.reason());
    }
}
