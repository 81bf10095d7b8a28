package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import static io.eddyrtc.crypto.dtls.internal.Dtls.MESSAGE_HASH;

/**
 * The handshake messages so far, as the session hash, CertificateVerify and Finished cover them. DTLS 1.2
 * hashes each with its DTLS handshake header as one unfragmented message (RFC 6347 §4.2.6); DTLS 1.3 with
 * the TLS header only, without message_seq and the fragment fields (RFC 9147 §5.2). The messages are kept
 * apart, so the format is chosen when a hash is taken: a client does not know the version until the
 * server's hello. Each format's hash runs along as messages come (a handshake takes six or so hashes of a
 * transcript that only grows), started on the first hash asked for in it.
 */
public final class Transcript {
    private record Entry(int type, int seq, byte[] body) {}

    private final List<Entry> messages = new ArrayList<>();
    private final RunningHash dtls12 = new RunningHash(true);
    private final RunningHash dtls13 = new RunningHash(false);

    public void add(int type, int messageSeq, byte[] body) {
        messages.add(new Entry(type, messageSeq, body));
    }

    /** Starts again (RFC 6347 §4.2.1: a ClientHello answered by HelloVerifyRequest is not part of it). */
    public void reset() {
        messages.clear();
        dtls12.restart();
        dtls13.restart();
    }

    /** The DTLS 1.2 transcript's bytes (what a 1.2 CertificateVerify signs). */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : messages) {
            out.writeBytes(header12(e));
            out.writeBytes(e.body());
        }
        return out.toByteArray();
    }

    /** The DTLS 1.2 transcript hashed with the suite's handshake hash. */
    public byte[] hash(DtlsCipherSuite suite) {
        return dtls12.hash(suite.hash());
    }

    /** The DTLS 1.3 transcript hash (TLS 1.3 message headers) with the suite's hash. */
    public byte[] hash13(DtlsCipherSuite suite) {
        return dtls13.hash(suite.hash());
    }

    /**
     * A HelloRetryRequest answered the first ClientHello: that hello (all the transcript holds) becomes the
     * synthetic message_hash message carrying its hash (RFC 8446 §4.4.1).
     */
    public void replaceWithMessageHash(DtlsCipherSuite suite) {
        byte[] hash = hash13(suite);
        reset();
        messages.add(new Entry(MESSAGE_HASH, 0, hash));
    }

    /** Starts from a message_hash given outright: a stateless server rebuilding the transcript from its cookie. */
    public void startFromMessageHash(byte[] hash) {
        reset();
        messages.add(new Entry(MESSAGE_HASH, 0, hash.clone()));
    }

    /** A message's DTLS 1.2 header, as if it came unfragmented. */
    private static byte[] header12(Entry e) {
        int n = e.body().length;
        return new byte[] {(byte) e.type(), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) (e.seq() >>> 8), (byte) e.seq(), 0, 0, 0,
                (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    /** A message's TLS 1.3 header: type and length. */
    private static byte[] header13(Entry e) {
        int n = e.body().length;
        return new byte[] {(byte) e.type(), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    /** One format's hash of the messages so far, fed the messages it has not seen each time one is asked for. */
    private final class RunningHash {
        private final boolean dtls12Form;
        private MessageDigest digest;
        private int fed;

        RunningHash(boolean dtls12Form) {
            this.dtls12Form = dtls12Form;
        }

        byte[] hash(String algorithm) {
            try {
                if (digest == null || !digest.getAlgorithm().equals(algorithm)) {
                    digest = Jca.digest(algorithm);
                    fed = 0;
                }
                for (; fed < messages.size(); fed++) {
                    Entry e = messages.get(fed);
                    digest.update(dtls12Form ? header12(e) : header13(e));
                    digest.update(e.body());
                }
                return ((MessageDigest) digest.clone()).digest();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("this JDK lacks a cloneable " + algorithm, e);
            }
        }

        void restart() {
            digest = null;
        }
    }
}
