package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where libcrypto is missing ({@code -Deddy.dtls.ec=bouncycastle} runs eddy as it runs there) BouncyCastle does
 * the elliptic-curve work libcrypto does elsewhere (ECDSA signing's k·G and verification, X25519 agreement),
 * and a handshake is the same byte for byte: both sides connect, and every datagram and the SRTP keys equal
 * those of the same handshake on libcrypto, in each version and group.
 */
class BouncyCastleFallbackTest {
    static Stream<Arguments> protocols() {
        return Stream.of(Arguments.of(DtlsVersion.DTLS_1_2, NamedGroup.X25519), Arguments.of(DtlsVersion.DTLS_1_2, NamedGroup.SECP256R1),
                Arguments.of(DtlsVersion.DTLS_1_3, NamedGroup.X25519), Arguments.of(DtlsVersion.DTLS_1_3, NamedGroup.X25519MLKEM768),
                Arguments.of(DtlsVersion.DTLS_1_3, NamedGroup.SECP256R1));
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void aHandshakeOnBouncyCastleAloneIsTheSameByteForByte(DtlsVersion version, NamedGroup group) {
        DtlsConfig config = DtlsPair.only(version).withGroups(List.of(group));
        Handshake onLibcrypto = Handshake.run(config);
        System.setProperty("eddy.dtls.ec", "bouncycastle");
        Handshake onBouncyCastle;
        try {
            onBouncyCastle = Handshake.run(config);
        } finally {
            System.clearProperty("eddy.dtls.ec");
        }
        assertEquals(onLibcrypto.datagrams.size(), onBouncyCastle.datagrams.size());
        for (int i = 0; i < onLibcrypto.datagrams.size(); i++) {
            assertArrayEquals(onLibcrypto.datagrams.get(i), onBouncyCastle.datagrams.get(i), "datagram " + i);
        }
        assertEquals(onLibcrypto.clientKeys, onBouncyCastle.clientKeys);
        assertEquals(onLibcrypto.serverKeys, onBouncyCastle.serverKeys);
    }

    /** A handshake whose every byte repeats from run to run: its datagrams in order and both sides' SRTP keys. */
    private record Handshake(List<byte[]> datagrams, Object clientKeys, Object serverKeys) {
        static Handshake run(DtlsConfig config) {
            DtlsPair p = DtlsPair.fixed(config);
            List<byte[]> datagrams = new ArrayList<>();
            p.client.start(0);
            for (boolean progress = true; progress; ) {
                progress = false;
                for (byte[] d; (d = p.client.pollTransmit()) != null; progress = true) {
                    datagrams.add(d.clone());
                    p.server.handleReceive(0, DtlsPair.CLIENT_ADDRESS, d);
                }
                for (byte[] d; (d = p.server.pollTransmit()) != null; progress = true) {
                    datagrams.add(d.clone());
                    p.client.handleReceive(0, DtlsPair.SERVER_ADDRESS, d);
                }
            }
            p.drain();
            assertTrue(p.client.isConnected() && p.server.isConnected(), config.versions() + " " + config.groups());
            DtlsEvent.Connected client = DtlsPair.find(p.clientEvents, DtlsEvent.Connected.class);
            DtlsEvent.Connected server = DtlsPair.find(p.serverEvents, DtlsEvent.Connected.class);
            assertNotNull(client);
            assertNotNull(server);
            assertEquals(client.srtp().localKey().length, server.srtp().remoteKey().length);
            assertArrayEquals(client.srtp().localKey(), server.srtp().remoteKey());
            return new Handshake(datagrams, client.srtp(), server.srtp());
        }
    }
}
