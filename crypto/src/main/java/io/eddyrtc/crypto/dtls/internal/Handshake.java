package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsDropReason;
import io.eddyrtc.crypto.dtls.DtlsVersion;
import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.crypto.dtls.NamedGroup;
import io.eddyrtc.crypto.dtls.internal.HandshakeReassembler.Message;
import io.eddyrtc.crypto.dtls.internal.TlsReader.DecodeException;
import io.eddyrtc.crypto.srtp.SrtpKeyingMaterial;
import io.eddyrtc.crypto.srtp.SrtpProfile;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;

import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_DECODE_ERROR;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_HANDSHAKE_FAILURE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_UNEXPECTED_MESSAGE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.FINISHED;
import static io.eddyrtc.crypto.dtls.internal.Dtls.HANDSHAKE_HEADER;
import static io.eddyrtc.crypto.dtls.internal.Dtls.RANDOM_LENGTH;

/**
 * A DTLS handshake as WebRTC runs it, whichever the version: what both versions and both sides share.
 * Handshake records come in as plaintext from the {@link RecordLayer}; fragments are put back together
 * ({@link HandshakeReassembler}, the same 12-byte header in 1.2 and 1.3) and each whole message goes to the
 * side's state machine; what we send goes out as a {@link Flight}. A handshake that cannot succeed throws
 * {@link HandshakeFailure}; one that succeeds is {@link #isComplete()} and hands out the keys.
 *
 * <p>The version is chosen in the hellos, so a handshake of one version may hand over to one of the other
 * ({@link #successor()}) with everything said so far: a dual-version server meeting a 1.2-only ClientHello,
 * a dual-version client meeting a 1.2 ServerHello.
 */
public abstract sealed class Handshake permits Handshake12, Handshake13 {
    final DtlsConfig config;
    final SecureRandom secure;
    final RecordLayer records;
    final Flight flight;
    final Outbox outbox;
    final DropCounter<DtlsDropReason> drops;
    final HandshakeReassembler reassembler;
    final Transcript transcript;
    final byte[] certificateDer;
    private final PrivateKey privateKey;

    Fingerprint remoteFingerprint;
    byte[] clientRandom;
    byte[] serverRandom;
    DtlsCipherSuite suite;
    NamedGroup group;
    SrtpProfile srtpProfile;
    byte[] peerCertificate;
    PublicKey peerKey;
    private int messageSeqOut;
    private boolean complete;
    private Handshake successor;

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
        this.transcript = new Transcript();
    }

    /** Takes over from {@code from} of the other version: the same pieces, the same messages so far. */
    Handshake(Handshake from) {
        this.config = from.config;
        this.certificateDer = from.certificateDer;
        this.privateKey = from.privateKey;
        this.secure = from.secure;
        this.records = from.records;
        this.flight = from.flight;
        this.outbox = from.outbox;
        this.drops = from.drops;
        this.reassembler = from.reassembler;
        this.transcript = from.transcript;
        this.remoteFingerprint = from.remoteFingerprint;
        this.clientRandom = from.clientRandom;
        this.messageSeqOut = from.messageSeqOut;
    }

    /** A client sends its first flight; a server does nothing (it waits for a ClientHello). */
    public abstract void start(long now);

    /** The state machine's state, for failure messages and logs. */
    public abstract String state();

    public abstract DtlsVersion version();

    /** A whole handshake message, in order. */
    abstract void onMessage(long now, InetSocketAddress source, Message m)
            throws HandshakeFailure, DecodeException, GeneralSecurityException;

    /**
     * Whether the handshake is bound to a peer yet: a client once started, a server once it answered a
     * ClientHello. Before that there is no conversation for an alert to end.
     */
    public abstract boolean hasPeer();

    /** The SRTP keys from the exporter ("EXTRACTOR-dtls_srtp", RFC 5764 §4.2) for our side, or null without use_srtp. */
    public abstract SrtpKeyingMaterial exportSrtpKeys(boolean client);

    /** Whether any handshake secret (master or handshake secret, key exchange private key, cookie secret) is still held. */
    public abstract boolean holdsSecrets();

    /** Zeroes and forgets every handshake secret. Called once the keys are out, and when the connection ends. */
    public abstract void destroySecrets();

    /** A fragment after the handshake completed: {@code old} if its message was had already. */
    abstract void onFragmentAfterCompletion(long now, int type, int seq, boolean old, int epoch, long recordSeq,
                                            TlsReader fragment, int length, int offset) throws HandshakeFailure;

    /** The handshake of the other version that took over, or null. */
    public Handshake successor() {
        return successor;
    }

    /** Hands over to {@code next}, which goes on with {@code m} and whatever follows it. */
    void handOver(long now, InetSocketAddress source, Handshake next, Message m)
            throws HandshakeFailure, DecodeException, GeneralSecurityException {
        successor = next;
        next.onMessage(now, source, m);
    }

    /** {@code next} took over once it answered a message given to it directly. */
    void takeOver(Handshake next) {
        successor = next;
    }

    /** The handshake in charge: this one, or the one it handed over to. */
    private Handshake current() {
        Handshake h = this;
        while (h.successor != null) {
            h = h.successor;
        }
        return h;
    }

    /** Whether a fragment of message {@code type} with {@code seq} may go to reassembly; counts the drop if not. */
    boolean admit(int type, int seq, int epoch) {
        return true;
    }

    /**
     * A fragment of message {@code seq} contradicts the one being put together (another type or length):
     * true if the new one should replace it (only while nothing is bound, so the newest ClientHello wins).
     */
    boolean startOver(int seq) {
        return false;
    }

    /**
     * A server waiting for a ClientHello takes nothing else, at any message_seq (a client after a stateless
     * retry sends 1), and only in plaintext; counts the drop if not.
     */
    boolean admitWhileWaitingForHello(int type, int seq, int epoch) {
        if (type != Dtls.CLIENT_HELLO || epoch != 0) {
            drops.count(DtlsDropReason.UNEXPECTED);
            return false;
        }
        if (seq != reassembler.nextSeq()) {
            reassembler.expect(seq);
        }
        return true;
    }

    /** A server that answered a ClientHello takes no new one (a repeat of it still gets our flight again). */
    boolean refuseNewHello(int type, int seq) {
        if (type == Dtls.CLIENT_HELLO && seq >= reassembler.nextSeq()) {
            drops.count(DtlsDropReason.UNEXPECTED);
            return true;
        }
        return false;
    }

    /** Before a ClientHello is answered, the newest fragment wins: an unfinished one must not block the real one. */
    boolean startOverWhileWaitingForHello(int seq) {
        if (hasPeer()) {
            return false;
        }
        reassembler.expect(seq);
        return true;
    }

    /** A fragment of a message we had already: the peer repeats its flight, so ours was lost. */
    void onRepeat(int epoch, long recordSeq) {
        flight.answerRepeat();
    }

    /** A fragment went to reassembly (DTLS 1.3 acknowledges the records it came in). */
    void onBuffered(int epoch, long recordSeq) {
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

    public NamedGroup group() {
        return group;
    }

    /** The peer's certificate (DER) once received, else null. */
    public byte[] peerCertificate() {
        return peerCertificate;
    }

    /** Handshake bytes held for reassembly. */
    public int bufferedBytes() {
        return reassembler.buffered();
    }

    /** A ChangeCipherSpec record: DTLS 1.2 moves the peer's epoch; DTLS 1.3 has none. */
    public void onChangeCipherSpec(byte[] plain) {
        drops.count(DtlsDropReason.UNEXPECTED);
    }

    /** An ACK record (DTLS 1.3): 1.2 has none. */
    public void onAck(long now, byte[] plain, int epoch) throws HandshakeFailure {
        drops.count(DtlsDropReason.UNEXPECTED);
    }

    /** Every record of a datagram was read: DTLS 1.3 sends the acknowledgements it gathered. */
    public void afterDatagram() {
    }

    /** The connection ended: every secret goes, the traffic secrets a DTLS 1.3 KeyUpdate needs too. */
    public void end() {
        destroySecrets();
    }

    /** Application data is about to be sent: a chance to update keys before their usage limit (1.3). */
    public void beforeApplicationData(long now) {
    }

    /** Whether the handshake asks for the connection's keys to be updated now (DTLS 1.3 KeyUpdate); false if it cannot. */
    public boolean updateKeys(long now, boolean requestPeerUpdate) {
        return false;
    }

    /** A handshake record's plaintext: its fragments reassembled, whole messages handled in order. */
    public void onHandshakeRecord(long now, InetSocketAddress source, byte[] plain, int epoch, long recordSeq) throws HandshakeFailure {
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
                current().onFragment(now, source, plain, epoch, recordSeq, type, length, seq, fragmentOffset, fragmentLength, dataAt);
            }
        } catch (DecodeException e) {
            throw new HandshakeFailure(ALERT_DECODE_ERROR, "malformed handshake message: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new HandshakeFailure(ALERT_HANDSHAKE_FAILURE, "handshake cryptography failed: " + e.getMessage());
        }
    }

    private void onFragment(long now, InetSocketAddress source, byte[] plain, int epoch, long recordSeq, int type, int length,
                            int seq, int fragmentOffset, int fragmentLength, int dataAt)
            throws HandshakeFailure, DecodeException, GeneralSecurityException {
        if (complete) {
            onFragmentAfterCompletion(now, type, seq, seq < reassembler.nextSeq(), epoch, recordSeq,
                    new TlsReader(plain, dataAt, fragmentLength), length, fragmentOffset);
            return;
        }
        if (type == FINISHED && epoch == 0) {
            drops.count(DtlsDropReason.UNPROTECTED_FINISHED); // Finished is always protected: this one is forged
            return;
        }
        if (!admit(type, seq, epoch)) {
            return;
        }
        HandshakeReassembler.Result result = reassembler.add(type, length, seq, fragmentOffset, fragmentLength, plain, dataAt);
        if (result == HandshakeReassembler.Result.INCONSISTENT && startOver(seq)) {
            result = reassembler.add(type, length, seq, fragmentOffset, fragmentLength, plain, dataAt);
        }
        if (result == HandshakeReassembler.Result.OLD) {
            onRepeat(epoch, recordSeq);
            return;
        }
        if (result != HandshakeReassembler.Result.ADDED) {
            drops.count(DtlsDropReason.BAD_FRAGMENT);
            return;
        }
        onBuffered(epoch, recordSeq);
        for (Message m; (m = reassembler.poll()) != null; ) {
            current().onMessage(now, source, m);
        }
    }

    // ------------------------------------------------------------------ shared by both versions and sides

    /** Adds one of our handshake messages to the flight and the transcript, with the next message_seq. */
    void addHandshake(int type, byte[] body) {
        addHandshake(type, body, records.writeEpoch());
    }

    void addHandshake(int type, byte[] body, int epoch) {
        int seq = messageSeqOut++;
        flight.addHandshake(type, seq, body, epoch);
        transcript.add(type, seq, body);
    }

    /** A post-handshake message (DTLS 1.3): into the flight, not the transcript, which ended with the handshake. */
    void addPostHandshake(int type, byte[] body, int epoch) {
        flight.addHandshake(type, messageSeqOut++, body, epoch);
    }

    /** Our next message_seq (a server's first follows the ClientHello it answers). */
    void nextMessageSeq(int seq) {
        messageSeqOut = seq;
    }

    int nextMessageSeq() {
        return messageSeqOut;
    }

    void appendTranscript(Message m) {
        transcript.add(m.type(), m.seq(), m.body());
    }

    /**
     * The peer's certificate (DER): parsed, its key of a kind and size eddy verifies (ECDSA, RSA of 2048 to
     * 4096 bits), and matching the signalled fingerprint if that is known.
     */
    void acceptPeerCertificate(byte[] der) throws HandshakeFailure {
        PeerCertificate c = PeerCertificate.parse(der, remoteFingerprint);
        peerCertificate = der;
        peerKey = c.key();
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
