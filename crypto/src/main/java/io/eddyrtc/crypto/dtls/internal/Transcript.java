package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * The handshake messages so far, as the session hash, CertificateVerify and Finished cover them: each
 * with its DTLS handshake header as one unfragmented message (RFC 6347 §4.2.6).
 */
public final class Transcript {
    private final ByteArrayOutputStream messages = new ByteArrayOutputStream();

    public void add(int type, int messageSeq, byte[] body) {
        TlsWriter w = new TlsWriter();
        w.u8(type).u24(body.length).u16(messageSeq).u24(0).u24(body.length).bytes(body);
        messages.writeBytes(w.toByteArray());
    }

    /** Starts again (RFC 6347 §4.2.1: a ClientHello answered by HelloVerifyRequest is not part of it). */
    public void reset() {
        messages.reset();
    }

    public byte[] bytes() {
        return messages.toByteArray();
    }

    /** The transcript hashed with the suite's handshake hash. */
    public byte[] hash(DtlsCipherSuite suite) {
        try {
            return MessageDigest.getInstance(suite.hash()).digest(messages.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks " + suite.hash(), e);
        }
    }
}
