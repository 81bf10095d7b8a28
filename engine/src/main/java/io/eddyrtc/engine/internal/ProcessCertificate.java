package io.eddyrtc.engine.internal;

import io.eddyrtc.crypto.dtls.DtlsCertificate;
import java.security.SecureRandom;

/**
 * The DTLS certificate of every {@code Rtc} built without one: made once per process, on first use, and
 * shared. A key pair costs about a millisecond of CPU and a few KiB, which a server making thousands of
 * peers should not pay per peer. Sharing is safe for DTLS-SRTP: each peer learns the fingerprint through its
 * own signalling and the handshake proves the key, so one certificate serves any number of peers, as a web
 * server's serves any number of clients (each connection still gets fresh ECDHE keys). What sharing gives
 * away is linkability: every peer of the process shows the same fingerprint, as a server's naturally does.
 * A client that must not be recognised across calls builds each {@code Rtc} with a certificate of its own.
 */
public final class ProcessCertificate {
    private ProcessCertificate() {
    }

    /** The shared certificate, made by the first caller (the class holder makes that thread-safe). */
    public static DtlsCertificate get() {
        return Holder.CERTIFICATE;
    }

    private static final class Holder {
        static final DtlsCertificate CERTIFICATE = DtlsCertificate.generate(new SecureRandom());
    }
}
