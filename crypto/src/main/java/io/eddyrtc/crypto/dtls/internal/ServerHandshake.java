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
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import static io.eddyrtc.crypto.dtls.internal.Dtls.*;

/**
 * The server's side of the DTLS 1.2 handshake (with the downgrade sentinel in its random when it speaks 1.3 too): a ClientHello (first answered with a stateless
 * HelloVerifyRequest when cookies are on), our hello flight asking for the client's certificate, then the
 * client's Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec and Finished, then our
 * ChangeCipherSpec and Finished.
 */
public final class ServerHandshake extends Handshake12 {
    private enum State { WAIT_CLIENT_HELLO, WAIT_CLIENT_FLIGHT, DONE }

    private final CookieSecret cookieSecret;
    private State state = State.WAIT_CLIENT_HELLO;
    private boolean clientVerified;

    public ServerHandshake(DtlsConfig config, byte[] certificateDer, PrivateKey privateKey, SecureRandom secure, RecordLayer records,
                           Flight flight, Outbox outbox, DropCounter<DtlsDropReason> drops) {
        super(config, certificateDer, privateKey, secure, records, flight, outbox, drops);
        cookieSecret = new CookieSecret(secure);
    }

    /** For a dual-version server that met a ClientHello offering only DTLS 1.2. */
    ServerHandshake(Handshake from) {
        super(from);
        cookieSecret = new CookieSecret(secure);
    }

    @Override
    public void start(long now) {
        // the client speaks first
    }

    @Override
    public String state() {
        return "SERVER_" + state;
    }

    @Override
    public boolean holdsSecrets() {
        return super.holdsSecrets() || cookieSecret.held();
    }

    @Override
    public boolean hasPeer() {
        return state != State.WAIT_CLIENT_HELLO;
    }

    @Override
    public void destroySecrets() {
        super.destroySecrets();
        cookieSecret.destroy();
    }

    /**
     * Waiting for a ClientHello, nothing else is taken, and any message_seq is (a client after a stateless
     * cookie exchange sends 1). Once one is answered, a new ClientHello is a renegotiation eddy refuses, or
     * a stranger's: dropped (a repeat of the one answered still gets our flight again).
     */
    @Override
    boolean admit(int type, int seq, int epoch) {
        return state == State.WAIT_CLIENT_HELLO ? admitWhileWaitingForHello(type, seq, epoch) : !refuseNewHello(type, seq);
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
            case WAIT_CLIENT_FLIGHT -> {
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
                    case FINISHED -> onClientFinished(now, m);
                    default -> throw unexpected(m);
                }
            }
            default -> throw unexpected(m); // e.g. a ClientHello after connecting: no renegotiation
        }
    }

    /**
     * A ClientHello, from anyone: nothing is authenticated yet and our datagrams go to the ICE peer, not
     * necessarily to its sender. So one that does not parse or that we cannot accept is dropped and counted,
     * without an alert, and the server goes on waiting for one it can answer.
     */
    private void onClientHello(long now, InetSocketAddress source, Message m) throws GeneralSecurityException {
        ClientHello hello;
        try {
            hello = ClientHello.parse(m.body());
        } catch (DecodeException e) {
            drops.count(DtlsDropReason.MALFORMED_HELLO, "ClientHello: " + e.getMessage());
            return;
        }
        // a DTLS 1.3 client also says 0xfefd here (its versions are in an extension)
        if (hello.version() == DTLS_1_0) {
            drops.count(DtlsDropReason.REFUSED_CLIENT_HELLO, "the client offers only DTLS 1.0; eddy speaks DTLS 1.2");
            return;
        }
        if (config.cookies()) {
            byte[] expected = cookieFor(source, hello.random());
            if (!MessageDigest.isEqual(expected, hello.cookie())) {
                sendHelloVerifyRequest(m.seq(), expected);
                reassembler.expect(m.seq() + 1);
                return; // stateless: nothing else is kept
            }
        }
        String refusal = negotiate(hello);
        if (refusal != null) {
            drops.count(DtlsDropReason.REFUSED_CLIENT_HELLO, refusal);
            return;
        }
        cookieSecret.destroy(); // one ClientHello is answered: no more cookies to check
        clientRandom = hello.random();
        serverRandom = random32();
        if (config.speaks(DtlsVersion.DTLS_1_3)) {
            // we could have spoken 1.3: a client that offered it sees that someone took it out of its hello
            System.arraycopy(DOWNGRADE_TO_1_2, 0, serverRandom, RANDOM_LENGTH - DOWNGRADE_TO_1_2.length, DOWNGRADE_TO_1_2.length);
        }
        nextMessageSeq(m.seq()); // the server's first message_seq follows the ClientHello it answers
        transcript.reset();
        appendTranscript(m);
        ecdhe = KeyShare.generate(group, secure);
        flight.clear();
        addHandshake(SERVER_HELLO, serverHello());
        addHandshake(CERTIFICATE, certificateMessage());
        addHandshake(SERVER_KEY_EXCHANGE, serverKeyExchange());
        addHandshake(CERTIFICATE_REQUEST, certificateRequest());
        addHandshake(SERVER_HELLO_DONE, new byte[0]);
        state = State.WAIT_CLIENT_FLIGHT;
        flight.start(now, true);
    }

    /** Chooses suite, group and SRTP profile by our preference among the client's offers; why not, if it cannot. */
    private String negotiate(ClientHello hello) {
        suite = null;
        for (DtlsCipherSuite s : config.cipherSuites()) {
            // our certificate is ECDSA: ECDHE_ECDSA suites only
            if (s.version() == DtlsVersion.DTLS_1_2 && "EC".equals(s.serverKey()) && hello.suites().contains(s.id())) {
                suite = s;
                break;
            }
        }
        group = null;
        for (NamedGroup g : config.groups()) {
            if (g.inDtls12() && hello.groups().contains(g.id())) {
                group = g;
                break;
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
            return "no common cipher suite or group (client offers suites " + hex(hello.suites()) + ", groups " + hello.groups() + ")";
        }
        if (!hello.extendedMasterSecret()) {
            return "the client does not offer the extended master secret (RFC 7627), which eddy requires";
        }
        if (!hello.signatureSchemes().isEmpty() && !hello.signatureSchemes().contains(ECDSA_SECP256R1_SHA256)) {
            return "the client cannot verify ecdsa_secp256r1_sha256 signatures";
        }
        return null;
    }

    /** Asks for the client's certificate: ECDSA or RSA, signing with any scheme eddy verifies in 1.2. */
    private static byte[] certificateRequest() {
        TlsWriter w = new TlsWriter().u8(2).u8(ECDSA_SIGN).u8(RSA_SIGN);
        int schemes = w.beginLength(2);
        for (int scheme : ClientHelloWriter.SIGNATURE_SCHEMES) {
            if (scheme >>> 8 != 8 || (scheme & 0xFF) < 9) { // rsa_pss_pss keys are not a 1.2 certificate type
                w.u16(scheme);
            }
        }
        return w.endLength(schemes, 2).u16(0).toByteArray();
    }

    private byte[] serverHello() {
        TlsWriter w = new TlsWriter();
        w.u16(DTLS_1_2).bytes(serverRandom).u8(0).u16(suite.id()).u8(0);
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
        byte[] params = new TlsWriter().u8(NAMED_CURVE).u16(group.id()).vector8(ecdhe.publicKey()).toByteArray();
        byte[] signature = sign(Prf.concat(clientRandom, serverRandom, params));
        return new TlsWriter().bytes(params).u16(ECDSA_SECP256R1_SHA256).vector16(signature).toByteArray();
    }

    private void sendHelloVerifyRequest(int seq, byte[] expectedCookie) {
        byte[] body = new TlsWriter().u16(DTLS_1_0).vector8(expectedCookie).toByteArray();
        TlsWriter w = new TlsWriter();
        w.u8(HELLO_VERIFY_REQUEST).u24(body.length).u16(seq).u24(0).u24(body.length).bytes(body);
        byte[] handshake = w.toByteArray();
        outbox.add(records.seal(HANDSHAKE, 0, handshake, 0, handshake.length));
    }

    /** The stateless cookie (RFC 6347 §4.2.1): an HMAC of the client's address and random under our secret. */
    private byte[] cookieFor(InetSocketAddress source, byte[] random) {
        return cookieSecret.mac(source, random, random.length);
    }

    private void onClientKeyExchange(byte[] body) throws DecodeException, GeneralSecurityException, HandshakeFailure {
        if (peerCertificate == null) {
            throw new HandshakeFailure(ALERT_HANDSHAKE_FAILURE, "the client sent no certificate; WebRTC needs one from both sides (RFC 8827)");
        }
        if (ecdhe == null) {
            throw new HandshakeFailure(ALERT_UNEXPECTED_MESSAGE, "a second ClientKeyExchange");
        }
        byte[] share = new TlsReader(body).vector8();
        byte[] preMaster = ecdhe.agree(share);
        forgetKeyShare();
        deriveKeys(preMaster, false);
    }

    private void onCertificateVerify(byte[] body) throws DecodeException, GeneralSecurityException, HandshakeFailure {
        if (peerKey == null || keys == null) {
            throw new HandshakeFailure(ALERT_UNEXPECTED_MESSAGE, "CertificateVerify before the client's certificate and key exchange");
        }
        TlsReader r = new TlsReader(body);
        int algorithm = r.u16();
        byte[] signature = r.vector16();
        if (!verifySignature(algorithm, transcript.bytes(), signature)) {
            throw new HandshakeFailure(ALERT_DECRYPT_ERROR, "the client's CertificateVerify signature does not verify");
        }
        clientVerified = true;
    }

    private void onClientFinished(long now, Message m) throws HandshakeFailure {
        if (!clientVerified) {
            throw new HandshakeFailure(ALERT_UNEXPECTED_MESSAGE, "Finished before CertificateVerify");
        }
        verifyFinished(m.body(), "client finished");
        appendTranscript(m);
        flight.clear();
        addChangeCipherSpec();
        addHandshake(FINISHED, finishedData("server finished"));
        flight.start(now, false); // the last flight: sent again only if the client repeats its own
        state = State.DONE;
        complete();
    }

    private static String hex(List<Integer> ids) {
        StringBuilder b = new StringBuilder("[");
        for (int id : ids) {
            b.append(b.length() > 1 ? ", " : "").append(String.format("0x%04x", id));
        }
        return b.append(']').toString();
    }
}
