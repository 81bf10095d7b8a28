package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsDropReason;
import io.eddyrtc.crypto.dtls.DtlsVersion;
import io.eddyrtc.crypto.dtls.NamedGroup;
import io.eddyrtc.crypto.dtls.internal.HandshakeReassembler.Message;
import io.eddyrtc.crypto.dtls.internal.TlsReader.DecodeException;
import io.eddyrtc.crypto.srtp.SrtpProfile;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.eddyrtc.crypto.dtls.internal.Dtls.*;

/**
 * The client's side of the DTLS 1.3 handshake, and the version choice of a client that speaks both: its
 * ClientHello offers every version and key shares for the preferred group (and X25519 beside the hybrid,
 * so a server without post-quantum support needs no HelloRetryRequest); a 1.2 ServerHello or a
 * HelloVerifyRequest hands over to a 1.2 {@link ClientHandshake}. In 1.3: at most one HelloRetryRequest
 * (a new hello with its cookie and the share it asks for), then ServerHello, EncryptedExtensions,
 * CertificateRequest, Certificate, CertificateVerify and Finished, then our Certificate, CertificateVerify
 * and Finished, sent again until the server acknowledges them.
 */
public final class ClientHandshake13 extends Handshake13 {
    private enum State {
        NEW, WAIT_SERVER_HELLO, WAIT_ENCRYPTED_EXTENSIONS, WAIT_CERTIFICATE_REQUEST, WAIT_CERTIFICATE, WAIT_CERTIFICATE_VERIFY,
        WAIT_FINISHED, DONE
    }

    private State state = State.NEW;
    private final List<KeyShare> shares = new ArrayList<>();
    private final List<ClientHelloWriter.Share> sentShares = new ArrayList<>();
    private boolean retried;
    private byte[] requestContext;

    public ClientHandshake13(DtlsConfig config, byte[] certificateDer, PrivateKey privateKey, SecureRandom secure, RecordLayer records,
                             Flight flight, Outbox outbox, DropCounter<DtlsDropReason> drops) {
        super(config, certificateDer, privateKey, secure, records, flight, outbox, drops);
    }

    @Override
    public void start(long now) {
        if (state != State.NEW) {
            throw new IllegalStateException("start() was already called on this DTLS client");
        }
        clientRandom = random32();
        state = State.WAIT_SERVER_HELLO;
        try {
            NamedGroup first = config.groups().getFirst();
            generateShare(first);
            if (first == NamedGroup.X25519MLKEM768) {
                for (NamedGroup g : config.groups()) {
                    if (g.inDtls12()) {
                        generateShare(g); // the classical share, for servers without the hybrid
                        break;
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate a key share", e);
        }
        sendClientHello(now, null);
    }

    @Override
    public String state() {
        return "CLIENT13_" + state;
    }

    @Override
    public boolean hasPeer() {
        return state != State.NEW;
    }

    @Override
    public boolean holdsSecrets() {
        return super.holdsSecrets() || !shares.isEmpty();
    }

    @Override
    public void destroySecrets() {
        super.destroySecrets();
        forgetShares();
    }

    @Override
    boolean admit(int type, int seq, int epoch) {
        if (state == State.NEW) {
            drops.count(DtlsDropReason.UNEXPECTED); // nothing to answer before we start
            return false;
        }
        if (state == State.WAIT_SERVER_HELLO && (type == HELLO_VERIFY_REQUEST || type == SERVER_HELLO) && epoch == 0) {
            return true;
        }
        return rightEpoch(type, epoch);
    }

    @Override
    void onHandshakeFlightRepeated(int epoch, long recordSeq) {
        flight.answerRepeat(); // the server lacks our last flight
    }

    @Override
    void onMessage(long now, InetSocketAddress source, Message m) throws HandshakeFailure, DecodeException, GeneralSecurityException {
        switch (state) {
            case WAIT_SERVER_HELLO -> onFirstReply(now, source, m);
            case WAIT_ENCRYPTED_EXTENSIONS -> {
                expect(m, ENCRYPTED_EXTENSIONS);
                appendTranscript(m);
                onEncryptedExtensions(m.body());
                state = State.WAIT_CERTIFICATE_REQUEST;
            }
            case WAIT_CERTIFICATE_REQUEST -> {
                if (m.type() != CERTIFICATE_REQUEST) {
                    throw new HandshakeFailure(ALERT_HANDSHAKE_FAILURE, "the server did not ask for our certificate; WebRTC needs both (RFC 8827)");
                }
                appendTranscript(m);
                onCertificateRequest(m.body());
                state = State.WAIT_CERTIFICATE;
            }
            case WAIT_CERTIFICATE -> {
                expect(m, CERTIFICATE);
                appendTranscript(m);
                onCertificate(m.body(), new byte[0]);
                state = State.WAIT_CERTIFICATE_VERIFY;
            }
            case WAIT_CERTIFICATE_VERIFY -> {
                expect(m, CERTIFICATE_VERIFY);
                onCertificateVerify(m.body(), false);
                appendTranscript(m);
                state = State.WAIT_FINISHED;
            }
            case WAIT_FINISHED -> {
                expect(m, FINISHED);
                verifyFinished(m, false);
                appendTranscript(m);
                onServerFinished(now);
            }
            default -> throw unexpected(m);
        }
    }

    /**
     * The server's first reply: a 1.3 ServerHello or HelloRetryRequest, or a 1.2 one (or HelloVerifyRequest),
     * which the 1.2 handshake takes. Nothing binds it to the server yet, so one that does not parse is dropped
     * and a good one, with the same message_seq, still taken.
     */
    private void onFirstReply(long now, InetSocketAddress source, Message m) throws HandshakeFailure, GeneralSecurityException {
        try {
            if (m.type() == HELLO_VERIFY_REQUEST) {
                toDtls12(now, source, m);
                return;
            }
            if (m.type() != SERVER_HELLO) {
                throw unexpected(m);
            }
            TlsReader r = new TlsReader(m.body());
            r.u16(); // legacy_version
            byte[] random = r.bytes(RANDOM_LENGTH);
            r.vector8(); // legacy_session_id_echo: ours is empty
            int suiteId = r.u16();
            r.u8(); // legacy_compression_method
            Extensions extensions = Extensions.read(r);
            TlsReader versions = extensions.get(EXT_SUPPORTED_VERSIONS);
            if (versions == null || versions.u16() != DTLS_1_3) {
                toDtls12(now, source, m);
                return;
            }
            suite = DtlsCipherSuite.fromId(suiteId);
            if (suite == null || suite.version() != DtlsVersion.DTLS_1_3 || !config.cipherSuites().contains(suite)) {
                throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the server chose a cipher suite we did not offer");
            }
            records.speakDtls13();
            if (Arrays.equals(random, HELLO_RETRY_REQUEST_RANDOM)) {
                onHelloRetryRequest(now, m, extensions);
            } else {
                onServerHello(m, random, extensions);
            }
        } catch (DecodeException e) {
            drops.count(DtlsDropReason.MALFORMED_HELLO, "the server's first reply: " + e.getMessage());
            reassembler.retry(m.seq());
        }
    }

    private void toDtls12(long now, InetSocketAddress source, Message m) throws HandshakeFailure, GeneralSecurityException {
        if (!config.speaks(DtlsVersion.DTLS_1_2)) {
            throw new HandshakeFailure(ALERT_PROTOCOL_VERSION, "the server answered in DTLS 1.2; this endpoint speaks 1.3 only");
        }
        if (retried) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the server asked for a DTLS 1.3 retry, then answered in 1.2");
        }
        List<ClientHelloWriter.Share> hello = List.copyOf(sentShares);
        forgetShares();
        try {
            handOver(now, source, new ClientHandshake(this, hello), m);
        } catch (DecodeException e) {
            throw new HandshakeFailure(ALERT_DECODE_ERROR, "malformed handshake message: " + e.getMessage());
        }
    }

    private void onHelloRetryRequest(long now, Message m, Extensions extensions) throws DecodeException, HandshakeFailure, GeneralSecurityException {
        if (retried) {
            throw new HandshakeFailure(ALERT_UNEXPECTED_MESSAGE, "a second HelloRetryRequest (RFC 8446 §4.1.4)");
        }
        retried = true;
        TlsReader cookieExtension = extensions.get(EXT_COOKIE);
        byte[] cookie = cookieExtension == null ? null : cookieExtension.vector16();
        TlsReader keyShare = extensions.get(EXT_KEY_SHARE);
        NamedGroup asked = keyShare == null ? null : NamedGroup.fromId(keyShare.u16());
        if (keyShare != null) {
            if (asked == null || !config.groups().contains(asked) || sentShares.stream().anyMatch(s -> s.group() == asked)) {
                throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the HelloRetryRequest asks for a group we did not offer or already sent");
            }
        }
        if (cookie == null && asked == null) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "a HelloRetryRequest that changes nothing");
        }
        transcript.replaceWithMessageHash(suite);
        appendTranscript(m);
        if (asked != null) {
            forgetShares();
            generateShare(asked);
        }
        sendClientHello(now, cookie);
    }

    private void onServerHello(Message m, byte[] random, Extensions extensions) throws DecodeException, HandshakeFailure, GeneralSecurityException {
        TlsReader keyShare = extensions.get(EXT_KEY_SHARE);
        if (keyShare == null) {
            throw new HandshakeFailure(ALERT_MISSING_EXTENSION, "the ServerHello has no key share (eddy does not do PSK)");
        }
        group = NamedGroup.fromId(keyShare.u16());
        byte[] serverShare = keyShare.vector16();
        KeyShare ours = null;
        for (int i = 0; i < sentShares.size(); i++) {
            if (sentShares.get(i).group() == group) {
                ours = shares.get(i);
            }
        }
        if (ours == null) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the server's key share is for a group we sent none for");
        }
        serverRandom = random;
        appendTranscript(m);
        byte[] shared;
        try {
            shared = ours.agree(serverShare);
        } catch (GeneralSecurityException e) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the server's " + group + " key share: " + e.getMessage());
        } finally {
            forgetShares();
        }
        handshakeKeys(shared, true);
        flight.stopTimer(); // the ServerHello answers our hello; the server repeats its flight if the rest is lost
        startNewFlight();
        state = State.WAIT_ENCRYPTED_EXTENSIONS;
    }

    private void onEncryptedExtensions(byte[] body) throws DecodeException, HandshakeFailure {
        Extensions extensions = Extensions.read(new TlsReader(body));
        srtpProfile = null;
        TlsReader useSrtp = extensions.get(EXT_USE_SRTP);
        if (useSrtp != null) {
            TlsReader profiles = useSrtp.slice(useSrtp.u16());
            SrtpProfile chosen = SrtpProfile.fromId(profiles.u16());
            if (chosen == null || !config.srtpProfiles().contains(chosen) || profiles.remaining() != 0) {
                throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the server chose an SRTP profile we did not offer");
            }
            srtpProfile = chosen;
        }
    }

    private void onCertificateRequest(byte[] body) throws DecodeException, HandshakeFailure {
        TlsReader r = new TlsReader(body);
        requestContext = r.vector8();
        Extensions extensions = Extensions.read(r);
        if (!ClientHello.u16List(extensions.get(EXT_SIGNATURE_ALGORITHMS)).contains(ECDSA_SECP256R1_SHA256)) {
            throw new HandshakeFailure(ALERT_HANDSHAKE_FAILURE, "the server does not take ecdsa_secp256r1_sha256 signatures for our certificate");
        }
    }

    private void onServerFinished(long now) throws GeneralSecurityException {
        applicationSecrets(true);
        startNewFlight();
        addHandshake(CERTIFICATE, certificateMessage(requestContext), 2);
        addHandshake(CERTIFICATE_VERIFY, certificateVerify(true), 2);
        addHandshake(FINISHED, finished(true), 2);
        readApplicationData();
        writeApplicationData();
        flight.start(now, true); // sent again until the server acknowledges it
        state = State.DONE;
        complete();
    }

    private void sendClientHello(long now, byte[] cookie) {
        startNewFlight();
        addHandshake(CLIENT_HELLO, ClientHelloWriter.write(config, clientRandom, new byte[0], sentShares, cookie), 0);
        flight.start(now, true);
    }

    private void generateShare(NamedGroup g) throws GeneralSecurityException {
        KeyShare share = KeyShare.generate(g, secure);
        shares.add(share);
        sentShares.add(new ClientHelloWriter.Share(g, share.publicKey()));
    }

    private void forgetShares() {
        shares.forEach(KeyShare::destroy);
        shares.clear();
        sentShares.clear();
    }
}
