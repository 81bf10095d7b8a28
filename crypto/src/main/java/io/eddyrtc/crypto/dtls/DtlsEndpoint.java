package io.eddyrtc.crypto.dtls;

import io.eddyrtc.crypto.dtls.TlsReader.DecodeException;
import io.eddyrtc.crypto.srtp.SrtpKeyingMaterial;
import io.eddyrtc.crypto.srtp.SrtpProfile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * One side of a DTLS 1.2 association (RFC 6347) as WebRTC uses it (RFC 8827, 5763, 5764), sans-I/O:
 * datagrams and time in ({@link #handleReceive}, {@link #handleTimeout}), datagrams and events out
 * ({@link #pollTransmit}, {@link #pollEvent}). ECDHE-ECDSA with AES-GCM or ChaCha20-Poly1305, X25519 /
 * P-256 / P-384, extended master secret required, certificates required both ways and accepted only if
 * they match the signalled fingerprint, use_srtp with the keying-material exporter, stateless cookies on
 * the server, fragmentation to the MTU, reassembly with hard limits, and flight retransmission on a timer.
 *
 * <p>Input never throws: malformed, unexpected or unauthentic records are dropped and counted
 * ({@link DtlsDropReason}); a handshake that cannot succeed ends with an alert and a {@link DtlsEvent.Failed}.
 * Not thread-safe: one thread drives an endpoint.
 */
public final class DtlsEndpoint implements DtlsConnection {
    private static final System.Logger LOG = System.getLogger(DtlsEndpoint.class.getName());

    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;

    static final int CLIENT_HELLO = 1;
    static final int SERVER_HELLO = 2;
    static final int HELLO_VERIFY_REQUEST = 3;
    static final int CERTIFICATE = 11;
    static final int SERVER_KEY_EXCHANGE = 12;
    static final int CERTIFICATE_REQUEST = 13;
    static final int SERVER_HELLO_DONE = 14;
    static final int CERTIFICATE_VERIFY = 15;
    static final int CLIENT_KEY_EXCHANGE = 16;
    static final int FINISHED = 20;

    static final int EXT_SUPPORTED_GROUPS = 10;
    static final int EXT_EC_POINT_FORMATS = 11;
    static final int EXT_SIGNATURE_ALGORITHMS = 13;
    static final int EXT_USE_SRTP = 14;
    static final int EXT_EXTENDED_MASTER_SECRET = 23;
    static final int EXT_RENEGOTIATION_INFO = 0xFF01;

    static final int ECDSA_SECP256R1_SHA256 = 0x0403;
    static final int ECDSA_SECP384R1_SHA384 = 0x0503;
    static final int ECDSA_SECP521R1_SHA512 = 0x0603;

    static final int ALERT_CLOSE_NOTIFY = 0;
    static final int ALERT_UNEXPECTED_MESSAGE = 10;
    static final int ALERT_HANDSHAKE_FAILURE = 40;
    static final int ALERT_BAD_CERTIFICATE = 42;
    static final int ALERT_ILLEGAL_PARAMETER = 47;
    static final int ALERT_DECODE_ERROR = 50;
    static final int ALERT_DECRYPT_ERROR = 51;
    static final int ALERT_PROTOCOL_VERSION = 70;

    private static final int RECORD_HEADER = 13;
    private static final int HANDSHAKE_HEADER = 12;
    private static final int DTLS_1_2 = 0xFEFD;
    private static final int DTLS_1_0 = 0xFEFF;

    private enum State { NEW, CLIENT_WAIT_SERVER_HELLO, CLIENT_WAIT_HELLO_DONE, CLIENT_WAIT_FINISHED,
        SERVER_WAIT_CLIENT_HELLO, SERVER_WAIT_CLIENT_FLIGHT, CONNECTED, CLOSED, FAILED }

    /** One message of a flight, kept so the flight can be sent again (with fresh record numbers). */
    private record FlightEntry(int contentType, int handshakeType, int messageSeq, byte[] body, int epoch) {}

    private final DtlsConfig config;
    private final DtlsCertificate certificate;
    private final boolean client;
    private final SecureRandom secure;
    private final RandomGenerator jitter;
    private final HandshakeReassembler reassembler;
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    private final ArrayDeque<byte[]> transmits = new ArrayDeque<>();
    private final ArrayDeque<DtlsEvent> events = new ArrayDeque<>();
    private final long[] drops = new long[DtlsDropReason.values().length];
    private final long[] writeSeq = new long[2];
    private final byte[] cookieSecret = new byte[32];

    private State state = State.NEW;
    private Fingerprint remoteFingerprint;
    private byte[] clientRandom;
    private byte[] serverRandom;
    private byte[] cookie = new byte[0];
    private DtlsCipherSuite suite;
    private NamedGroup group;
    private KeyShare ecdhe;
    private byte[] peerKeyShare;
    private SrtpProfile srtpProfile;
    private List<SrtpProfile> offeredSrtp = List.of();
    private byte[] masterSecret;
    private RecordProtection writeProtection;
    private RecordProtection readProtection;
    private RecordProtection pendingWrite;
    private RecordProtection pendingRead;
    private int writeEpoch;
    private int readEpoch;
    private long readHighest = -1;
    private long readWindow;
    private int messageSeqOut;
    private byte[] peerCertificate;
    private PublicKey peerKey;
    private boolean certificateRequested;
    private boolean awaitingFingerprint;

    private final List<FlightEntry> flight = new ArrayList<>();
    private long flightStartedAt;
    private long retransmitAt = Long.MAX_VALUE;
    private long rto;
    private boolean answeredPeerRetransmission;

    /**
     * @param client  true for the DTLS client (the {@code a=setup:active} side), false for the server
     * @param secure  randomness for the handshake (randoms, ECDHE keys, cookies, signatures)
     * @param jitter  seeded randomness for the retransmission timers (keeps simulations deterministic)
     */
    public DtlsEndpoint(DtlsConfig config, DtlsCertificate certificate, boolean client, SecureRandom secure, RandomGenerator jitter) {
        this.config = Objects.requireNonNull(config, "config: use DtlsConfig.defaults()");
        this.certificate = Objects.requireNonNull(certificate, "certificate: DtlsCertificate.generate(...)");
        this.client = client;
        this.secure = Objects.requireNonNull(secure, "secure");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.reassembler = new HandshakeReassembler(config.maxMessageLength(), config.maxBufferedBytes());
        secure.nextBytes(cookieSecret);
        this.rto = config.initialRetransmitNanos();
        if (!client) {
            state = State.SERVER_WAIT_CLIENT_HELLO;
        }
    }

    // ------------------------------------------------------------------ API

    public boolean isClient() {
        return client;
    }

    /** The peer's {@code a=fingerprint}; its certificate must match. May come before or during the handshake. */
    public void setRemoteFingerprint(Fingerprint fingerprint) {
        this.remoteFingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        if (awaitingFingerprint) {
            awaitingFingerprint = false;
            if (fingerprint.matches(peerCertificate)) {
                emitConnected();
            } else {
                fail(ALERT_BAD_CERTIFICATE, "the peer's certificate does not match the signalled fingerprint");
            }
        }
    }

    /** A client sends its first ClientHello; a server needs no start (it waits for one). */
    public void start(long now) {
        if (!client) {
            return;
        }
        if (state != State.NEW) {
            throw new IllegalStateException("start() was already called on this DTLS client");
        }
        clientRandom = random32();
        state = State.CLIENT_WAIT_SERVER_HELLO;
        sendClientHello(now);
    }

    public boolean isConnected() {
        return state == State.CONNECTED && !awaitingFingerprint;
    }

    /** True once closed or failed: nothing more will happen. */
    public boolean isDone() {
        return state == State.CLOSED || state == State.FAILED;
    }

    /** Sends application data (one record; SCTP packets fit the MTU). */
    public void send(long now, byte[] data, int offset, int length) {
        if (!isConnected()) {
            throw new IllegalStateException("DTLS is not connected; wait for DtlsEvent.Connected before sending application data");
        }
        int room = config.mtu() - RECORD_HEADER - writeProtection.overhead();
        if (length > room) {
            throw new IllegalArgumentException("application data of " + length + " bytes exceeds one record (" + room
                    + " bytes with an MTU of " + config.mtu() + "); split it (SCTP does)");
        }
        transmits.add(record(APPLICATION_DATA, 1, data, offset, length));
    }

    /** Sends close_notify (if connected) and stops. */
    public void close() {
        if (state == State.CONNECTED) {
            transmits.add(record(ALERT, writeEpoch, new byte[] {1, ALERT_CLOSE_NOTIFY}, 0, 2));
        }
        if (!isDone()) {
            state = State.CLOSED;
        }
        retransmitAt = Long.MAX_VALUE;
    }

    public byte[] pollTransmit() {
        return transmits.poll();
    }

    public DtlsEvent pollEvent() {
        return events.poll();
    }

    public long nextDeadline() {
        return retransmitAt;
    }

    public long dropped(DtlsDropReason reason) {
        return drops[reason.ordinal()];
    }

    public long droppedTotal() {
        long n = 0;
        for (long d : drops) {
            n += d;
        }
        return n;
    }

    /** The peer's certificate (DER), once received. */
    public byte[] peerCertificate() {
        return peerCertificate == null ? null : peerCertificate.clone();
    }

    // ------------------------------------------------------------------ timers

    public void handleTimeout(long now) {
        if (now < retransmitAt || isDone()) {
            return;
        }
        if (now - flightStartedAt >= config.handshakeTimeoutNanos()) {
            fail(-1, "handshake timed out: no answer to our flight for " + (now - flightStartedAt) / 1_000_000 + " ms");
            return;
        }
        transmitFlight();
        rto = Math.min(rto * 2, config.handshakeTimeoutNanos());
        armTimer(now);
        answeredPeerRetransmission = false;
    }

    private void armTimer(long now) {
        long jittered = (long) (rto * (0.75 + 0.5 * jitter.nextDouble()));
        retransmitAt = now + Math.max(1, jittered);
    }

    // ------------------------------------------------------------------ input

    /** A datagram from the peer. {@code source} binds the server's cookie to the peer's address. */
    public void handleReceive(long now, InetSocketAddress source, MemorySegment segment, long offset, int length) {
        byte[] datagram = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, datagram, 0, length);
        handleReceive(now, source, datagram);
    }

    public void handleReceive(long now, InetSocketAddress source, byte[] datagram) {
        answeredPeerRetransmission = false; // answer a repeated peer flight at most once per datagram
        int at = 0;
        while (at < datagram.length && !isDone()) {
            if (datagram.length - at < RECORD_HEADER) {
                drop(DtlsDropReason.MALFORMED_RECORD);
                return;
            }
            int type = datagram[at] & 0xFF;
            int version = (datagram[at + 1] & 0xFF) << 8 | (datagram[at + 2] & 0xFF);
            int epoch = (datagram[at + 3] & 0xFF) << 8 | (datagram[at + 4] & 0xFF);
            long seq = 0;
            for (int i = 0; i < 6; i++) {
                seq = seq << 8 | (datagram[at + 5 + i] & 0xFF);
            }
            int length = (datagram[at + 11] & 0xFF) << 8 | (datagram[at + 12] & 0xFF);
            int fragment = at + RECORD_HEADER;
            if (fragment + length > datagram.length) {
                drop(DtlsDropReason.MALFORMED_RECORD);
                return;
            }
            at = fragment + length;
            if (version != DTLS_1_2 && version != DTLS_1_0) {
                drop(DtlsDropReason.BAD_VERSION);
                continue;
            }
            byte[] plain;
            if (epoch == 0) {
                if (type == APPLICATION_DATA) {
                    drop(DtlsDropReason.UNEXPECTED);
                    continue;
                }
                plain = Arrays.copyOfRange(datagram, fragment, fragment + length);
            } else if (epoch == readEpoch && readProtection != null) {
                if (isReplay(seq)) {
                    drop(DtlsDropReason.REPLAYED_RECORD);
                    continue;
                }
                plain = readProtection.open(type, epoch, seq, datagram, fragment, length);
                if (plain == null) {
                    drop(DtlsDropReason.BAD_RECORD_MAC);
                    continue;
                }
                markSeen(seq);
            } else {
                drop(DtlsDropReason.WRONG_EPOCH);
                continue;
            }
            try {
                switch (type) {
                    case CHANGE_CIPHER_SPEC -> onChangeCipherSpec(plain);
                    case ALERT -> onAlert(plain);
                    case HANDSHAKE -> onHandshakeRecord(now, source, plain, epoch);
                    case APPLICATION_DATA -> onApplicationData(plain);
                    default -> drop(DtlsDropReason.UNEXPECTED);
                }
            } catch (DecodeException e) {
                fail(ALERT_DECODE_ERROR, "malformed handshake message: " + e.getMessage());
            } catch (GeneralSecurityException e) {
                fail(ALERT_HANDSHAKE_FAILURE, "handshake cryptography failed: " + e.getMessage());
            }
        }
    }

    private boolean isReplay(long seq) {
        if (seq > readHighest) {
            return false;
        }
        long delta = readHighest - seq;
        return delta >= 64 || (readWindow & (1L << delta)) != 0;
    }

    private void markSeen(long seq) {
        if (seq > readHighest) {
            long shift = seq - readHighest;
            readWindow = shift >= 64 ? 1L : (readWindow << shift) | 1L;
            readHighest = seq;
        } else {
            readWindow |= 1L << (readHighest - seq);
        }
    }

    private void onChangeCipherSpec(byte[] plain) {
        if (plain.length != 1 || plain[0] != 1 || pendingRead == null) {
            drop(DtlsDropReason.UNEXPECTED);
            return;
        }
        readProtection = pendingRead;
        pendingRead = null;
        readEpoch = 1;
        readHighest = -1;
        readWindow = 0;
    }

    private void onAlert(byte[] plain) {
        if (plain.length < 2) {
            drop(DtlsDropReason.UNEXPECTED);
            return;
        }
        int level = plain[0] & 0xFF;
        int description = plain[1] & 0xFF;
        if (description == ALERT_CLOSE_NOTIFY) {
            if (state == State.CONNECTED) {
                transmits.add(record(ALERT, writeEpoch, new byte[] {1, ALERT_CLOSE_NOTIFY}, 0, 2));
            }
            state = State.CLOSED;
            retransmitAt = Long.MAX_VALUE;
            events.add(new DtlsEvent.Closed());
        } else if (level == 2) {
            state = State.FAILED;
            retransmitAt = Long.MAX_VALUE;
            events.add(new DtlsEvent.Failed("the peer sent fatal alert " + description));
        }
    }

    private void onApplicationData(byte[] plain) {
        if (state != State.CONNECTED || awaitingFingerprint) {
            drop(DtlsDropReason.UNEXPECTED);
            return;
        }
        events.add(new DtlsEvent.ApplicationData(plain));
    }

    private void onHandshakeRecord(long now, InetSocketAddress source, byte[] plain, int epoch)
            throws DecodeException, GeneralSecurityException {
        TlsReader r = new TlsReader(plain);
        while (r.remaining() > 0) {
            if (r.remaining() < HANDSHAKE_HEADER) {
                drop(DtlsDropReason.BAD_FRAGMENT);
                return;
            }
            int type = r.u8();
            int length = r.u24();
            int seq = r.u16();
            int fragmentOffset = r.u24();
            int fragmentLength = r.u24();
            if (fragmentLength > r.remaining()) {
                drop(DtlsDropReason.BAD_FRAGMENT);
                return;
            }
            int dataAt = r.position();
            r.skip(fragmentLength);
            if (!client && state == State.SERVER_WAIT_CLIENT_HELLO) {
                if (type != CLIENT_HELLO) {
                    drop(DtlsDropReason.UNEXPECTED);
                    continue;
                }
                if (seq != reassembler.nextSeq()) {
                    reassembler.expect(seq); // after a stateless cookie exchange the hello carries seq 1
                }
            }
            HandshakeReassembler.Result result = reassembler.add(type, length, seq, fragmentOffset, fragmentLength, plain, dataAt);
            if (result == HandshakeReassembler.Result.OLD) {
                onPeerRetransmission(now);
                continue;
            }
            if (result != HandshakeReassembler.Result.ADDED) {
                drop(DtlsDropReason.BAD_FRAGMENT);
                continue;
            }
            for (HandshakeReassembler.Message m; (m = reassembler.poll()) != null && !isDone(); ) {
                onMessage(now, source, m);
            }
        }
    }

    /** The peer sent a message we already have: our last flight was lost, so send it again (once per peer flight). */
    private void onPeerRetransmission(long now) {
        if (!flight.isEmpty() && !answeredPeerRetransmission && !isDone()) {
            answeredPeerRetransmission = true;
            transmitFlight();
        }
    }

    private void onMessage(long now, InetSocketAddress source, HandshakeReassembler.Message m)
            throws DecodeException, GeneralSecurityException {
        if (client) {
            switch (state) {
                case CLIENT_WAIT_SERVER_HELLO -> {
                    if (m.type() == HELLO_VERIFY_REQUEST) {
                        onHelloVerifyRequest(now, m);
                    } else if (m.type() == SERVER_HELLO) {
                        appendTranscript(m);
                        onServerHello(m.body());
                        if (!isDone()) {
                            state = State.CLIENT_WAIT_HELLO_DONE;
                        }
                    } else {
                        unexpected(m);
                    }
                }
                case CLIENT_WAIT_HELLO_DONE -> {
                    appendTranscript(m);
                    switch (m.type()) {
                        case CERTIFICATE -> onCertificate(m.body());
                        case SERVER_KEY_EXCHANGE -> onServerKeyExchange(m.body());
                        case CERTIFICATE_REQUEST -> certificateRequested = true;
                        case SERVER_HELLO_DONE -> onServerHelloDone(now);
                        default -> unexpected(m);
                    }
                }
                case CLIENT_WAIT_FINISHED -> {
                    if (m.type() == FINISHED && readEpoch == 1) {
                        verifyFinished(m.body(), "server finished");
                        if (!isDone()) {
                            appendTranscript(m);
                            retransmitAt = Long.MAX_VALUE;
                            connected();
                        }
                    } else {
                        unexpected(m);
                    }
                }
                default -> unexpected(m);
            }
        } else {
            switch (state) {
                case SERVER_WAIT_CLIENT_HELLO -> {
                    if (m.type() == CLIENT_HELLO) {
                        onClientHello(now, source, m);
                    } else {
                        unexpected(m);
                    }
                }
                case SERVER_WAIT_CLIENT_FLIGHT -> {
                    switch (m.type()) {
                        case CERTIFICATE -> {
                            appendTranscript(m);
                            onCertificate(m.body());
                        }
                        case CLIENT_KEY_EXCHANGE -> {
                            appendTranscript(m);
                            onClientKeyExchange(m.body());
                        }
                        case CERTIFICATE_VERIFY -> {
                            onCertificateVerify(m.body()); // signs the transcript before itself
                            appendTranscript(m);
                        }
                        case FINISHED -> {
                            if (readEpoch != 1) {
                                unexpected(m);
                                return;
                            }
                            onClientFinished(now, m);
                        }
                        default -> unexpected(m);
                    }
                }
                default -> unexpected(m); // e.g. a ClientHello after connecting: no renegotiation
            }
        }
    }

    private void unexpected(HandshakeReassembler.Message m) {
        fail(ALERT_UNEXPECTED_MESSAGE, "unexpected handshake message " + m.type() + " in state " + state);
    }

    // ------------------------------------------------------------------ client side

    private void sendClientHello(long now) {
        TlsWriter w = new TlsWriter();
        w.u16(DTLS_1_2).bytes(clientRandom).u8(0).vector8(cookie);
        int suites = w.beginLength(2);
        for (DtlsCipherSuite s : config.cipherSuites()) {
            w.u16(s.id);
        }
        w.endLength(suites, 2);
        w.u8(1).u8(0); // compression: null only
        int extensions = w.beginLength(2);
        w.u16(EXT_SUPPORTED_GROUPS);
        int groups = w.beginLength(2);
        int list = w.beginLength(2);
        for (NamedGroup g : config.groups()) {
            w.u16(g.id);
        }
        w.endLength(list, 2).endLength(groups, 2);
        w.u16(EXT_EC_POINT_FORMATS).u16(2).u8(1).u8(0);
        w.u16(EXT_SIGNATURE_ALGORITHMS).u16(6).u16(4).u16(ECDSA_SECP256R1_SHA256).u16(ECDSA_SECP384R1_SHA384);
        if (!config.srtpProfiles().isEmpty()) {
            w.u16(EXT_USE_SRTP);
            int srtp = w.beginLength(2);
            w.u16(2 * config.srtpProfiles().size());
            for (SrtpProfile p : config.srtpProfiles()) {
                w.u16(p.id());
            }
            w.u8(0); // no MKI
            w.endLength(srtp, 2);
        }
        w.u16(EXT_EXTENDED_MASTER_SECRET).u16(0);
        w.u16(EXT_RENEGOTIATION_INFO).u16(1).u8(0);
        w.endLength(extensions, 2);
        flight.clear();
        addHandshake(CLIENT_HELLO, w.toByteArray());
        startFlight(now, true);
    }

    private void onHelloVerifyRequest(long now, HandshakeReassembler.Message m) throws DecodeException {
        TlsReader r = new TlsReader(m.body());
        r.u16();
        byte[] c = r.vector8();
        if (c.length > 255 || cookie.length > 0) {
            fail(ALERT_ILLEGAL_PARAMETER, "a second or oversized HelloVerifyRequest");
            return;
        }
        cookie = c;
        transcript.reset(); // RFC 6347 §4.2.1: the first ClientHello and the HelloVerifyRequest are not hashed
        rto = config.initialRetransmitNanos();
        sendClientHello(now);
    }

    private void onServerHello(byte[] body) throws DecodeException {
        TlsReader r = new TlsReader(body);
        int version = r.u16();
        if (version != DTLS_1_2) {
            fail(ALERT_PROTOCOL_VERSION, "the server chose version " + Integer.toHexString(version) + ", eddy speaks DTLS 1.2");
            return;
        }
        serverRandom = r.bytes(32);
        r.vector8(); // session id: eddy never resumes
        suite = DtlsCipherSuite.fromId(r.u16());
        if (suite == null || !config.cipherSuites().contains(suite)) {
            fail(ALERT_ILLEGAL_PARAMETER, "the server chose a cipher suite we did not offer");
            return;
        }
        if (r.u8() != 0) {
            fail(ALERT_ILLEGAL_PARAMETER, "the server chose compression");
            return;
        }
        boolean ems = false;
        srtpProfile = null;
        if (r.remaining() > 0) {
            TlsReader extensions = r.slice(r.u16());
            while (extensions.remaining() > 0) {
                int type = extensions.u16();
                TlsReader data = extensions.slice(extensions.u16());
                switch (type) {
                    case EXT_EXTENDED_MASTER_SECRET -> ems = true;
                    case EXT_USE_SRTP -> {
                        TlsReader profiles = data.slice(data.u16());
                        SrtpProfile chosen = SrtpProfile.fromId(profiles.u16());
                        if (chosen == null || !config.srtpProfiles().contains(chosen) || profiles.remaining() != 0) {
                            fail(ALERT_ILLEGAL_PARAMETER, "the server chose an SRTP profile we did not offer");
                            return;
                        }
                        srtpProfile = chosen;
                    }
                    default -> { }
                }
            }
        }
        if (!ems) {
            fail(ALERT_HANDSHAKE_FAILURE, "the server does not support the extended master secret (RFC 7627), which eddy requires");
        }
    }

    private void onServerKeyExchange(byte[] body) throws DecodeException, GeneralSecurityException {
        TlsReader r = new TlsReader(body);
        int start = r.position();
        if (r.u8() != 3) {
            fail(ALERT_ILLEGAL_PARAMETER, "ServerKeyExchange without a named curve");
            return;
        }
        group = NamedGroup.fromId(r.u16());
        if (group == null || !config.groups().contains(group)) {
            fail(ALERT_ILLEGAL_PARAMETER, "the server chose a group we did not offer");
            return;
        }
        peerKeyShare = r.vector8();
        int paramsLength = r.position() - start;
        int algorithm = r.u16();
        byte[] signature = r.vector16();
        if (peerKey == null) {
            fail(ALERT_UNEXPECTED_MESSAGE, "ServerKeyExchange before the server's Certificate");
            return;
        }
        byte[] signed = Prf.concat(clientRandom, serverRandom, Arrays.copyOfRange(body, start, start + paramsLength));
        if (!verifySignature(algorithm, signed, signature)) {
            fail(ALERT_DECRYPT_ERROR, "the ServerKeyExchange signature does not verify");
        }
    }

    private void onServerHelloDone(long now) throws GeneralSecurityException {
        if (peerKey == null || peerKeyShare == null) {
            fail(ALERT_UNEXPECTED_MESSAGE, "ServerHelloDone before the certificate and key exchange");
            return;
        }
        if (!certificateRequested) {
            fail(ALERT_HANDSHAKE_FAILURE, "the server did not ask for our certificate; WebRTC needs both (RFC 8827)");
            return;
        }
        ecdhe = KeyShare.generate(group, secure);
        byte[] preMaster = ecdhe.agree(peerKeyShare);
        flight.clear();
        addHandshake(CERTIFICATE, certificateMessage());
        addHandshake(CLIENT_KEY_EXCHANGE, new TlsWriter().vector8(ecdhe.publicKey()).toByteArray());
        deriveKeys(preMaster); // the session hash covers everything up to and including ClientKeyExchange
        byte[] signature = sign(transcript.toByteArray());
        addHandshake(CERTIFICATE_VERIFY, new TlsWriter().u16(ECDSA_SECP256R1_SHA256).vector16(signature).toByteArray());
        addChangeCipherSpec();
        addHandshake(FINISHED, finishedData("client finished"));
        state = State.CLIENT_WAIT_FINISHED;
        pendingRead = serverWriteProtection;
        startFlight(now, true);
    }

    // ------------------------------------------------------------------ server side

    private void onClientHello(long now, InetSocketAddress source, HandshakeReassembler.Message m) throws DecodeException, GeneralSecurityException {
        TlsReader r = new TlsReader(m.body());
        // DTLS versions count down (0xfeff is 1.0, 0xfefd 1.2); a DTLS 1.3 client also says 0xfefd here
        if (r.u16() == DTLS_1_0) {
            fail(ALERT_PROTOCOL_VERSION, "the client offers only DTLS 1.0; eddy speaks DTLS 1.2");
            return;
        }
        byte[] random = r.bytes(32);
        r.vector8(); // session id
        byte[] theirCookie = r.vector8();
        TlsReader suites = r.slice(r.u16());
        r.vector8(); // compression methods
        List<Integer> theirSuites = new ArrayList<>();
        while (suites.remaining() >= 2) {
            theirSuites.add(suites.u16());
        }
        List<Integer> theirGroups = new ArrayList<>();
        List<Integer> theirSignatures = new ArrayList<>();
        List<SrtpProfile> theirSrtp = new ArrayList<>();
        boolean ems = false;
        if (r.remaining() > 0) {
            TlsReader extensions = r.slice(r.u16());
            while (extensions.remaining() > 0) {
                int type = extensions.u16();
                TlsReader data = extensions.slice(extensions.u16());
                switch (type) {
                    case EXT_SUPPORTED_GROUPS -> {
                        TlsReader list = data.slice(data.u16());
                        while (list.remaining() >= 2) {
                            theirGroups.add(list.u16());
                        }
                    }
                    case EXT_SIGNATURE_ALGORITHMS -> {
                        TlsReader list = data.slice(data.u16());
                        while (list.remaining() >= 2) {
                            theirSignatures.add(list.u16());
                        }
                    }
                    case EXT_USE_SRTP -> {
                        TlsReader list = data.slice(data.u16());
                        while (list.remaining() >= 2) {
                            SrtpProfile p = SrtpProfile.fromId(list.u16());
                            if (p != null) {
                                theirSrtp.add(p);
                            }
                        }
                    }
                    case EXT_EXTENDED_MASTER_SECRET -> ems = true;
                    default -> { }
                }
            }
        }
        if (config.cookies()) {
            byte[] expected = cookieFor(source, random);
            if (!MessageDigest.isEqual(expected, theirCookie)) {
                sendHelloVerifyRequest(m.seq(), expected);
                reassembler.expect(m.seq() + 1);
                return; // stateless: nothing else is kept
            }
        }
        suite = null;
        for (DtlsCipherSuite s : config.cipherSuites()) {
            if (theirSuites.contains(s.id)) {
                suite = s;
                break;
            }
        }
        group = null;
        for (NamedGroup g : config.groups()) {
            if (theirGroups.contains(g.id)) {
                group = g;
                break;
            }
        }
        srtpProfile = null;
        for (SrtpProfile p : config.srtpProfiles()) {
            if (theirSrtp.contains(p)) {
                srtpProfile = p;
                break;
            }
        }
        offeredSrtp = theirSrtp;
        if (suite == null || group == null) {
            fail(ALERT_HANDSHAKE_FAILURE, "no common cipher suite or group (client offers suites " + hex(theirSuites)
                    + ", groups " + theirGroups + ")");
            return;
        }
        if (!ems) {
            fail(ALERT_HANDSHAKE_FAILURE, "the client does not offer the extended master secret (RFC 7627), which eddy requires");
            return;
        }
        if (!theirSignatures.isEmpty() && !theirSignatures.contains(ECDSA_SECP256R1_SHA256)) {
            fail(ALERT_HANDSHAKE_FAILURE, "the client cannot verify ecdsa_secp256r1_sha256 signatures");
            return;
        }
        clientRandom = random;
        serverRandom = random32();
        messageSeqOut = m.seq(); // the server's first message_seq follows the ClientHello it answers
        transcript.reset();
        appendTranscript(m);
        ecdhe = KeyShare.generate(group, secure);
        flight.clear();
        addHandshake(SERVER_HELLO, serverHello());
        addHandshake(CERTIFICATE, certificateMessage());
        addHandshake(SERVER_KEY_EXCHANGE, serverKeyExchange());
        addHandshake(CERTIFICATE_REQUEST, new TlsWriter().u8(1).u8(64) // ecdsa_sign
                .u16(2).u16(ECDSA_SECP256R1_SHA256).u16(0).toByteArray());
        addHandshake(SERVER_HELLO_DONE, new byte[0]);
        state = State.SERVER_WAIT_CLIENT_FLIGHT;
        startFlight(now, true);
    }

    private byte[] serverHello() {
        TlsWriter w = new TlsWriter();
        w.u16(DTLS_1_2).bytes(serverRandom).u8(0).u16(suite.id).u8(0);
        int extensions = w.beginLength(2);
        w.u16(EXT_EXTENDED_MASTER_SECRET).u16(0);
        w.u16(EXT_RENEGOTIATION_INFO).u16(1).u8(0);
        w.u16(EXT_EC_POINT_FORMATS).u16(2).u8(1).u8(0);
        if (srtpProfile != null) {
            w.u16(EXT_USE_SRTP).u16(5).u16(2).u16(srtpProfile.id()).u8(0);
        }
        w.endLength(extensions, 2);
        return w.toByteArray();
    }

    private byte[] serverKeyExchange() throws GeneralSecurityException {
        TlsWriter params = new TlsWriter().u8(3).u16(group.id).vector8(ecdhe.publicKey());
        byte[] p = params.toByteArray();
        byte[] signature = sign(Prf.concat(clientRandom, serverRandom, p));
        return new TlsWriter().bytes(p).u16(ECDSA_SECP256R1_SHA256).vector16(signature).toByteArray();
    }

    private void sendHelloVerifyRequest(int seq, byte[] expectedCookie) {
        byte[] body = new TlsWriter().u16(DTLS_1_0).vector8(expectedCookie).toByteArray();
        TlsWriter w = new TlsWriter();
        w.u8(HELLO_VERIFY_REQUEST).u24(body.length).u16(seq).u24(0).u24(body.length).bytes(body);
        byte[] handshake = w.toByteArray();
        transmits.add(record(HANDSHAKE, 0, handshake, 0, handshake.length));
    }

    private byte[] cookieFor(InetSocketAddress source, byte[] random) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(cookieSecret, "HmacSHA256"));
        if (source != null) {
            mac.update(source.getAddress().getAddress());
            mac.update((byte) (source.getPort() >>> 8));
            mac.update((byte) source.getPort());
        }
        return mac.doFinal(random);
    }

    private void onClientKeyExchange(byte[] body) throws DecodeException, GeneralSecurityException {
        if (peerCertificate == null) {
            fail(ALERT_HANDSHAKE_FAILURE, "the client sent no certificate; WebRTC needs one from both sides (RFC 8827)");
            return;
        }
        byte[] share = new TlsReader(body).vector8();
        byte[] preMaster = ecdhe.agree(share);
        deriveKeys(preMaster);
        pendingRead = clientWriteProtection;
    }

    private void onCertificateVerify(byte[] body) throws DecodeException, GeneralSecurityException {
        if (peerKey == null || masterSecret == null) {
            fail(ALERT_UNEXPECTED_MESSAGE, "CertificateVerify before the client's certificate and key exchange");
            return;
        }
        TlsReader r = new TlsReader(body);
        int algorithm = r.u16();
        byte[] signature = r.vector16();
        if (!verifySignature(algorithm, transcript.toByteArray(), signature)) {
            fail(ALERT_DECRYPT_ERROR, "the client's CertificateVerify signature does not verify");
            return;
        }
        clientVerified = true;
    }

    private boolean clientVerified;

    private void onClientFinished(long now, HandshakeReassembler.Message m) {
        if (!clientVerified) {
            fail(ALERT_UNEXPECTED_MESSAGE, "Finished before CertificateVerify");
            return;
        }
        verifyFinished(m.body(), "client finished");
        if (isDone()) {
            return;
        }
        appendTranscript(m);
        flight.clear();
        addChangeCipherSpec();
        addHandshake(FINISHED, finishedData("server finished"));
        startFlight(now, false); // the last flight: sent again only if the client repeats its own
        connected();
    }

    // ------------------------------------------------------------------ both sides

    private void onCertificate(byte[] body) throws DecodeException, GeneralSecurityException {
        TlsReader r = new TlsReader(body);
        TlsReader list = r.slice(r.u24());
        if (list.remaining() == 0) {
            fail(ALERT_HANDSHAKE_FAILURE, "the peer sent no certificate; WebRTC needs one from both sides (RFC 8827)");
            return;
        }
        byte[] der = list.bytes(list.u24());
        X509Certificate x509;
        try {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (java.security.cert.CertificateException e) {
            fail(ALERT_BAD_CERTIFICATE, "the peer's certificate does not parse: " + e.getMessage());
            return;
        }
        if (remoteFingerprint != null && !remoteFingerprint.matches(der)) {
            fail(ALERT_BAD_CERTIFICATE, "the peer's certificate does not match the signalled fingerprint");
            return;
        }
        peerCertificate = der;
        peerKey = x509.getPublicKey();
    }

    private RecordProtection clientWriteProtection;
    private RecordProtection serverWriteProtection;

    private void deriveKeys(byte[] preMaster) {
        byte[] sessionHash = hash(transcript.toByteArray());
        masterSecret = Prf.compute(suite.hmac, preMaster, "extended master secret", sessionHash, 48);
        Arrays.fill(preMaster, (byte) 0);
        int k = suite.keyLength;
        int iv = suite.fixedIvLength;
        byte[] block = Prf.compute(suite.hmac, masterSecret, "key expansion", Prf.concat(serverRandom, clientRandom), 2 * k + 2 * iv);
        clientWriteProtection = new RecordProtection(suite, Arrays.copyOfRange(block, 0, k), Arrays.copyOfRange(block, 2 * k, 2 * k + iv));
        serverWriteProtection = new RecordProtection(suite, Arrays.copyOfRange(block, k, 2 * k), Arrays.copyOfRange(block, 2 * k + iv, 2 * k + 2 * iv));
        Arrays.fill(block, (byte) 0);
        pendingWrite = client ? clientWriteProtection : serverWriteProtection;
    }

    private byte[] finishedData(String label) {
        return Prf.compute(suite.hmac, masterSecret, label, hash(transcript.toByteArray()), 12);
    }

    private void verifyFinished(byte[] body, String label) {
        byte[] expected = finishedData(label);
        if (!MessageDigest.isEqual(expected, body)) {
            fail(ALERT_DECRYPT_ERROR, "the peer's Finished does not verify");
        }
    }

    private void connected() {
        state = State.CONNECTED;
        if (remoteFingerprint == null) {
            awaitingFingerprint = true; // keys are held back until the signalled fingerprint confirms the peer
            return;
        }
        emitConnected();
    }

    private void emitConnected() {
        SrtpKeyingMaterial keys = null;
        if (srtpProfile != null) {
            byte[] exported = Prf.compute(suite.hmac, masterSecret, "EXTRACTOR-dtls_srtp", Prf.concat(clientRandom, serverRandom),
                    SrtpKeyingMaterial.exporterLength(srtpProfile));
            keys = SrtpKeyingMaterial.fromExporter(srtpProfile, exported, client);
            Arrays.fill(exported, (byte) 0);
        }
        events.add(new DtlsEvent.Connected(suite, keys, Fingerprint.sha256(peerCertificate)));
    }

    private byte[] certificateMessage() {
        byte[] der = certificate.derUnsafe();
        return new TlsWriter().u24(der.length + 3).u24(der.length).bytes(der).toByteArray();
    }

    private byte[] sign(byte[] data) throws GeneralSecurityException {
        if (EcdsaP256.isP256(certificate.privateKey())) {
            try {
                return EcdsaP256.sign(certificate.privateKey(), data);
            } catch (java.io.IOException e) {
                throw new GeneralSecurityException("could not encode the ECDSA signature", e);
            }
        }
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(certificate.privateKey(), secure);
        s.update(data);
        return s.sign();
    }

    private boolean verifySignature(int algorithm, byte[] data, byte[] signature) throws GeneralSecurityException {
        String name = switch (algorithm) {
            case ECDSA_SECP256R1_SHA256 -> "SHA256withECDSA";
            case ECDSA_SECP384R1_SHA384 -> "SHA384withECDSA";
            case ECDSA_SECP521R1_SHA512 -> "SHA512withECDSA";
            default -> null;
        };
        if (name == null) {
            return false;
        }
        if (algorithm == ECDSA_SECP256R1_SHA256 && EcdsaP256.isP256(peerKey)) {
            return EcdsaP256.verify(peerKey, data, signature);
        }
        Signature s = Signature.getInstance(name);
        s.initVerify(peerKey);
        s.update(data);
        try {
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // a malformed signature is a failed one
        }
    }

    private byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(suite.hash).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] random32() {
        byte[] r = new byte[32];
        secure.nextBytes(r);
        return r;
    }

    private void appendTranscript(HandshakeReassembler.Message m) {
        byte[] body = m.body();
        TlsWriter w = new TlsWriter();
        w.u8(m.type()).u24(body.length).u16(m.seq()).u24(0).u24(body.length).bytes(body);
        transcript.writeBytes(w.toByteArray());
    }

    // ------------------------------------------------------------------ flights and records

    private void addHandshake(int type, byte[] body) {
        int seq = messageSeqOut++;
        flight.add(new FlightEntry(HANDSHAKE, type, seq, body, writeEpoch));
        appendTranscript(new HandshakeReassembler.Message(type, seq, body));
    }

    private void addChangeCipherSpec() {
        flight.add(new FlightEntry(CHANGE_CIPHER_SPEC, 0, 0, new byte[] {1}, writeEpoch));
        writeProtection = pendingWrite;
        pendingWrite = null;
        writeEpoch = 1;
    }

    private void startFlight(long now, boolean timer) {
        flightStartedAt = now;
        rto = config.initialRetransmitNanos();
        answeredPeerRetransmission = false;
        transmitFlight();
        if (timer) {
            armTimer(now);
        } else {
            retransmitAt = Long.MAX_VALUE;
        }
    }

    /** Sends the current flight: handshake messages fragmented to the MTU, records packed into datagrams. */
    private void transmitFlight() {
        TlsWriter datagram = new TlsWriter();
        for (FlightEntry e : flight) {
            if (e.contentType() == CHANGE_CIPHER_SPEC) {
                datagram = pack(datagram, record(CHANGE_CIPHER_SPEC, e.epoch(), e.body(), 0, 1));
                continue;
            }
            int overhead = RECORD_HEADER + HANDSHAKE_HEADER + (e.epoch() == 1 ? writeProtection.overhead() : 0);
            int room = config.mtu() - overhead;
            int offset = 0;
            do {
                int n = Math.min(room, e.body().length - offset);
                TlsWriter h = new TlsWriter();
                h.u8(e.handshakeType()).u24(e.body().length).u16(e.messageSeq()).u24(offset).u24(n).bytes(e.body(), offset, n);
                byte[] fragment = h.toByteArray();
                datagram = pack(datagram, record(HANDSHAKE, e.epoch(), fragment, 0, fragment.length));
                offset += n;
            } while (offset < e.body().length);
        }
        if (datagram.size() > 0) {
            transmits.add(datagram.toByteArray());
        }
    }

    private TlsWriter pack(TlsWriter datagram, byte[] record) {
        if (datagram.size() > 0 && datagram.size() + record.length > config.mtu()) {
            transmits.add(datagram.toByteArray());
            datagram = new TlsWriter();
        }
        return datagram.bytes(record);
    }

    private byte[] record(int type, int epoch, byte[] data, int offset, int length) {
        long seq = writeSeq[epoch]++;
        byte[] fragment = epoch == 0 ? Arrays.copyOfRange(data, offset, offset + length)
                : writeProtection.seal(type, epoch, seq, data, offset, length);
        return new TlsWriter().u8(type).u16(DTLS_1_2).u16(epoch).u48(seq).vector16(fragment).toByteArray();
    }

    private void fail(int alert, String reason) {
        if (isDone()) {
            return;
        }
        if (alert >= 0) {
            int epoch = writeEpoch == 1 && writeProtection != null ? 1 : 0;
            transmits.add(record(ALERT, epoch, new byte[] {2, (byte) alert}, 0, 2));
        }
        state = State.FAILED;
        retransmitAt = Long.MAX_VALUE;
        masterSecret = null;
        events.add(new DtlsEvent.Failed(reason));
        if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, "DTLS failed: {0}", reason);
        }
    }

    private void drop(DtlsDropReason reason) {
        drops[reason.ordinal()]++;
        if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, "DTLS dropped: {0}", reason);
        }
    }

    private static String hex(List<Integer> ids) {
        StringBuilder b = new StringBuilder("[");
        for (int id : ids) {
            b.append(b.length() > 1 ? ", " : "").append(String.format("0x%04x", id));
        }
        return b.append(']').toString();
    }

    @Override
    public String toString() {
        return "DtlsEndpoint[" + (client ? "client" : "server") + ", " + state + (suite != null ? ", " + suite : "") + "]";
    }
}
