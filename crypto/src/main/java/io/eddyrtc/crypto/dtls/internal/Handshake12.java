package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsDropReason;
import io.eddyrtc.crypto.dtls.DtlsVersion;
import io.eddyrtc.crypto.dtls.internal.TlsReader.DecodeException;
import io.eddyrtc.crypto.srtp.SrtpKeyingMaterial;

import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;

import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_DECRYPT_ERROR;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT_HANDSHAKE_FAILURE;

/**
 * The DTLS 1.2 handshake (RFC 6347 §4.2, RFC 5246 §7.4): what its client and server share. ECDHE with the
 * extended master secret, ChangeCipherSpec moving each direction to epoch 1, Finished from the PRF.
 */
public abstract sealed class Handshake12 extends Handshake permits ClientHandshake, ServerHandshake {
    KeyShare ecdhe;
    KeySchedule keys;

    Handshake12(DtlsConfig config, byte[] certificateDer, PrivateKey privateKey, SecureRandom secure, RecordLayer records,
                Flight flight, Outbox outbox, DropCounter<DtlsDropReason> drops) {
        super(config, certificateDer, privateKey, secure, records, flight, outbox, drops);
    }

    Handshake12(Handshake from) {
        super(from);
    }

    @Override
    public DtlsVersion version() {
        return DtlsVersion.DTLS_1_2;
    }

    @Override
    public SrtpKeyingMaterial exportSrtpKeys(boolean client) {
        if (srtpProfile == null) {
            return null;
        }
        byte[] exported = keys.export("EXTRACTOR-dtls_srtp", clientRandom, serverRandom, SrtpKeyingMaterial.exporterLength(srtpProfile));
        SrtpKeyingMaterial material = SrtpKeyingMaterial.fromExporter(srtpProfile, exported, client);
        Arrays.fill(exported, (byte) 0);
        return material;
    }

    @Override
    public boolean holdsSecrets() {
        return keys != null || ecdhe != null;
    }

    @Override
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

    /** A ChangeCipherSpec record: the peer's next records are protected with the keys prepared for them. */
    @Override
    public void onChangeCipherSpec(byte[] plain) {
        if (plain.length != 1 || plain[0] != 1 || !records.changeReadEpoch()) {
            drops.count(DtlsDropReason.UNEXPECTED);
        }
    }

    /**
     * After the handshake only a repeat of a message we had (the peer lost our last flight and sends its own
     * again) means something: we send our last flight again. Anything else is a renegotiation eddy refuses
     * or noise; nothing is reassembled any more.
     */
    @Override
    void onFragmentAfterCompletion(long now, int type, int seq, boolean old, int epoch, long recordSeq, TlsReader fragment,
                                   int length, int offset) {
        if (old) {
            flight.answerRepeat();
        } else {
            drops.count(DtlsDropReason.UNEXPECTED);
        }
    }

    /** ChangeCipherSpec into the flight; what follows it is sent protected. */
    void addChangeCipherSpec() {
        flight.addChangeCipherSpec(records.writeEpoch());
        records.changeWriteEpoch();
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

    /** A 1.2 Certificate message: the chain's first certificate is the peer's, checked by fingerprint. */
    void onCertificate(byte[] body) throws DecodeException, HandshakeFailure {
        TlsReader r = new TlsReader(body);
        TlsReader list = r.slice(r.u24());
        if (list.remaining() == 0) {
            throw new HandshakeFailure(ALERT_HANDSHAKE_FAILURE, "the peer sent no certificate; WebRTC needs one from both sides (RFC 8827)");
        }
        acceptPeerCertificate(list.bytes(list.u24()));
    }

    byte[] certificateMessage() {
        return new TlsWriter().u24(certificateDer.length + 3).u24(certificateDer.length).bytes(certificateDer).toByteArray();
    }
}
