package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddyrtc.crypto.dtls.internal.HandshakeReassembler;
import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Hostile datagrams against the DTLS record layer and handshake, and hostile fragments against the
 * reassembler: no exception escapes, nothing is accepted as a connection, and buffering stays within
 * its budget. Two targets run a real handshake first (every byte fixed from run to run) and read the
 * fuzzer's bytes as a {@link HostileScript}: after it, records sealed with the peer's real keys reach every
 * branch behind authentication; during it, the real flights are lost, repeated, reordered, cut and flipped.
 */
class DtlsFuzzTest {
    private static final DtlsConfig SMALL = DtlsConfig.defaults().withCookies(false);

    /** Both versions: a dual-version endpoint reads 1.2 and 1.3 hellos alike, and 1.3 records once a hello chose it. */
    @FuzzTest(maxDuration = "60s")
    void recordsAndHandshakeNeverThrow(FuzzedDataProvider data) {
        boolean client = data.consumeBoolean();
        DtlsEndpoint endpoint = new DtlsEndpoint(SMALL, client ? DtlsPair.CLIENT_CERT : DtlsPair.SERVER_CERT, client,
                new SecureRandom(), new SplittableRandom(1));
        endpoint.setRemoteFingerprint((client ? DtlsPair.SERVER_CERT : DtlsPair.CLIENT_CERT).fingerprint());
        if (client) {
            endpoint.start(0);
        }
        long now = 0;
        int rounds = data.consumeInt(1, 12);
        for (int i = 0; i < rounds && data.remainingBytes() > 0; i++) {
            now += data.consumeLong(0, 3_000_000_000L);
            endpoint.handleReceive(now, DtlsPair.CLIENT_ADDRESS, data.consumeBytes(data.consumeInt(0, 1500)));
            endpoint.handleTimeout(now);
            for (byte[] out; (out = endpoint.pollTransmit()) != null; ) {
                assertTrue(out.length <= SMALL.mtu(), "never sends above the MTU");
            }
            for (DtlsEvent e; (e = endpoint.pollEvent()) != null; ) {
                assertTrue(!(e instanceof DtlsEvent.Connected), "random bytes never complete a handshake");
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void afterTheHandshakeOnlyAProtectedAlertEndsTheConnection(byte[] script) {
        HostileScript.afterTheHandshake(DtlsVersion.DTLS_1_2, script);
    }

    @FuzzTest(maxDuration = "60s")
    void everyHandshakeStateTakesHostileInput(byte[] script) {
        HostileScript.duringTheHandshake(DtlsVersion.DTLS_1_2, script);
    }

    @FuzzTest(maxDuration = "60s")
    void afterThe13HandshakeOnlyAProtectedAlertEndsTheConnection(byte[] script) {
        HostileScript.afterTheHandshake(DtlsVersion.DTLS_1_3, script);
    }

    @FuzzTest(maxDuration = "60s")
    void every13HandshakeStateTakesHostileInput(byte[] script) {
        HostileScript.duringTheHandshake(DtlsVersion.DTLS_1_3, script);
    }

    @FuzzTest(maxDuration = "60s")
    void reassemblyStaysWithinItsBudget(FuzzedDataProvider data) {
        int maxMessage = 2048;
        int budget = 4096;
        HandshakeReassembler r = new HandshakeReassembler(maxMessage, budget);
        int expectedSeq = 0;
        while (data.remainingBytes() > 8) {
            int type = data.consumeInt(0, 255);
            int length = data.consumeInt(0, 70_000);
            int seq = data.consumeInt(0, 20);
            int offset = data.consumeInt(0, 70_000);
            byte[] fragment = data.consumeBytes(data.consumeInt(0, 600));
            if (offset + fragment.length > length) {
                offset = Math.max(0, length - fragment.length);
            }
            HandshakeReassembler.Result result = r.add(type, length, seq, offset, Math.min(fragment.length, Math.max(0, length - offset)),
                    fragment, 0);
            assertTrue(result != null);
            assertTrue(r.buffered() <= budget, "buffered " + r.buffered() + " > " + budget);
            for (HandshakeReassembler.Message m; (m = r.poll()) != null; ) {
                assertEquals(expectedSeq++, m.seq(), "messages come out in order");
                assertTrue(m.body().length <= maxMessage);
            }
        }
    }
}
