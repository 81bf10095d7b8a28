package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What protects a handshake (client and server randoms, the cookie secret, key shares) comes from the
 * SecureRandom it is given, never from the seeded jitter source that only times retransmissions: with the
 * secure source fixed, changing the jitter changes none of it; changing the secure source changes all of it.
 */
class DtlsRandomnessTest {
    /** The 32 random bytes of the hello in the first record of {@code datagram}. */
    static byte[] helloRandom(byte[] datagram) {
        int body = 13 + 12;
        return Arrays.copyOfRange(datagram, body + 2, body + 2 + 32);
    }

    /** The client's hello, every datagram of it (a 1.3 hello with the hybrid share takes two). */
    static List<byte[]> clientHello(DtlsVersion version, long secureSeed, long jitterSeed) {
        DtlsEndpoint client = new DtlsEndpoint(DtlsPair.only(version), DtlsPair.CLIENT_CERT, true, DtlsPair.fixedRandom(secureSeed),
                new SplittableRandom(jitterSeed));
        client.start(0);
        List<byte[]> out = new ArrayList<>();
        for (byte[] d; (d = client.pollTransmit()) != null; ) {
            out.add(d);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void theClientRandomAndKeySharesComeFromTheSecureSource(DtlsVersion version) {
        assertEquals(Wire.concat(clientHello(version, 1, 10)).length, Wire.concat(clientHello(version, 1, 20)).length);
        assertArrayEquals(Wire.concat(clientHello(version, 1, 10)), Wire.concat(clientHello(version, 1, 20)),
                "the jitter source plays no part in the hello (random, key shares)");
        assertFalse(Arrays.equals(helloRandom(clientHello(version, 1, 10).getFirst()), helloRandom(clientHello(version, 2, 10).getFirst())));
    }

    /** The server's answer to one fixed ClientHello: a HelloVerifyRequest (1.2) or HelloRetryRequest (1.3) with cookies, else its hello flight. */
    static byte[] serverAnswer(DtlsVersion version, boolean cookies, long secureSeed, long jitterSeed) {
        DtlsEndpoint server = new DtlsEndpoint(DtlsPair.only(version).withCookies(cookies), DtlsPair.SERVER_CERT, false,
                DtlsPair.fixedRandom(secureSeed), new SplittableRandom(jitterSeed));
        for (byte[] d : clientHello(version, 7, 7)) {
            server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, d);
        }
        return server.pollTransmit();
    }

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void theCookieSecretComesFromTheSecureSource(DtlsVersion version) {
        byte[] a = serverAnswer(version, true, 1, 10);
        assertEquals(version == DtlsVersion.DTLS_1_3 ? 2 : 3, a[13], "a HelloRetryRequest or HelloVerifyRequest");
        assertArrayEquals(a, serverAnswer(version, true, 1, 20), "same secure source, same cookie, whatever the jitter");
        assertFalse(Arrays.equals(a, serverAnswer(version, true, 2, 10)), "another secret, another cookie");
    }

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void theServerRandomAndKeyShareComeFromTheSecureSource(DtlsVersion version) {
        byte[] a = serverAnswer(version, false, 1, 10);
        assertEquals(2, a[13], "a ServerHello first");
        // the first datagram (random, key share or ML-KEM ciphertext) repeats with the secure source
        assertArrayEquals(a, serverAnswer(version, false, 1, 20));
        byte[] other = serverAnswer(version, false, 2, 10);
        assertFalse(Arrays.equals(helloRandom(a), helloRandom(other)));
        Arrays.fill(a, 13 + 12 + 2, 13 + 12 + 2 + 32, (byte) 0);
        Arrays.fill(other, 13 + 12 + 2, 13 + 12 + 2 + 32, (byte) 0);
        assertFalse(Arrays.equals(a, other), "beyond the random, the key share differs too");
    }
}
