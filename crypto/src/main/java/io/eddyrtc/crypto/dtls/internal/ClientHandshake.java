package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.buffers.DropCounter;
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
import java.util.Arrays;
import java.util.List;

import static io.eddyrtc.crypto.dtls.internal.Dtls.*;

/**
 * The client's side of the DTLS 1.2 handshake: ClientHello (again with the cookie if the server asks for
 * one), then the server's hello flight, then our Certificate, ClientKeyExchange, CertificateVerify,
 * ChangeCipherSpec and Finished, then the server's ChangeCipherSpec and Finished.
 */
public final class ClientHandshake extends Handshake12 {
    private enum State { NEW, WAIT_SERVER_HELLO, WAIT_HELLO_DONE, WAIT_FINISHED, DONE }

    private State state = State.NEW;
    private byte[] cookie = new byte[0];
    private byte[] serverKeyShare;
    private boolean certificateRequested;
    /** The DTLS 1.3 key shares our hello carried, kept so that a repeat of it (with a cookie) is the same hello. */
    private final List<ClientHelloWriter.Share> helloShares;

    public ClientHandshake(DtlsConfig config, byte[] certificateDer, PrivateKey privateKey, SecureRandom secure, RecordLayer records,
                           Flight flight, Outbox outbox, DropCounter<DtlsDropReason> drops) {
        super(config, certificateDer, privateKey, secure, records, flight, outbox, drops);
        this.helloShares = List.of();
    }

    /** For a dual-version client whose hello a server answered in DTLS 1.2. */
    ClientHandshake(Handshake from, List<ClientHelloWriter.Share> helloShares) {
        super(from);
        this.helloShares = helloShares;
        this.state = State.WAIT_SERVER_HELLO;
    }

    @Override
    public void start(long now) {
        if (state != State.NEW) {
            throw new IllegalStateException("start() was already called on this DTLS client");
        }
        clientRandom = random32();
        state = State.WAIT_SERVER_HELLO;
        sendClientHello(now);
    }

    @Override
    public String state() {
        return "CLIENT_" + state;
    }

    @Override
    public boolean hasPeer() {
        return state != State.NEW;
    }

    @Override
    boolean admit(int type, int seq, int epoch) {
        if (state == State.NEW) {
            drops.count(DtlsDropReason.UNEXPECTED); // nothing to answer before we start
            return false;
        }
        return true;
    }

    @Override
    void onMessage(long now, InetSocketAddress source, Message m) throws HandshakeFailure, DecodeException, GeneralSecurityException {
        switch (state) {
            case WAIT_SERVER_HELLO -> onFirstReply(now, m);
            case WAIT_HELLO_DONE -> {
                appendTranscript(m);
                switch (m.type()) {
                    case CERTIFICATE -> onCertificate(m.body());
                    case SERVER_KEY_EXCHANGE -> onServerKeyExchange(m.body());
                    case CERTIFICATE_REQUEST -> certificateRequested = true;
                    case SERVER_HELLO_DONE -> onServerHelloDone(now);
                    default -> throw unexpected(m);
                }
            }
            case WAIT_FINISHED -> {
                if (m.type() != FINISHED) {
                    throw unexpected(m);
                }
                verifyFinished(m.body(), "server finished");
                flight.stopTimer();
                flight.clear(); // nothing of ours is sent again: a server repeating its Finished needs no answer
                state = State.DONE;
                complete();
            }
            default -> throw unexpected(m);
        }
    }

    /**
     * The server's first message: a HelloVerifyRequest or its ServerHello. Nothing binds it to the server
     * yet, so one that does not parse is dropped and the real one, with the same message_seq, still taken.
     */
    private void onFirstReply(long now, Message m) throws HandshakeFailure, GeneralSecurityException {
        try {
            if (m.type() == HELLO_VERIFY_REQUEST) {
                onHelloVerifyRequest(now, m);
            } else if (m.type() == SERVER_HELLO) {
                onServerHello(m.body());
                appendTranscript(m);
                state = State.WAIT_HELLO_DONE;
            } else {
                throw unexpected(m);
            }
        } catch (DecodeException e) {
            drops.count(DtlsDropReason.MALFORMED_HELLO, "the server's first reply: " + e.getMessage());
            reassembler.retry(m.seq());
        }
    }

    private void sendClientHello(long now) {
        flight.clear();
        addHandshake(CLIENT_HELLO, ClientHelloWriter.write(config, clientRandom, cookie, helloShares, null));
        flight.start(now, true);
    }

    private void onHelloVerifyRequest(long now, Message m) throws DecodeException, HandshakeFailure {
        TlsReader r = new TlsReader(m.body());
        r.u16();
        byte[] c = r.vector8();
        if (cookie.length > 0) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "a second HelloVerifyRequest");
        }
        cookie = c;
        transcript.reset(); // RFC 6347 §4.2.1: the first ClientHello and the HelloVerifyRequest are not hashed
        sendClientHello(now);
    }

    private void onServerHello(byte[] body) throws DecodeException, HandshakeFailure {
        TlsReader r = new TlsReader(body);
        int version = r.u16();
        if (version != DTLS_1_2) {
            throw new HandshakeFailure(ALERT_PROTOCOL_VERSION, "the server chose version " + Integer.toHexString(version)
                    + ", eddy speaks DTLS 1.2");
        }
        serverRandom = r.bytes(RANDOM_LENGTH);
        if (config.speaks(DtlsVersion.DTLS_1_3) && Arrays.equals(serverRandom, RANDOM_LENGTH - DOWNGRADE_TO_1_2.length, RANDOM_LENGTH,
                DOWNGRADE_TO_1_2, 0, DOWNGRADE_TO_1_2.length)) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the server speaks DTLS 1.3 but answered in 1.2 (its random carries"
                    + " the downgrade sentinel): someone took 1.3 out of our hello");
        }
        r.vector8(); // session id: eddy never resumes
        suite = DtlsCipherSuite.fromId(r.u16());
        if (suite == null || suite.version() != DtlsVersion.DTLS_1_2 || !config.cipherSuites().contains(suite)) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the server chose a cipher suite we did not offer");
        }
        if (r.u8() != 0) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the server chose compression");
        }
        Extensions extensions = Extensions.read(r);
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
        if (!extensions.has(EXT_EXTENDED_MASTER_SECRET)) {
            throw new HandshakeFailure(ALERT_HANDSHAKE_FAILURE,
                    "the server does not support the extended master secret (RFC 7627), which eddy requires");
        }
    }

    private void onServerKeyExchange(byte[] body) throws DecodeException, GeneralSecurityException, HandshakeFailure {
        TlsReader r = new TlsReader(body);
        int start = r.position();
        if (r.u8() != NAMED_CURVE) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "ServerKeyExchange without a named curve");
        }
        group = NamedGroup.fromId(r.u16());
        if (group == null || !group.inDtls12() || !config.groups().contains(group)) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the server chose a group we did not offer");
        }
        serverKeyShare = r.vector8();
        int paramsLength = r.position() - start;
        int algorithm = r.u16();
        byte[] signature = r.vector16();
        if (peerKey == null) {
            throw new HandshakeFailure(ALERT_UNEXPECTED_MESSAGE, "ServerKeyExchange before the server's Certificate");
        }
        if (!suite.serverKey().equals(peerKey.getAlgorithm().startsWith("RSA") ? "RSA" : "EC")) {
            throw new HandshakeFailure(ALERT_ILLEGAL_PARAMETER, "the server chose " + suite + " with a " + peerKey.getAlgorithm()
                    + " certificate");
        }
        byte[] signed = Prf.concat(clientRandom, serverRandom, Arrays.copyOfRange(body, start, start + paramsLength));
        if (!verifySignature(algorithm, signed, signature)) {
            throw new HandshakeFailure(ALERT_DECRYPT_ERROR, "the ServerKeyExchange signature does not verify");
        }
    }

    private void onServerHelloDone(long now) throws GeneralSecurityException, HandshakeFailure {
        if (peerKey == null || serverKeyShare == null) {
            throw new HandshakeFailure(ALERT_UNEXPECTED_MESSAGE, "ServerHelloDone before the certificate and key exchange");
        }
        if (!certificateRequested) {
            throw new HandshakeFailure(ALERT_HANDSHAKE_FAILURE, "the server did not ask for our certificate; WebRTC needs both (RFC 8827)");
        }
        ecdhe = KeyShare.generate(group, secure);
        byte[] publicKey = ecdhe.publicKey();
        byte[] preMaster = ecdhe.agree(serverKeyShare);
        forgetKeyShare();
        flight.clear();
        addHandshake(CERTIFICATE, certificateMessage());
        addHandshake(CLIENT_KEY_EXCHANGE, new TlsWriter().vector8(publicKey).toByteArray());
        deriveKeys(preMaster, true); // the session hash covers everything up to and including ClientKeyExchange
        byte[] signature = sign(transcript.bytes());
        addHandshake(CERTIFICATE_VERIFY, new TlsWriter().u16(ECDSA_SECP256R1_SHA256).vector16(signature).toByteArray());
        addChangeCipherSpec();
        addHandshake(FINISHED, finishedData("client finished"));
        state = State.WAIT_FINISHED;
        flight.start(now, true);
    }
}
