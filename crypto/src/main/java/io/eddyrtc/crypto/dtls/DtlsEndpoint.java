package io.eddyrtc.crypto.dtls;

import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.crypto.dtls.internal.ClientHandshake;
import io.eddyrtc.crypto.dtls.internal.ClientHandshake13;
import io.eddyrtc.crypto.dtls.internal.Flight;
import io.eddyrtc.crypto.dtls.internal.Handshake;
import io.eddyrtc.crypto.dtls.internal.HandshakeFailure;
import io.eddyrtc.crypto.dtls.internal.Outbox;
import io.eddyrtc.crypto.dtls.internal.RecordLayer;
import io.eddyrtc.crypto.dtls.internal.ServerHandshake;
import io.eddyrtc.crypto.dtls.internal.ServerHandshake13;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.random.RandomGenerator;

import static io.eddyrtc.crypto.dtls.internal.Dtls.ACK;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_BAD_CERTIFICATE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_CLOSE_NOTIFY;
import static io.eddyrtc.crypto.dtls.internal.Dtls.APPLICATION_DATA;
import static io.eddyrtc.crypto.dtls.internal.Dtls.CHANGE_CIPHER_SPEC;
import static io.eddyrtc.crypto.dtls.internal.Dtls.FATAL;
import static io.eddyrtc.crypto.dtls.internal.Dtls.HANDSHAKE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.WARNING;
import static java.lang.System.Logger.Level.DEBUG;

/**
 * One side of a DTLS association as WebRTC uses it (RFC 8827, 5763, 5764), sans-I/O: datagrams and time
 * in ({@link #handleReceive}, {@link #handleTimeout}), datagrams and events out ({@link #pollTransmit},
 * {@link #pollEvent}). DTLS 1.3 (RFC 9147) and 1.2 (RFC 6347), the version chosen in the hellos with
 * downgrade protection; the post-quantum hybrid X25519MLKEM768 (1.3), X25519, P-256 and P-384; AES-GCM or
 * ChaCha20-Poly1305; certificates required both ways (ours ECDSA P-256, the peer's ECDSA or RSA) and
 * accepted only if they match the signalled fingerprint; use_srtp with the keying-material exporter;
 * stateless cookies on the server; fragmentation to the MTU, reassembly with hard limits, flight
 * retransmission on a timer, and in 1.3 ACKs and KeyUpdate.
 *
 * <p>Inside, each job has its class: the {@link RecordLayer} (records of both versions, epochs,
 * protection, replay), the {@link Handshake} (the client's or the server's state machine of the chosen
 * version), the {@link Flight} (our messages and their retransmission) and the {@link Outbox} (datagrams
 * until the caller takes them). This class ties them together and owns the connection's state and events.
 *
 * <p>Input never throws: malformed, unexpected or unauthentic records are dropped and counted
 * ({@link DtlsDropReason}); a handshake that cannot succeed ends with an alert and a {@link DtlsEvent.Failed}.
 * Not thread-safe: one thread drives an endpoint.
 */
public final class DtlsEndpoint implements DtlsConnection {
    private static final System.Logger LOG = System.getLogger(DtlsEndpoint.class.getName());

    private enum State { HANDSHAKING, CONNECTED, CLOSED, FAILED }

    private final DtlsConfig config;
    private final boolean client;
    private final DropCounter<DtlsDropReason> drops = new DropCounter<>(DtlsDropReason.class, LOG, "DTLS");
    private final RecordLayer records = new RecordLayer(drops);
    private final Outbox outbox = new Outbox();
    private final Flight flight;
    /** The handshake of the version being spoken; a dual-version one hands over once the hellos choose 1.2. */
    private Handshake handshake;
    private final ArrayDeque<DtlsEvent> events = new ArrayDeque<>();

    private State state = State.HANDSHAKING;
    private Fingerprint remoteFingerprint;
    private boolean awaitingFingerprint;

    /**
     * @param client  true for the DTLS client (the {@code a=setup:active} side), false for the server
     * @param secure  randomness for the handshake (randoms, ECDHE keys, cookies, signatures)
     * @param jitter  seeded randomness for the retransmission timers (keeps simulations deterministic)
     */
    public DtlsEndpoint(DtlsConfig config, DtlsCertificate certificate, boolean client, SecureRandom secure, RandomGenerator jitter) {
        this.config = Objects.requireNonNull(config, "config: use DtlsConfig.defaults()");
        Objects.requireNonNull(certificate, "certificate: DtlsCertificate.generate(...)");
        Objects.requireNonNull(secure, "secure");
        Objects.requireNonNull(jitter, "jitter");
        this.client = client;
        this.flight = new Flight(config.mtu(), config.initialRetransmitNanos(), config.handshakeTimeoutNanos(), jitter, records, outbox);
        byte[] der = certificate.derUnsafe();
        boolean dtls13 = config.speaks(DtlsVersion.DTLS_1_3);
        if (client) {
            this.handshake = dtls13 ? new ClientHandshake13(config, der, certificate.privateKey(), secure, records, flight, outbox, drops)
                    : new ClientHandshake(config, der, certificate.privateKey(), secure, records, flight, outbox, drops);
        } else {
            this.handshake = dtls13 ? new ServerHandshake13(config, der, certificate.privateKey(), secure, records, flight, outbox, drops)
                    : new ServerHandshake(config, der, certificate.privateKey(), secure, records, flight, outbox, drops);
        }
    }

    // ------------------------------------------------------------------ API

    public boolean isClient() {
        return client;
    }

    /** The peer's {@code a=fingerprint}; its certificate must match. May come before or during the handshake. */
    @Override
    public void setRemoteFingerprint(Fingerprint fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (fingerprint.hashFunction().equals("sha-1")) {
            // SHA-1 collisions can be made, so a SHA-1 fingerprint cannot pin the peer's certificate
            fail(handshake.hasPeer() ? ALERT_BAD_CERTIFICATE : -1, "the peer signalled a sha-1 fingerprint, which eddy refuses as"
                    + " too weak to identify a certificate; the peer must signal sha-256 (or sha-384, sha-512)");
            return;
        }
        this.remoteFingerprint = fingerprint;
        handshake.setRemoteFingerprint(fingerprint);
        if (awaitingFingerprint) {
            awaitingFingerprint = false;
            if (fingerprint.matches(handshake.peerCertificate())) {
                emitConnected();
            } else {
                fail(ALERT_BAD_CERTIFICATE, "the peer's certificate does not match the signalled fingerprint");
            }
        }
    }

    /** A client sends its first ClientHello; a server needs no start (it waits for one). */
    @Override
    public void start(long now) {
        if (!isDone()) {
            handshake.start(now);
        }
    }

    @Override
    public boolean isConnected() {
        return state == State.CONNECTED && !awaitingFingerprint;
    }

    /** True once closed or failed: nothing more will happen. */
    @Override
    public boolean isDone() {
        return state == State.CLOSED || state == State.FAILED;
    }

    /** The DTLS version the handshake chose, once connected; null before. */
    public DtlsVersion version() {
        return state == State.CONNECTED ? handshake.version() : null;
    }

    /**
     * Asks for new keys (DTLS 1.3 KeyUpdate, RFC 9147 §8): ours change once the peer acknowledges, and with
     * {@code requestPeerUpdate} the peer changes its own. Keys are also updated on their own well before
     * their usage limit. False if an update is under way or our last flight is not yet acknowledged.
     *
     * @throws IllegalStateException before {@link DtlsEvent.Connected}, or on a DTLS 1.2 connection
     */
    public boolean updateKeys(long now, boolean requestPeerUpdate) {
        if (!isConnected() || handshake.version() != DtlsVersion.DTLS_1_3) {
            throw new IllegalStateException("KeyUpdate needs a connected DTLS 1.3 association; this one is "
                    + (isConnected() ? "DTLS 1.2, whose keys cannot be updated (it would need a renegotiation)" : "not connected"));
        }
        return handshake.updateKeys(now, requestPeerUpdate);
    }

    /** Sends application data (one record; SCTP packets fit the MTU). */
    @Override
    public void send(long now, byte[] data, int offset, int length) {
        if (!isConnected()) {
            throw new IllegalStateException("DTLS is not connected; wait for DtlsEvent.Connected before sending application data");
        }
        handshake.beforeApplicationData(now);
        int room = config.mtu() - records.overhead(records.writeEpoch());
        if (length > room) {
            throw new IllegalArgumentException("application data of " + length + " bytes exceeds one record (" + room
                    + " bytes with an MTU of " + config.mtu() + "); split it (SCTP does)");
        }
        outbox.add(records.seal(APPLICATION_DATA, records.writeEpoch(), data, offset, length));
    }

    /** Sends close_notify (if connected) and stops. */
    @Override
    public void close() {
        if (state == State.CONNECTED) {
            sendAlert(WARNING, ALERT_CLOSE_NOTIFY);
        }
        if (!isDone()) {
            state = State.CLOSED;
        }
        end();
    }

    @Override
    public byte[] pollTransmit() {
        return outbox.poll();
    }

    @Override
    public DtlsEvent pollEvent() {
        return events.poll();
    }

    @Override
    public long nextDeadline() {
        return flight.deadline();
    }

    public long dropped(DtlsDropReason reason) {
        return drops.dropped(reason);
    }

    public long droppedTotal() {
        return drops.total();
    }

    /** Datagrams we made but discarded unsent because too many waited for the caller to take them. */
    public long discardedTransmits() {
        return outbox.discarded();
    }

    /** The peer's certificate (DER), once received. */
    public byte[] peerCertificate() {
        byte[] der = handshake.peerCertificate();
        return der == null ? null : der.clone();
    }

    // ------------------------------------------------------------------ timers

    @Override
    public void handleTimeout(long now) {
        if (now < flight.deadline() || isDone()) {
            return;
        }
        if (flight.expired(now)) {
            if (state == State.CONNECTED) {
                flight.stopTimer(); // a post-handshake flight never acknowledged: the connection itself works
                return;
            }
            fail(-1, "handshake timed out: no answer to our flight for " + flight.unansweredFor(now) / 1_000_000 + " ms");
            return;
        }
        flight.retransmit(now);
    }

    // ------------------------------------------------------------------ input

    /** A datagram from the peer. {@code source} binds the server's cookie to the peer's address. */
    @Override
    public void handleReceive(long now, InetSocketAddress source, MemorySegment segment, long offset, int length) {
        byte[] datagram = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, datagram, 0, length);
        handleReceive(now, source, datagram);
    }

    public void handleReceive(long now, InetSocketAddress source, byte[] datagram) {
        if (isDone()) {
            drops.count(DtlsDropReason.CLOSED);
            return;
        }
        flight.newDatagram();
        records.begin(datagram);
        for (byte[] plain; !isDone() && (plain = records.next()) != null; ) {
            switch (records.type()) {
                case CHANGE_CIPHER_SPEC -> handshake.onChangeCipherSpec(plain);
                case ALERT -> onAlert(plain);
                case HANDSHAKE -> onHandshake(now, source, plain, records.epoch(), records.sequence());
                case APPLICATION_DATA -> onApplicationData(plain);
                case ACK -> onAck(now, plain, records.epoch());
                default -> drops.count(DtlsDropReason.UNEXPECTED);
            }
        }
        if (!isDone()) {
            handshake.afterDatagram();
        }
    }

    private void onHandshake(long now, InetSocketAddress source, byte[] plain, int epoch, long seq) {
        try {
            handshake.onHandshakeRecord(now, source, plain, epoch, seq);
        } catch (HandshakeFailure f) {
            fail(f.alert(), f.getMessage());
            return;
        } finally {
            while (handshake.successor() != null) {
                handshake = handshake.successor();
            }
        }
        if (state == State.HANDSHAKING && handshake.isComplete()) {
            connected();
        }
    }

    private void onAck(long now, byte[] plain, int epoch) {
        try {
            handshake.onAck(now, plain, epoch);
        } catch (HandshakeFailure f) {
            fail(f.alert(), f.getMessage());
        }
    }

    /**
     * An alert. After the handshake only protected ones get here (the record layer drops plaintext), so a
     * close_notify or fatal alert then is the peer's own. During the handshake nothing is authenticated yet
     * and a plaintext alert is the only way a peer can refuse; it is honoured once the handshake has a peer,
     * and dropped before (a server that answered no ClientHello, a client not started: nothing to end).
     */
    private void onAlert(byte[] plain) {
        if (plain.length < 2 || state == State.HANDSHAKING && !handshake.hasPeer()) {
            drops.count(DtlsDropReason.UNEXPECTED);
            return;
        }
        int level = plain[0] & 0xFF;
        int description = plain[1] & 0xFF;
        if (description == ALERT_CLOSE_NOTIFY) {
            if (state == State.CONNECTED) {
                sendAlert(WARNING, ALERT_CLOSE_NOTIFY);
            }
            state = State.CLOSED;
            end();
            events.add(new DtlsEvent.Closed());
        } else if (level == FATAL) {
            state = State.FAILED;
            end();
            events.add(new DtlsEvent.Failed("the peer sent fatal alert " + description));
        }
    }

    private void onApplicationData(byte[] plain) {
        if (state != State.CONNECTED || awaitingFingerprint) {
            drops.count(DtlsDropReason.UNEXPECTED);
            return;
        }
        events.add(new DtlsEvent.ApplicationData(plain));
    }

    // ------------------------------------------------------------------ outcomes

    private void connected() {
        state = State.CONNECTED;
        records.refusePlaintext();
        outbox.unbound();
        if (remoteFingerprint == null) {
            awaitingFingerprint = true; // keys are held back until the signalled fingerprint confirms the peer
            return;
        }
        emitConnected();
    }

    /** The keys go out; the handshake's own secrets, needed for nothing more, are zeroed. */
    private void emitConnected() {
        events.add(new DtlsEvent.Connected(handshake.version(), handshake.suite(), handshake.group(), handshake.exportSrtpKeys(client),
                Fingerprint.sha256(handshake.peerCertificate())));
        handshake.destroySecrets();
    }

    /** Closed or failed: no timers, no secrets, no keys. */
    private void end() {
        flight.stopTimer();
        handshake.end();
        records.forgetKeys();
    }

    private void sendAlert(int level, int description) {
        outbox.add(records.seal(ALERT, records.writeEpoch(), new byte[] {(byte) level, (byte) description}, 0, 2));
    }

    private void fail(int alert, String reason) {
        if (isDone()) {
            return;
        }
        if (alert >= 0) {
            sendAlert(FATAL, alert);
        }
        state = State.FAILED;
        end();
        events.add(new DtlsEvent.Failed(reason));
        if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, "DTLS failed: {0}", reason);
        }
    }

    // ------------------------------------------------------------------ for tests in this package

    /**
     * A record of any content type sealed with our current write keys, as we would send it: lets a test
     * play a peer that sends what eddy never does (a protected ClientHello, an alert of its choosing).
     */
    byte[] sealRecord(int contentType, byte[] content) {
        return records.seal(contentType, records.writeEpoch(), content, 0, content.length);
    }

    /** The epoch our records go out in (1.3: 3 after the handshake, one more per KeyUpdate). */
    int writeEpoch() {
        return records.writeEpoch();
    }

    /** Whether our last flight (or KeyUpdate) still waits to be answered or acknowledged. */
    boolean flightOutstanding() {
        return flight.deadline() != Long.MAX_VALUE;
    }

    /** Handshake bytes held for reassembly. */
    int bufferedHandshakeBytes() {
        return handshake.bufferedBytes();
    }

    /** Whether any handshake secret (master secret, ECDHE private key, cookie secret) is still held. */
    boolean holdsHandshakeSecrets() {
        return handshake.holdsSecrets();
    }

    @Override
    public String toString() {
        String where = state == State.HANDSHAKING ? handshake.state() : state.name();
        return "DtlsEndpoint[" + (client ? "client" : "server") + ", " + where
                + (handshake.suite() != null ? ", " + handshake.suite() : "") + "]";
    }
}
