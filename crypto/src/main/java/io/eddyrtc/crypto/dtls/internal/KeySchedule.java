package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;

import java.util.Arrays;

/**
 * The TLS 1.2 secrets of one handshake: the extended master secret (RFC 7627) from the ECDHE shared
 * secret and the session hash, the key block split into both directions' record protection (RFC 5246
 * §6.3), Finished verify data and the keying-material exporter (RFC 5705).
 */
public final class KeySchedule {
    private final DtlsCipherSuite suite;
    private final byte[] masterSecret;

    /** {@code preMaster} is zeroed once used. */
    public KeySchedule(DtlsCipherSuite suite, byte[] preMaster, byte[] sessionHash) {
        this.suite = suite;
        this.masterSecret = Prf.compute(suite.hmac(), preMaster, "extended master secret", sessionHash, 48);
        Arrays.fill(preMaster, (byte) 0);
    }

    /** The client's ([0]) and the server's ([1]) record protection, from the key expansion. */
    public RecordProtection[] recordKeys(byte[] clientRandom, byte[] serverRandom) {
        int k = suite.keyLength();
        int iv = suite.fixedIvLength();
        byte[] block = Prf.compute(suite.hmac(), masterSecret, "key expansion", Prf.concat(serverRandom, clientRandom), 2 * k + 2 * iv);
        RecordProtection client = new RecordProtection(suite, Arrays.copyOfRange(block, 0, k), Arrays.copyOfRange(block, 2 * k, 2 * k + iv));
        RecordProtection server = new RecordProtection(suite, Arrays.copyOfRange(block, k, 2 * k),
                Arrays.copyOfRange(block, 2 * k + iv, 2 * k + 2 * iv));
        Arrays.fill(block, (byte) 0);
        return new RecordProtection[] {client, server};
    }

    /** The 12 bytes of verify data for {@code label} ("client finished" / "server finished"). */
    public byte[] finished(String label, byte[] transcriptHash) {
        return Prf.compute(suite.hmac(), masterSecret, label, transcriptHash, 12);
    }

    /** {@code length} bytes of exported keying material for {@code label} (no context). */
    public byte[] export(String label, byte[] clientRandom, byte[] serverRandom, int length) {
        return Prf.compute(suite.hmac(), masterSecret, label, Prf.concat(clientRandom, serverRandom), length);
    }
}
