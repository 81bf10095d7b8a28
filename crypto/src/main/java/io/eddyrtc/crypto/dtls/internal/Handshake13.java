package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsDropReason;
import io.eddyrtc.crypto.dtls.DtlsVersion;
import io.eddyrtc.crypto.dtls.internal.HandshakeReassembler.Message;
import io.eddyrtc.crypto.dtls.internal.TlsReader.DecodeException;
import io.eddyrtc.crypto.srtp.SrtpKeyingMaterial;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static io.eddyrtc.crypto.dtls.internal.Dtls.*;

/**
 * The DTLS 1.3 handshake (RFC 9147, RFC 8446 §4): what its client and server share. The TLS 1.3 key
 * schedule with the "dtls13" label prefix; epoch 2 for the handshake, 3 and up for application data; the
 * transcript without DTLS's fragment fields; certificates with per-entry extensions and CertificateVerify
 * over the transcript hash; ACKs (RFC 9147 §7) for the flights that get no answer (the client's last, and
 * post-handshake messages), gathered per datagram; KeyUpdate (§8) both ways.
 *
 * <p>After the handshake a repeat of the peer's handshake flight gets our answer again (the server's ACK,
 * the client's last flight), KeyUpdate moves the peer's epoch on and is acknowledged, a NewSessionTicket is
 * acknowledged and ignored (eddy never resumes), and anything else is dropped and counted: the peer is
 * authenticated, but a message eddy does not take is not worth ending a call for.
 */
public abstract sealed class Handshake13 extends Handshake permits ClientHandshake13, ServerHandshake13 {
    /** Records sealed under one key before a KeyUpdate: well inside AES-GCM's 2^24.5 (RFC 8446 §5.5). */
    static final long KEY_UPDATE_AFTER = 1L << 23;
    /** Record numbers remembered to acknowledge; a flight of eddy's size is a handful. */
    private static final int MAX_ACKS = 32;
    private static final byte[] SPACES = filled(64, (byte) 0x20);
    /** RecordNumbers in an ACK: by epoch, then sequence number (RFC 9147 §7). */
    private static final Comparator<long[]> RECORD_ORDER = Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]);

    KeySchedule13 keys;
    /** The current application traffic secrets, which a KeyUpdate moves on (RFC 8446 §7.2). */
    private byte[] readSecret;
    private byte[] writeSecret;
    private final List<long[]> received = new ArrayList<>();
    private boolean ackDue;
    private boolean keyUpdateSent;
    private boolean keyUpdateOwed;

    Handshake13(DtlsConfig config, byte[] certificateDer, PrivateKey privateKey, SecureRandom secure, RecordLayer records,
                Flight flight, Outbox outbox, DropCounter<DtlsDropReason> drops) {
        super(config, certificateDer, privateKey, secure, records, flight, outbox, drops);
    }

    @Override
    public DtlsVersion version() {
        return DtlsVersion.DTLS_1_3;
    }

    @Override
    public SrtpKeyingMaterial exportSrtpKeys(boolean client) {
        if (srtpProfile == null) {
            return null;
        }
        byte[] exported = keys.export("EXTRACTOR-dtls_srtp", new byte[0], SrtpKeyingMaterial.exporterLength(srtpProfile));
        SrtpKeyingMaterial material = SrtpKeyingMaterial.fromExporter(srtpProfile, exported, client);
        Arrays.fill(exported, (byte) 0);
        return material;
    }

    @Override
    public boolean holdsSecrets() {
        return keys != null && !keys.isDestroyed();
    }

    @Override
    public void destroySecrets() {
        if (keys != null) {
            keys.destroy(); // what is left of it (HKDF) still moves traffic secrets on
        }
    }

    @Override
    public void end() {
        destroySecrets();
        for (byte[] s : new byte[][] {readSecret, writeSecret}) {
            if (s != null) {
                Arrays.fill(s, (byte) 0);
            }
        }
        readSecret = null;
        writeSecret = null;
    }

    /** Handshake messages come protected (epoch 2 and up) except the hellos, which only come in epoch 0. */
    boolean rightEpoch(int type, int epoch) {
        boolean hello = type == CLIENT_HELLO || type == SERVER_HELLO;
        if (hello != (epoch == 0)) {
            drops.count(DtlsDropReason.UNEXPECTED);
            return false;
        }
        return true;
    }

    /** The message the state machine waits for is {@code type}, or the handshake fails. */
    void expect(Message m, int type) throws HandshakeFailure {
        if (m.type() != type) {
            throw unexpected(m);
        }
    }

    @Override
    void onBuffered(int epoch, long recordSeq) {
        if (epoch >= 2) {
            remember(epoch, recordSeq);
        }
    }

    /** A new flight of ours answers the peer's: the records of that flight need no acknowledgement any more. */
    void startNewFlight() {
        received.clear();
        flight.clear();
    }

    // ------------------------------------------------------------------ keys

    /** The handshake secret from the shared secret (zeroed here); the handshake epoch both ways. */
    void handshakeKeys(byte[] shared, boolean client) {
        keys = new KeySchedule13(suite, Hkdf.DTLS13);
        keys.handshake(shared, transcript.hash13(suite));
        records.installWriteEpoch(2, keys.protection(keys.handshakeTraffic(client), true));
        records.installReadEpoch(2, keys.protection(keys.handshakeTraffic(!client), false));
    }

    /** The application traffic secrets, at the server's Finished (the transcript ends with it). */
    void applicationSecrets(boolean client) {
        byte[][] both = keys.application(transcript.hash13(suite));
        writeSecret = client ? both[0] : both[1];
        readSecret = client ? both[1] : both[0];
    }

    /** The peer's application epoch 3 becomes readable. */
    void readApplicationData() {
        records.installReadEpoch(3, keys.protection(readSecret, false));
    }

    /** Our application data goes out in epoch 3 from now on. */
    void writeApplicationData() {
        records.installWriteEpoch(3, keys.protection(writeSecret, true));
    }

    byte[] finished(boolean client) {
        return keys.finished(keys.handshakeTraffic(client), transcript.hash13(suite));
    }

    void verifyFinished(Message m, boolean peerIsClient) throws HandshakeFailure {
        if (!MessageDigest.isEqual(finished(peerIsClient), m.body())) {
            throw new HandshakeFailure(ALERT_DECRYPT_ERROR, "the peer's Finished does not verify");
        }
    }

    // ------------------------------------------------------------------ certificates

    /** Our Certificate: the request context (empty from a server), our certificate with no extensions. */
    byte[] certificateMessage(byte[] context) {
        TlsWriter w = new TlsWriter().vector8(context);
        int list = w.beginLength(3);
        w.u24(certificateDer.length).bytes(certificateDer).u16(0);
        return w.endLength(list, 3).toByteArray();
    }

    /** The peer's Certificate: its first entry is the peer's certificate, checked by fingerprint. */
    void onCertificate(byte[] body, byte[] expectedContext) throws DecodeException, HandshakeFailure {
        TlsReader r = new TlsReader(body);
        if (!Arrays.equals(r.vector8(), expectedContext)) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the Certificate's request context is not the one asked with");
        }
        TlsReader list = r.slice(r.u24());
        if (list.remaining() == 0) {
            throw new HandshakeFailure(ALERT_CERTIFICATE_REQUIRED, "the peer sent no certificate; WebRTC needs one from both sides (RFC 8827)");
        }
        acceptPeerCertificate(list.bytes(list.u24()));
    }

    /** Our CertificateVerify: ecdsa_secp256r1_sha256 over the transcript so far (RFC 8446 §4.4.3). */
    byte[] certificateVerify(boolean client) throws GeneralSecurityException {
        byte[] signature = sign(signedContent(client));
        return new TlsWriter().u16(ECDSA_SECP256R1_SHA256).vector16(signature).toByteArray();
    }

    /** The peer's CertificateVerify over the transcript before it; RSA PKCS#1 is not allowed in 1.3. */
    void onCertificateVerify(byte[] body, boolean peerIsClient) throws DecodeException, GeneralSecurityException, HandshakeFailure {
        if (peerKey == null) {
            throw new HandshakeFailure(ALERT_UNEXPECTED_MESSAGE, "CertificateVerify before the peer's Certificate");
        }
        TlsReader r = new TlsReader(body);
        int scheme = r.u16();
        byte[] signature = r.vector16();
        if (Signatures.isPkcs1(scheme)) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the peer signed with RSA PKCS#1 v1.5, which DTLS 1.3 forbids");
        }
        if (!verifySignature(scheme, signedContent(peerIsClient), signature)) {
            throw new HandshakeFailure(ALERT_DECRYPT_ERROR, "the peer's CertificateVerify signature does not verify");
        }
    }

    private byte[] signedContent(boolean client) {
        byte[] context = (client ? "TLS 1.3, client CertificateVerify" : "TLS 1.3, server CertificateVerify")
                .getBytes(StandardCharsets.US_ASCII);
        return Prf.concat(SPACES, context, new byte[1], transcript.hash13(suite));
    }

    // ------------------------------------------------------------------ ACKs

    private void remember(int epoch, long recordSeq) {
        for (long[] r : received) {
            if (r[0] == epoch && r[1] == recordSeq) {
                return;
            }
        }
        if (received.size() == MAX_ACKS) {
            received.removeFirst();
        }
        received.add(new long[] {epoch, recordSeq});
    }

    /** Acknowledges the records remembered, once the datagram is read. */
    void acknowledge(int epoch, long recordSeq) {
        remember(epoch, recordSeq);
        ackDue = true;
    }

    /** The peer's flight, all of whose records we remember, is acknowledged once the datagram is read. */
    void acknowledgeFlight() {
        ackDue = true;
    }

    @Override
    public void afterDatagram() {
        if (!ackDue || received.isEmpty()) {
            return;
        }
        ackDue = false;
        List<long[]> sorted = new ArrayList<>(received);
        sorted.sort(RECORD_ORDER);
        TlsWriter w = new TlsWriter().u16(16 * sorted.size());
        for (long[] r : sorted) {
            w.u64(r[0]).u64(r[1]); // RecordNumber: uint64 epoch, uint64 sequence_number
        }
        byte[] ack = w.toByteArray();
        outbox.add(records.seal(ACK, records.writeEpoch(), ack, 0, ack.length));
    }

    @Override
    public void onAck(long now, byte[] plain, int epoch) throws HandshakeFailure {
        try {
            TlsReader r = new TlsReader(plain);
            TlsReader list = r.slice(r.u16());
            if (r.remaining() != 0 || list.remaining() % 16 != 0) {
                drops.count(DtlsDropReason.UNEXPECTED);
                return;
            }
            while (list.remaining() > 0) {
                long ackedEpoch = (long) list.u16() << 48 | list.u48();
                long ackedSeq = (long) list.u16() << 48 | list.u48();
                if (ackedEpoch > epoch) {
                    drops.count(DtlsDropReason.UNEXPECTED); // an ACK cannot name a record of an epoch after its own
                    return;
                }
                if (flight.acknowledge(ackedEpoch, ackedSeq)) {
                    onFlightAcknowledged(now);
                }
            }
        } catch (DecodeException e) {
            drops.count(DtlsDropReason.UNEXPECTED);
        }
    }

    /** The peer acknowledged our whole flight: the client's last one, or a KeyUpdate, whose new keys we use now. */
    private void onFlightAcknowledged(long now) {
        flight.clear();
        if (keyUpdateSent) {
            keyUpdateSent = false;
            byte[] next = keys.nextTraffic(writeSecret);
            Arrays.fill(writeSecret, (byte) 0);
            writeSecret = next;
            records.installWriteEpoch(records.writeEpoch() + 1, keys.protection(writeSecret, true));
        }
        if (keyUpdateOwed) {
            keyUpdateOwed = false;
            updateKeys(now, false);
        }
    }

    // ------------------------------------------------------------------ after the handshake

    @Override
    void onFragmentAfterCompletion(long now, int type, int seq, boolean old, int epoch, long recordSeq, TlsReader fragment,
                                   int length, int offset) throws HandshakeFailure {
        if (epoch == 2) {
            if (old) {
                onHandshakeFlightRepeated(epoch, recordSeq);
            } else {
                drops.count(DtlsDropReason.UNEXPECTED);
            }
            return;
        }
        HandshakeReassembler.Result result = reassembler.add(type, length, seq, offset, fragment.remaining(), fragment.data(),
                fragment.position());
        if (result == HandshakeReassembler.Result.OLD) {
            acknowledge(epoch, recordSeq); // our ACK was lost: the peer sends it again
            return;
        }
        if (result != HandshakeReassembler.Result.ADDED) {
            drops.count(DtlsDropReason.BAD_FRAGMENT);
            return;
        }
        for (Message m; (m = reassembler.poll()) != null; ) {
            onPostHandshake(now, m, epoch, recordSeq);
        }
        if (reassembler.buffered() > 0) {
            acknowledge(epoch, recordSeq); // a fragment of a message still incomplete is buffered: acknowledged
        }
    }

    /** The peer repeats its last handshake flight after we completed: it lacks our answer to it. */
    abstract void onHandshakeFlightRepeated(int epoch, long recordSeq);

    private void onPostHandshake(long now, Message m, int epoch, long recordSeq) {
        switch (m.type()) {
            case KEY_UPDATE -> {
                if (m.body().length != 1 || (m.body()[0] & 0xFF) > 1 || epoch != records.readEpoch()) {
                    drops.count(DtlsDropReason.UNEXPECTED);
                    return;
                }
                byte[] next = keys.nextTraffic(readSecret);
                Arrays.fill(readSecret, (byte) 0);
                readSecret = next;
                records.installReadEpoch(epoch + 1, keys.protection(readSecret, false));
                acknowledge(epoch, recordSeq);
                if (m.body()[0] == 1 && !updateKeys(now, false)) {
                    keyUpdateOwed = true; // ours goes once the flight in progress is acknowledged
                }
            }
            case NEW_SESSION_TICKET -> acknowledge(epoch, recordSeq); // eddy never resumes; acknowledged so it is not sent again
            default -> drops.count(DtlsDropReason.UNEXPECTED);
        }
    }

    @Override
    public boolean updateKeys(long now, boolean requestPeerUpdate) {
        if (!isComplete() || keyUpdateSent || !flight.isEmpty() || writeSecret == null) {
            return false;
        }
        keyUpdateSent = true;
        addPostHandshake(KEY_UPDATE, new byte[] {(byte) (requestPeerUpdate ? 1 : 0)}, records.writeEpoch());
        flight.start(now, true);
        return true;
    }

    @Override
    public void beforeApplicationData(long now) {
        if (records.writtenInEpoch() >= KEY_UPDATE_AFTER) {
            updateKeys(now, false);
        }
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        Arrays.fill(b, value);
        return b;
    }
}
