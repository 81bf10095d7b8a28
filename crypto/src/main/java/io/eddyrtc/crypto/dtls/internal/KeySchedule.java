package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.security.auth.Destroyable;

/**
 * The TLS 1.2 secrets of one handshake: the extended master secret (RFC 7627) from the ECDHE shared
 * secret and the session hash, the key block split into both directions' record protection (RFC 5246
 * §6.3), Finished verify data and the keying-material exporter (RFC 5705). Every intermediate copy of
 * secret bytes is zeroed once used; {@link #destroy()} zeroes the master secret when the handshake no
 * longer needs it. (The record keys live on inside the JDK's cipher objects, which cannot be wiped.)
 */
public final class KeySchedule implements Destroyable {
    private final DtlsCipherSuite suite;
    private final byte[] masterSecret;
    private boolean destroyed;

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
        byte[] block = Prf.compute(suite.hmac(), secret(), "key expansion", Prf.concat(serverRandom, clientRandom), 2 * k + 2 * iv);
        RecordProtection client = protection(block, 0, 2 * k, k, iv, RecordProtection.cipher(suite));
        RecordProtection server = protection(block, k, 2 * k + iv, k, iv, RecordProtection.cipher(suite));
        Arrays.fill(block, (byte) 0);
        return new RecordProtection[] {client, server};
    }

    private RecordProtection protection(byte[] block, int keyAt, int ivAt, int keyLength, int ivLength, Cipher cipher) {
        byte[] key = Arrays.copyOfRange(block, keyAt, keyAt + keyLength);
        byte[] iv = Arrays.copyOfRange(block, ivAt, ivAt + ivLength);
        try {
            return new RecordProtection(suite, key, iv, cipher);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(iv, (byte) 0);
        }
    }

    /** The 12 bytes of verify data for {@code label} ("client finished" / "server finished"). */
    public byte[] finished(String label, byte[] transcriptHash) {
        return Prf.compute(suite.hmac(), secret(), label, transcriptHash, 12);
    }

    /** {@code length} bytes of exported keying material for {@code label} (no context). */
    public byte[] export(String label, byte[] clientRandom, byte[] serverRandom, int length) {
        return Prf.compute(suite.hmac(), secret(), label, Prf.concat(clientRandom, serverRandom), length);
    }

    /** Zeroes the master secret; nothing can be derived afterwards. */
    @Override
    public void destroy() {
        Arrays.fill(masterSecret, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private byte[] secret() {
        if (destroyed) {
            throw new IllegalStateException("the master secret was destroyed when the handshake ended; nothing more derives from it");
        }
        return masterSecret;
    }
}
