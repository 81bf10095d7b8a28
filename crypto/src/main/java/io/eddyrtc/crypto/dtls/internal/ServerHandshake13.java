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
import java.util.Arrays;

import static io.eddyrtc.crypto.dtls.internal.Dtls.*;

/**
 * The server's side of the DTLS 1.3 handshake, and the version choice of a server that speaks both: a
 * ClientHello that does not offer 1.3 goes to a 1.2 {@link ServerHandshake}, which takes over once it
 * answers one. A 1.3 ClientHello without a valid cookie (when cookies are on), or without a key share in a
 * group we take, gets a stateless HelloRetryRequest whose cookie carries all the server needs to go on
 * ({@link HelloRetryCookie}); then ServerHello, EncryptedExtensions (use_srtp), CertificateRequest,
 * Certificate, CertificateVerify and Finished; then the client's Certificate, CertificateVerify and
 * Finished, which we acknowledge.
 */
public final class ServerHandshake13 extends Handshake13 {
    private enum State { WAIT_CLIENT_HELLO, WAIT_CERTIFICATE, WAIT_CERTIFICATE_VERIFY, WAIT_FINISHED, DONE }

    private final CookieSecret cookieSecret;
    private State state = State.WAIT_CLIENT_HELLO;
    /** Answers the ClientHellos that offer only DTLS 1.2 while we wait (its own cookies, its own state). */
    private ServerHandshake dtls12;

    public ServerHandshake13(DtlsConfig config, byte[] certificateDer, PrivateKey privateKey, SecureRandom secure, RecordLayer records,
                             Flight flight, Outbox outbox, DropCounter<DtlsDropReason> drops) {
        super(config, certificateDer, privateKey, secure, records, flight, outbox, drops);
        cookieSecret = new CookieSecret(secure);
    }

    @Override
    public void start(long now) {
        // the client speaks first
    }

    @Override
    public String state() {
        return "SERVER13_" + state;
    }

    @Override
    public boolean hasPeer() {
        return state != State.WAIT_CLIENT_HELLO;
    }

    @Override
    public boolean holdsSecrets() {
        return super.holdsSecrets() || cookieSecret.held() || dtls12 != null && dtls12.holdsSecrets();
    }

    @Override
    public void destroySecrets() {
        super.destroySecrets();
        cookieSecret.destroy();
        if (dtls12 != null) {
            dtls12.destroySecrets();
        }
    }

    /** Waiting, a ClientHello of any message_seq; once answered, no new one (a repeat still gets our flight). */
    @Override
    boolean admit(int type, int seq, int epoch) {
        if (state == State.WAIT_CLIENT_HELLO) {
            return admitWhileWaitingForHello(type, seq, epoch);
        }
        return !refuseNewHello(type, seq) && rightEpoch(type, epoch);
    }

    @Override
    boolean startOver(int seq) {
        return startOverWhileWaitingForHello(seq);
    }

    @Override
    void onMessage(long now, InetSocketAddress source, Message m) throws HandshakeFailure, DecodeException, GeneralSecurityException {
        switch (state) {
            case WAIT_CLIENT_HELLO -> {
                if (m.type() != CLIENT_HELLO) {
                    throw unexpected(m);
                }
                onClientHello(now, source, m);
            }
            case WAIT_CERTIFICATE -> {
                expect(m, CERTIFICATE);
                appendTranscript(m);
                onCertificate(m.body(), new byte[0]);
                state = State.WAIT_CERTIFICATE_VERIFY;
            }
            case WAIT_CERTIFICATE_VERIFY -> {
                expect(m, CERTIFICATE_VERIFY);
                onCertificateVerify(m.body(), true);
                appendTranscript(m);
                state = State.WAIT_FINISHED;
            }
            case WAIT_FINISHED -> {
                expect(m, FINISHED);
                verifyFinished(m, true);
                readApplicationData();
                writeApplicationData();
                flight.stopTimer();
                flight.clear();
                state = State.DONE;
                complete();
                acknowledgeFlight(); // the client's last flight gets no answer but this ACK (RFC 9147 §7)
            }
            default -> throw unexpected(m);
        }
    }

    @Override
    void onHandshakeFlightRepeated(int epoch, long recordSeq) {
        acknowledge(epoch, recordSeq); // our ACK of the client's last flight was lost
    }

    /**
     * A ClientHello, from anyone: nothing is authenticated yet and our datagrams go to the ICE peer, not
     * necessarily to its sender. One that does not parse or that we cannot accept is dropped and counted,
     * without an alert, and the server goes on waiting for one it can answer.
     */
    private void onClientHello(long now, InetSocketAddress source, Message m)
            throws HandshakeFailure, DecodeException, GeneralSecurityException {
        ClientHello hello;
        try {
            hello = ClientHello.parse(m.body());
        } catch (DecodeException e) {
            drops.count(DtlsDropReason.MALFORMED_HELLO, "ClientHello: " + e.getMessage());
            return;
        }
        if (!hello.offers(DTLS_1_3)) {
            onDtls12Hello(now, source, m);
            return;
        }
        String refusal = negotiate(hello);
        if (refusal != null) {
            drops.count(DtlsDropReason.REFUSED_CLIENT_HELLO, refusal);
            return;
        }
        HelloRetryCookie cookie = null;
        if (hello.cookieExtension() != null) {
            cookie = HelloRetryCookie.open(hello.cookieExtension(), cookieSecret, source);
            if (cookie == null || cookie.suite() != suite || cookie.group() != null && !hello.keyShares().containsKey(cookie.group().id())) {
                drops.count(DtlsDropReason.REFUSED_CLIENT_HELLO, "the ClientHello's cookie is not one we made for it");
                return;
            }
            if (cookie.group() != null) {
                group = cookie.group();
            }
        }
        boolean shareMissing = !hello.keyShares().containsKey(group.id());
        if (cookie == null && (config.cookies() || shareMissing)) {
            sendHelloRetryRequest(m, hello, source, shareMissing);
            return; // stateless: nothing else is kept
        }
        KeyShare.Response response;
        try {
            response = KeyShare.respond(group, hello.keyShares().get(group.id()), secure);
        } catch (GeneralSecurityException e) {
            drops.count(DtlsDropReason.REFUSED_CLIENT_HELLO, "the client's " + group + " key share: " + e.getMessage());
            return;
        }
        cookieSecret.destroy(); // one ClientHello is answered: no more cookies to check
        dtls12 = null;
        clientRandom = hello.random();
        serverRandom = random32();
        nextMessageSeq(m.seq()); // the server's first message_seq follows the ClientHello it answers
        transcript.reset();
        if (cookie != null) {
            transcript.startFromMessageHash(cookie.firstHelloHash());
            transcript.add(SERVER_HELLO, m.seq() - 1, helloRetryRequest(hello.sessionId(), cookie.group(), hello.cookieExtension()));
        }
        appendTranscript(m);
        records.speakDtls13();
        startNewFlight();
        addHandshake(SERVER_HELLO, serverHello(hello.sessionId(), response.share()), 0);
        handshakeKeys(response.secret(), false);
        addHandshake(ENCRYPTED_EXTENSIONS, encryptedExtensions(), 2);
        addHandshake(CERTIFICATE_REQUEST, certificateRequest(), 2);
        addHandshake(CERTIFICATE, certificateMessage(new byte[0]), 2);
        addHandshake(CERTIFICATE_VERIFY, certificateVerify(false), 2);
        addHandshake(FINISHED, finished(false), 2);
        applicationSecrets(false);
        state = State.WAIT_CERTIFICATE;
        flight.start(now, true);
    }

    /** A hello that does not offer 1.3: answered in 1.2 if we speak it; that handshake takes over once it answers. */
    private void onDtls12Hello(long now, InetSocketAddress source, Message m)
            throws HandshakeFailure, DecodeException, GeneralSecurityException {
        if (!config.speaks(DtlsVersion.DTLS_1_2)) {
            drops.count(DtlsDropReason.REFUSED_CLIENT_HELLO, "the client offers only DTLS 1.2; this endpoint speaks 1.3 only");
            return;
        }
        if (dtls12 == null) {
            dtls12 = new ServerHandshake(this);
        }
        dtls12.onMessage(now, source, m);
        if (dtls12.hasPeer()) {
            cookieSecret.destroy();
            takeOver(dtls12);
        }
    }

    /** Chooses suite and group by our preference among the client's offers, and the SRTP profile; why not, if it cannot. */
    private String negotiate(ClientHello hello) {
        suite = null;
        for (DtlsCipherSuite s : config.cipherSuites()) {
            if (s.version() == DtlsVersion.DTLS_1_3 && hello.suites().contains(s.id())) {
                suite = s;
                break;
            }
        }
        // a group the client sent a share for, by our preference; else one it supports (a HelloRetryRequest asks for its share)
        group = null;
        for (NamedGroup g : config.groups()) {
            if (hello.keyShares().containsKey(g.id()) && hello.groups().contains(g.id())) {
                group = g;
                break;
            }
        }
        if (group == null) {
            for (NamedGroup g : config.groups()) {
                if (hello.groups().contains(g.id())) {
                    group = g;
                    break;
                }
            }
        }
        srtpProfile = null;
        for (SrtpProfile p : config.srtpProfiles()) {
            if (hello.srtpProfiles().contains(p)) {
                srtpProfile = p;
                break;
            }
        }
        if (suite == null || group == null) {
            return "no common DTLS 1.3 cipher suite or group (client offers suites " + hello.suites() + ", groups " + hello.groups() + ")";
        }
        if (hello.cookie().length != 0) {
            return "a DTLS 1.3 ClientHello with a legacy cookie (RFC 9147 §5.3)";
        }
        if (!hello.signatureSchemes().contains(ECDSA_SECP256R1_SHA256)) {
            return "the client cannot verify ecdsa_secp256r1_sha256 signatures";
        }
        return null;
    }

    private void sendHelloRetryRequest(Message m, ClientHello hello, InetSocketAddress source, boolean askForShare) {
        NamedGroup asked = askForShare ? group : null;
        byte[] cookie = HelloRetryCookie.seal(suite, asked, transcriptHashOf(m), cookieSecret, source);
        byte[] body = helloRetryRequest(hello.sessionId(), asked, cookie);
        TlsWriter w = new TlsWriter();
        w.u8(SERVER_HELLO).u24(body.length).u16(m.seq()).u24(0).u24(body.length).bytes(body);
        byte[] handshake = w.toByteArray();
        outbox.add(records.seal(HANDSHAKE, 0, handshake, 0, handshake.length));
        reassembler.expect(m.seq() + 1);
    }

    /** The hash of the first ClientHello alone, as the message_hash that replaces it. */
    private byte[] transcriptHashOf(Message m) {
        Transcript t = new Transcript();
        t.add(m.type(), m.seq(), m.body());
        return t.hash13(suite);
    }

    private byte[] helloRetryRequest(byte[] sessionId, NamedGroup asked, byte[] cookie) {
        TlsWriter w = new TlsWriter();
        w.u16(DTLS_1_2).bytes(HELLO_RETRY_REQUEST_RANDOM).vector8(sessionId).u16(suite.id()).u8(0);
        int extensions = w.beginLength(2);
        w.u16(EXT_SUPPORTED_VERSIONS).u16(2).u16(DTLS_1_3);
        if (asked != null) {
            w.u16(EXT_KEY_SHARE).u16(2).u16(asked.id());
        }
        w.cookieExtension(cookie);
        w.endLength(extensions, 2);
        return w.toByteArray();
    }

    private byte[] serverHello(byte[] sessionId, byte[] share) {
        TlsWriter w = new TlsWriter();
        w.u16(DTLS_1_2).bytes(serverRandom).vector8(sessionId).u16(suite.id()).u8(0);
        int extensions = w.beginLength(2);
        w.u16(EXT_SUPPORTED_VERSIONS).u16(2).u16(DTLS_1_3);
        w.u16(EXT_KEY_SHARE);
        int keyShare = w.beginLength(2);
        w.u16(group.id()).vector16(share);
        w.endLength(keyShare, 2);
        w.endLength(extensions, 2);
        return w.toByteArray();
    }

    private byte[] encryptedExtensions() {
        TlsWriter w = new TlsWriter();
        int extensions = w.beginLength(2);
        if (srtpProfile != null) {
            w.u16(EXT_USE_SRTP).u16(5).u16(2).u16(srtpProfile.id()).u8(0);
        }
        return w.endLength(extensions, 2).toByteArray();
    }

    /** Asks for the client's certificate (empty context), signed with any scheme eddy verifies in 1.3. */
    private static byte[] certificateRequest() {
        TlsWriter w = new TlsWriter().u8(0);
        int extensions = w.beginLength(2);
        w.u16(EXT_SIGNATURE_ALGORITHMS);
        int data = w.beginLength(2);
        int list = w.beginLength(2);
        for (int scheme : ClientHelloWriter.SIGNATURE_SCHEMES) {
            if (!Signatures.isPkcs1(scheme)) {
                w.u16(scheme);
            }
        }
        w.endLength(list, 2).endLength(data, 2);
        return w.endLength(extensions, 2).toByteArray();
    }
}
