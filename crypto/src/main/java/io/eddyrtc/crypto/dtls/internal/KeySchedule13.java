package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.security.auth.Destroyable;

/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1) with DTLS 1.3's label prefix: the handshake secret from the
 * (EC)DHE or hybrid shared secret, both sides' handshake traffic secrets, the master secret, the application
 * traffic secrets and their updates (§7.2), Finished keys, record protection (§7.3 plus the sequence
 * number key of RFC 9147 §4.2.3) and the exporter (§7.5). No PSK: the early secret is from zeros. Every
 * intermediate secret is zeroed once used; {@link #destroy()} zeroes the handshake, master and exporter
 * secrets once the handshake no longer needs them. The application traffic secrets it hands out are the
 * caller's (they are what a KeyUpdate moves on from).
 */
public final class KeySchedule13 implements Destroyable {
    private final DtlsCipherSuite suite;
    private final Hkdf hkdf;
    private final byte[] emptyHash;
    private byte[] handshakeSecret;
    private byte[] clientHandshake;
    private byte[] serverHandshake;
    private byte[] masterSecret;
    private byte[] exporterMaster;
    private boolean destroyed;
    private Cipher writeCipher;
    private Cipher readCipher;
    private SequenceMask writeMask;
    private SequenceMask readMask;

    public KeySchedule13(DtlsCipherSuite suite, String labelPrefix) {
        this.suite = suite;
        this.hkdf = new Hkdf(suite.hmac(), labelPrefix);
        this.emptyHash = hash(suite, new byte[0]);
    }

    public DtlsCipherSuite suite() {
        return suite;
    }

    /** The handshake secret and both handshake traffic secrets; {@code shared} is zeroed here. */
    public void handshake(byte[] shared, byte[] helloHash) {
        byte[] early = hkdf.extract(new byte[0], new byte[0]);
        byte[] derived = hkdf.deriveSecret(early, "derived", emptyHash);
        handshakeSecret = hkdf.extract(derived, shared);
        Arrays.fill(shared, (byte) 0);
        Arrays.fill(early, (byte) 0);
        Arrays.fill(derived, (byte) 0);
        clientHandshake = hkdf.deriveSecret(handshakeSecret, "c hs traffic", helloHash);
        serverHandshake = hkdf.deriveSecret(handshakeSecret, "s hs traffic", helloHash);
    }

    /** The client's or the server's handshake traffic secret. */
    public byte[] handshakeTraffic(boolean client) {
        return live(client ? clientHandshake : serverHandshake);
    }

    /**
     * The master secret and what derives from it at the server's Finished: the application traffic secrets
     * ([0] client, [1] server, the caller's to zero) and the exporter master secret (kept here).
     */
    public byte[][] application(byte[] serverFinishedHash) {
        byte[] derived = hkdf.deriveSecret(live(handshakeSecret), "derived", emptyHash);
        masterSecret = hkdf.extract(derived, new byte[0]);
        Arrays.fill(derived, (byte) 0);
        exporterMaster = hkdf.deriveSecret(masterSecret, "exp master", serverFinishedHash);
        return new byte[][] {
                hkdf.deriveSecret(masterSecret, "c ap traffic", serverFinishedHash),
                hkdf.deriveSecret(masterSecret, "s ap traffic", serverFinishedHash)};
    }

    /** Finished's verify_data: HMAC of the transcript hash under the finished key of {@code baseKey}. */
    public byte[] finished(byte[] baseKey, byte[] transcriptHash) {
        byte[] finishedKey = hkdf.expandLabel(baseKey, "finished", new byte[0], hkdf.hashLength());
        try {
            return hkdf.hmac(finishedKey, transcriptHash);
        } finally {
            Arrays.fill(finishedKey, (byte) 0);
        }
    }

    /**
     * Record protection from a traffic secret (write key, IV and sequence number key) for records we send
     * ({@code write}) or read. The protections of one direction share an AEAD cipher and a mask cipher (making
     * one costs about a microsecond); one per direction, not one for both, since a cipher given the key it had
     * last skips the key schedule, and in each direction the key changes only with the epoch.
     */
    public RecordProtection13 protection(byte[] trafficSecret, boolean write) {
        byte[] key = hkdf.expandLabel(trafficSecret, "key", new byte[0], suite.keyLength());
        byte[] iv = hkdf.expandLabel(trafficSecret, "iv", new byte[0], suite.fixedIvLength());
        byte[] sn = hkdf.expandLabel(trafficSecret, "sn", new byte[0], suite.keyLength());
        if (writeCipher == null) {
            writeCipher = RecordProtection.cipher(suite);
            readCipher = RecordProtection.cipher(suite);
            boolean chacha = suite.cipher().startsWith("ChaCha20");
            writeMask = new SequenceMask(chacha);
            readMask = new SequenceMask(chacha);
        }
        try {
            return new RecordProtection13(suite, key, iv, sn, write ? writeCipher : readCipher, write ? writeMask : readMask);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(iv, (byte) 0);
            Arrays.fill(sn, (byte) 0);
        }
    }

    /** application_traffic_secret_N+1 from N (RFC 8446 §7.2); works after {@link #destroy()}. */
    public byte[] nextTraffic(byte[] trafficSecret) {
        return hkdf.expandLabel(trafficSecret, "traffic upd", new byte[0], hkdf.hashLength());
    }

    /** TLS-Exporter(label, context, length) (RFC 8446 §7.5); no context is the empty context. */
    public byte[] export(String label, byte[] context, int length) {
        byte[] secret = hkdf.deriveSecret(live(exporterMaster), label, emptyHash);
        try {
            return hkdf.expandLabel(secret, "exporter", hash(suite, context), length);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The exporter master secret, for the key schedule's tests. */
    byte[] exporterMaster() {
        return live(exporterMaster).clone();
    }

    /** TLS-Exporter from an exporter master secret given outright, for cross-checks against other implementations. */
    public static byte[] export(DtlsCipherSuite suite, String labelPrefix, byte[] exporterMasterSecret, String label, byte[] context,
                                int length) {
        KeySchedule13 k = new KeySchedule13(suite, labelPrefix);
        k.exporterMaster = exporterMasterSecret.clone();
        try {
            return k.export(label, context, length);
        } finally {
            k.destroy();
        }
    }

    @Override
    public void destroy() {
        for (byte[] s : new byte[][] {handshakeSecret, clientHandshake, serverHandshake, masterSecret, exporterMaster}) {
            if (s != null) {
                Arrays.fill(s, (byte) 0);
            }
        }
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private byte[] live(byte[] secret) {
        if (destroyed || secret == null) {
            throw new IllegalStateException("that secret is not derived yet or was destroyed when the handshake ended");
        }
        return secret;
    }

    /** The suite's hash of {@code data}. */
    public static byte[] hash(DtlsCipherSuite suite, byte[] data) {
        return Jca.digest(suite.hash()).digest(data);
    }
}
