package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static io.eddyrtc.crypto.dtls.internal.Dtls.MESSAGE_HASH;

/**
 * The handshake messages so far, as the session hash, CertificateVerify and Finished cover them. DTLS 1.2
 * hashes each with its DTLS handshake header as one unfragmented message (RFC 6347 §4.2.6); DTLS 1.3 with
 * the TLS header only, without message_seq and the fragment fields (RFC 9147 §5.2). The messages are kept
 * apart, so the format is chosen when a hash is taken: a client does not know the version until the
 * server's hello.
 */
public final class Transcript {
    private record Entry(int type, int seq, byte[] body) {}

    private final List<Entry> messages = new ArrayList<>();

    public void add(int type, int messageSeq, byte[] body) {
        messages.add(new Entry(type, messageSeq, body));
    }

    /** Starts again (RFC 6347 §4.2.1: a ClientHello answered by HelloVerifyRequest is not part of it). */
    public void reset() {
        messages.clear();
    }

    /** The DTLS 1.2 transcript's bytes (what a 1.2 CertificateVerify signs). */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : messages) {
            TlsWriter w = new TlsWriter();
            w.u8(e.type()).u24(e.body().length).u16(e.seq()).u24(0).u24(e.body().length).bytes(e.body());
            out.writeBytes(w.toByteArray());
        }
        return out.toByteArray();
    }

    /** The DTLS 1.2 transcript hashed with the suite's handshake hash. */
    public byte[] hash(DtlsCipherSuite suite) {
        return KeySchedule13.hash(suite, bytes());
    }

    /** The DTLS 1.3 transcript hash (TLS 1.3 message headers) with the suite's hash. */
    public byte[] hash13(DtlsCipherSuite suite) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : messages) {
            out.write(e.type());
            out.write(e.body().length >>> 16);
            out.write(e.body().length >>> 8);
            out.write(e.body().length);
            out.writeBytes(e.body());
        }
        return KeySchedule13.hash(suite, out.toByteArray());
    }

    /**
     * A HelloRetryRequest answered the first ClientHello: that hello (all the transcript holds) becomes the
     * synthetic message_hash message carrying its hash (RFC 8446 §4.4.1).
     */
    public void replaceWithMessageHash(DtlsCipherSuite suite) {
        byte[] hash = hash13(suite);
        messages.clear();
        messages.add(new Entry(MESSAGE_HASH, 0, hash));
    }

    /** Starts from a message_hash given outright: a stateless server rebuilding the transcript from its cookie. */
    public void startFromMessageHash(byte[] hash) {
        messages.clear();
        messages.add(new Entry(MESSAGE_HASH, 0, hash.clone()));
    }
}
