package io.eddyrtc.crypto.dtls;

import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.crypto.dtls.internal.ClientHandshake;
import io.eddyrtc.crypto.dtls.internal.Flight;
import io.eddyrtc.crypto.dtls.internal.Handshake;
import io.eddyrtc.crypto.dtls.internal.HandshakeFailure;
import io.eddyrtc.crypto.dtls.internal.Outbox;
import io.eddyrtc.crypto.dtls.internal.RecordLayer;
import io.eddyrtc.crypto.dtls.internal.ServerHandshake;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.random.RandomGenerator;

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
 * One side of a DTLS 1.2 association (RFC 6347) as WebRTC uses it (RFC 8827, 5763, 5764), sans-I/O:
 * datagrams and time in ({@link #handleReceive}, {@link #handleTimeout}), datagrams and events out
 * ({@link #pollTransmit}, {@link #pollEvent}). ECDHE-ECDSA with AES-GCM or ChaCha20-Poly1305, X25519 /
 * P-256 / P-384, extended master secret required, certificates required both ways and accepted only if
 * they match the signalled fingerprint, use_srtp with the keying-material exporter, stateless cookies on
 * the server, fragmentation to the MTU, reassembly with hard limits, and flight retransmission on a timer.
 *
 * <p>Inside, each job has its class: the {@link RecordLayer} (records, epochs, protection, replay), the
 * {@link Handshake} (the client's or the server's state machine), the {@link Flight} (our messages and
 * their retransmission) and the {@link Outbox} (datagrams until the caller takes them). This class ties
 * them together and owns the connection's state and events.
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
    private final Handshake handshake;
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
        this.handshake = client
                ? new ClientHandshake(config, certificate.derUnsafe(), certificate.privateKey(), secure, records, flight, outbox, drops)
                : new ServerHandshake(config, certificate.derUnsafe(), certificate.privateKey(), secure, records, flight, outbox, drops);
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

    /** Sends application data (one record; SCTP packets fit the MTU). */
    @Override
    public void send(long now, byte[] data, int offset, int length) {
        if (!isConnected()) {
            throw new IllegalStateException("DTLS is not connected; wait for DtlsEvent.Connected before sending application data");
        }
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
                case HANDSHAKE -> onHandshake(now, source, plain, records.epoch());
                case APPLICATION_DATA -> onApplicationData(plain);
                default -> drops.count(DtlsDropReason.UNEXPECTED);
            }
        }
    }

    private void onHandshake(long now, InetSocketAddress source, byte[] plain, int epoch) {
        try {
            handshake.onHandshakeRecord(now, source, plain, epoch);
        } catch (HandshakeFailure f) {
            fail(f.alert(), f.getMessage());
            return;
        }
        if (state == State.HANDSHAKING && handshake.isComplete()) {
            connected();
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
        events.add(new DtlsEvent.Connected(handshake.suite(), handshake.exportSrtpKeys(client),
                Fingerprint.sha256(handshake.peerCertificate())));
        handshake.destroySecrets();
    }

    /** Closed or failed: no timers, no secrets, no keys. */
    private void end() {
        flight.stopTimer();
        handshake.destroySecrets();
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
