package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.crypto.dtls.DtlsDropReason;
import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.crypto.dtls.NamedGroup;
import io.eddyrtc.crypto.dtls.internal.HandshakeReassembler.Message;
import io.eddyrtc.crypto.dtls.internal.TlsReader.DecodeException;
import io.eddyrtc.crypto.srtp.SrtpKeyingMaterial;
import io.eddyrtc.crypto.srtp.SrtpProfile;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_BAD_CERTIFICATE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_DECODE_ERROR;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_DECRYPT_ERROR;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_HANDSHAKE_FAILURE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_UNEXPECTED_MESSAGE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.FINISHED;
import static io.eddyrtc.crypto.dtls.internal.Dtls.HANDSHAKE_HEADER;
import static io.eddyrtc.crypto.dtls.internal.Dtls.RANDOM_LENGTH;

/**
 * The DTLS 1.2 handshake (RFC 6347 §4.2, RFC 5246 §7.4) as WebRTC runs it: what client and server share.
 * Handshake records come in as plaintext from the {@link RecordLayer}; fragments are put back together
 * ({@link HandshakeReassembler}) and each whole message goes to the side's state machine; what we send
 * goes out as a {@link Flight}. A handshake that cannot succeed throws {@link HandshakeFailure}; one that
 * succeeds is {@link #isComplete()} and hands out the keys.
 */
public abstract sealed class Handshake permits ClientHandshake, ServerHandshake {
    final DtlsConfig config;
    final SecureRandom secure;
    final RecordLayer records;
    final Flight flight;
    final Outbox outbox;
    final DropCounter<DtlsDropReason> drops;
    final HandshakeReassembler reassembler;
    final Transcript transcript = new Transcript();
    private final byte[] certificateDer;
    private final PrivateKey privateKey;

    Fingerprint remoteFingerprint;
    byte[] clientRandom;
    byte[] serverRandom;
    DtlsCipherSuite suite;
    NamedGroup group;
    KeyShare ecdhe;
    SrtpProfile srtpProfile;
    KeySchedule keys;
    byte[] peerCertificate;
    PublicKey peerKey;
    private int messageSeqOut;
    private boolean complete;

    Handshake(DtlsConfig config, byte[] certificateDer, PrivateKey privateKey, SecureRandom secure, RecordLayer records,
              Flight flight, Outbox outbox, DropCounter<DtlsDropReason> drops) {
        this.config = config;
        this.certificateDer = certificateDer;
        this.privateKey = privateKey;
        this.secure = secure;
        this.records = records;
        this.flight = flight;
        this.outbox = outbox;
        this.drops = drops;
        this.reassembler = new HandshakeReassembler(config.maxMessageLength(), config.maxBufferedBytes());
    }

    /** A client sends its first flight; a server does nothing (it waits for a ClientHello). */
    public abstract void start(long now);

    /** The state machine's state, for failure messages and logs. */
    public abstract String state();

    /** A whole handshake message, in order. */
    abstract void onMessage(long now, InetSocketAddress source, Message m)
            throws HandshakeFailure, DecodeException, GeneralSecurityException;

    /**
     * Whether the handshake is bound to a peer yet: a client once started, a server once it answered a
     * ClientHello. Before that there is no conversation for an alert to end.
     */
    public abstract boolean hasPeer();

    /** Whether a fragment of message {@code type} with {@code seq} may go to reassembly; counts the drop if not. */
    boolean admit(int type, int seq) {
        return true;
    }

    /**
     * A fragment of message {@code seq} contradicts the one being put together (another type or length):
     * true if the new one should replace it (only while nothing is bound, so the newest ClientHello wins).
     */
    boolean startOver(int seq) {
        return false;
    }

    /** The peer's signalled fingerprint, if known: a certificate that does not match it ends the handshake. */
    public void setRemoteFingerprint(Fingerprint fingerprint) {
        this.remoteFingerprint = fingerprint;
    }

    /** Both Finished messages verified: the keys are agreed and the peer holds the certificate it sent. */
    public boolean isComplete() {
        return complete;
    }

    public DtlsCipherSuite suite() {
        return suite;
    }

    /** The peer's certificate (DER) once received, else null. */
    public byte[] peerCertificate() {
        return peerCertificate;
    }

    /**
     * The SRTP keys from the exporter ("EXTRACTOR-dtls_srtp", RFC 5764 §4.2) for our side, or null if the
     * peers negotiated no use_srtp profile.
     */
    public SrtpKeyingMaterial exportSrtpKeys(boolean client) {
        if (srtpProfile == null) {
            return null;
        }
        byte[] exported = keys.export("EXTRACTOR-dtls_srtp", clientRandom, serverRandom, SrtpKeyingMaterial.exporterLength(srtpProfile));
        SrtpKeyingMaterial material = SrtpKeyingMaterial.fromExporter(srtpProfile, exported, client);
        Arrays.fill(exported, (byte) 0);
        return material;
    }

    /** Handshake bytes held for reassembly. */
    public int bufferedBytes() {
        return reassembler.buffered();
    }

    /** Whether any handshake secret (master secret, ECDHE private key, cookie secret) is still held. */
    public boolean holdsSecrets() {
        return keys != null || ecdhe != null;
    }

    /** A ChangeCipherSpec record: the peer's next records are protected with the keys prepared for them. */
    public void onChangeCipherSpec(byte[] plain) {
        if (plain.length != 1 || plain[0] != 1 || !records.changeReadEpoch()) {
            drops.count(DtlsDropReason.UNEXPECTED);
        }
    }

    /** A handshake record's plaintext: its fragments reassembled, whole messages handled in order. */
    public void onHandshakeRecord(long now, InetSocketAddress source, byte[] plain, int epoch) throws HandshakeFailure {
        try {
            TlsReader r = new TlsReader(plain);
            while (r.remaining() > 0) {
                if (r.remaining() < HANDSHAKE_HEADER) {
                    drops.count(DtlsDropReason.BAD_FRAGMENT);
                    return;
                }
                int type = r.u8();
                int length = r.u24();
                int seq = r.u16();
                int fragmentOffset = r.u24();
                int fragmentLength = r.u24();
                if (fragmentLength > r.remaining()) {
                    drops.count(DtlsDropReason.BAD_FRAGMENT);
                    return;
                }
                int dataAt = r.position();
                r.skip(fragmentLength);
                if (complete) {
                    onFragmentAfterCompletion(seq);
                    continue;
                }
                if (type == FINISHED && epoch == 0) {
                    drops.count(DtlsDropReason.UNPROTECTED_FINISHED); // Finished is always protected: this one is forged
                    continue;
                }
                if (!admit(type, seq)) {
                    continue;
                }
                HandshakeReassembler.Result result = reassembler.add(type, length, seq, fragmentOffset, fragmentLength, plain, dataAt);
                if (result == HandshakeReassembler.Result.INCONSISTENT && startOver(seq)) {
                    result = reassembler.add(type, length, seq, fragmentOffset, fragmentLength, plain, dataAt);
                }
                if (result == HandshakeReassembler.Result.OLD) {
                    flight.answerRepeat();
                    continue;
                }
                if (result != HandshakeReassembler.Result.ADDED) {
                    drops.count(DtlsDropReason.BAD_FRAGMENT);
                    continue;
                }
                for (Message m; (m = reassembler.poll()) != null; ) {
                    onMessage(now, source, m);
                }
            }
        } catch (DecodeException e) {
            throw new HandshakeFailure(ALERT_DECODE_ERROR, "malformed handshake message: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new HandshakeFailure(ALERT_HANDSHAKE_FAILURE, "handshake cryptography failed: " + e.getMessage());
        }
    }

    /**
     * After the handshake only a repeat of a message we had (the peer lost our last flight and sends its own
     * again) means something: we send our last flight again. Anything else is a renegotiation eddy refuses
     * or noise; nothing is reassembled any more.
     */
    private void onFragmentAfterCompletion(int seq) {
        if (seq < reassembler.nextSeq()) {
            flight.answerRepeat();
        } else {
            drops.count(DtlsDropReason.UNEXPECTED);
        }
    }

    /** Zeroes and forgets every handshake secret: the master secret, our ECDHE key. Called once keys are out. */
    public void destroySecrets() {
        if (keys != null) {
            keys.destroy();
            keys = null;
        }
        forgetKeyShare();
    }

    void forgetKeyShare() {
        if (ecdhe != null) {
            ecdhe.destroy();
            ecdhe = null;
        }
    }

    // ------------------------------------------------------------------ shared by both sides

    /** Adds one of our handshake messages to the flight and the transcript, with the next message_seq. */
    void addHandshake(int type, byte[] body) {
        int seq = messageSeqOut++;
        flight.addHandshake(type, seq, body, records.writeEpoch());
        transcript.add(type, seq, body);
    }

    /** Our next message_seq (a server's first follows the ClientHello it answers). */
    void nextMessageSeq(int seq) {
        messageSeqOut = seq;
    }

    /** ChangeCipherSpec into the flight; what follows it is sent protected. */
    void addChangeCipherSpec() {
        flight.addChangeCipherSpec(records.writeEpoch());
        records.changeWriteEpoch();
    }

    void appendTranscript(Message m) {
        transcript.add(m.type(), m.seq(), m.body());
    }

    /** The master secret from the ECDHE result (zeroed here) and the record keys for both directions. */
    void deriveKeys(byte[] preMaster, boolean client) {
        keys = new KeySchedule(suite, preMaster, transcript.hash(suite));
        RecordProtection[] both = keys.recordKeys(clientRandom, serverRandom);
        records.prepareWriteKeys(client ? both[0] : both[1]);
        records.prepareReadKeys(client ? both[1] : both[0]);
    }

    byte[] finishedData(String label) {
        return keys.finished(label, transcript.hash(suite));
    }

    void verifyFinished(byte[] body, String label) throws HandshakeFailure {
        if (!MessageDigest.isEqual(finishedData(label), body)) {
            throw new HandshakeFailure(ALERT_DECRYPT_ERROR, "the peer's Finished does not verify");
        }
    }

    void onCertificate(byte[] body) throws DecodeException, HandshakeFailure {
        TlsReader r = new TlsReader(body);
        TlsReader list = r.slice(r.u24());
        if (list.remaining() == 0) {
            throw new HandshakeFailure(ALERT_HANDSHAKE_FAILURE, "the peer sent no certificate; WebRTC needs one from both sides (RFC 8827)");
        }
        byte[] der = list.bytes(list.u24());
        X509Certificate x509;
        try {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) { // the JDK's parser meets some hostile DER with runtime exceptions
            throw new HandshakeFailure(ALERT_BAD_CERTIFICATE, "the peer's certificate does not parse: " + e.getMessage());
        }
        if (remoteFingerprint != null && !remoteFingerprint.matches(der)) {
            throw new HandshakeFailure(ALERT_BAD_CERTIFICATE, "the peer's certificate does not match the signalled fingerprint");
        }
        peerCertificate = der;
        peerKey = x509.getPublicKey();
    }

    byte[] certificateMessage() {
        return new TlsWriter().u24(certificateDer.length + 3).u24(certificateDer.length).bytes(certificateDer).toByteArray();
    }

    byte[] sign(byte[] data) throws GeneralSecurityException {
        return Signatures.sign(privateKey, secure, data);
    }

    boolean verifySignature(int algorithm, byte[] data, byte[] signature) throws GeneralSecurityException {
        return Signatures.verify(peerKey, algorithm, data, signature);
    }

    byte[] random32() {
        byte[] r = new byte[RANDOM_LENGTH];
        secure.nextBytes(r);
        return r;
    }

    /** Both Finished verified: what only the handshake needed (transcript, partial messages) is let go. */
    void complete() {
        complete = true;
        transcript.reset();
        reassembler.expect(reassembler.nextSeq());
    }

    HandshakeFailure unexpected(Message m) {
        return new HandshakeFailure(ALERT_UNEXPECTED_MESSAGE, "unexpected handshake message " + m.type() + " in state " + state());
    }
}
