package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What protects a handshake (client and server randoms, the cookie secret, ECDHE keys) comes from the
 * SecureRandom it is given, never from the seeded jitter source that only times retransmissions: with the
 * secure source fixed, changing the jitter changes none of it; changing the secure source changes all of it.
 */
class DtlsRandomnessTest {
    /** The 32 random bytes of the hello in the first record of {@code datagram}. */
    static byte[] helloRandom(byte[] datagram) {
        int body = 13 + 12;
        return Arrays.copyOfRange(datagram, body + 2, body + 2 + 32);
    }

    static byte[] clientHello(long secureSeed, long jitterSeed) {
        DtlsEndpoint client = new DtlsEndpoint(DtlsConfig.defaults(), DtlsPair.CLIENT_CERT, true, DtlsPair.fixedRandom(secureSeed), new SplittableRandom(jitterSeed));
        client.start(0);
        return client.pollTransmit();
    }

    @Test
    void theClientRandomComesFromTheSecureSource() {
        assertArrayEquals(helloRandom(clientHello(1, 10)), helloRandom(clientHello(1, 20)), "the jitter source plays no part");
        assertFalse(Arrays.equals(helloRandom(clientHello(1, 10)), helloRandom(clientHello(2, 10))));
    }

    /** The server's answer to one fixed ClientHello: a HelloVerifyRequest with cookies, else its hello flight. */
    static byte[] serverAnswer(boolean cookies, long secureSeed, long jitterSeed) {
        DtlsEndpoint server = new DtlsEndpoint(DtlsConfig.defaults().withCookies(cookies), DtlsPair.SERVER_CERT, false,
                DtlsPair.fixedRandom(secureSeed), new SplittableRandom(jitterSeed));
        server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, clientHello(7, 7));
        return server.pollTransmit();
    }

    @Test
    void theCookieSecretComesFromTheSecureSource() {
        byte[] a = serverAnswer(true, 1, 10);
        assertEquals(3, a[13], "a HelloVerifyRequest");
        assertArrayEquals(a, serverAnswer(true, 1, 20), "same secure source, same cookie, whatever the jitter");
        assertFalse(Arrays.equals(a, serverAnswer(true, 2, 10)), "another secret, another cookie");
    }

    @Test
    void theServerRandomAndKeyShareComeFromTheSecureSource() {
        byte[] a = serverAnswer(false, 1, 10);
        assertEquals(2, a[13], "a ServerHello first");
        // the whole flight (random, ECDHE public key, deterministic ECDSA signature) repeats with the secure source
        assertArrayEquals(a, serverAnswer(false, 1, 20));
        byte[] other = serverAnswer(false, 2, 10);
        assertFalse(Arrays.equals(helloRandom(a), helloRandom(other)));
        Arrays.fill(a, 13 + 12 + 2, 13 + 12 + 2 + 32, (byte) 0);
        Arrays.fill(other, 13 + 12 + 2, 13 + 12 + 2 + 32, (byte) 0);
        assertFalse(Arrays.equals(a, other), "beyond the random, the ECDHE key share (and so the signature) differs too");
    }
}
