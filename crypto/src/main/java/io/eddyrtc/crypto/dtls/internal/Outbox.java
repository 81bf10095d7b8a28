package io.eddyrtc.crypto.dtls.internal;

import java.util.ArrayDeque;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * Datagrams a DTLS connection has made and its caller has not yet taken, oldest first. During the handshake
 * the caller may hold them for long (an {@code Rtc} sends nothing until ICE has a pair) while input keeps
 * asking for answers (hellos, repeated flights), so their bytes are bounded: the oldest go first, as a newer
 * copy of a flight or a newer HelloVerifyRequest serves as well. Once connected the bound is lifted: what
 * we send then is our own application data, which its sender (SCTP) already bounds and which must not be lost.
 */
public final class Outbox {
    /** Room for several copies of the largest flight (a certificate flight is about 1.5 KB). */
    public static final int HANDSHAKE_LIMIT = 16 * 1024;

    private static final System.Logger LOG = System.getLogger("io.eddyrtc.crypto.dtls.DtlsEndpoint");

    private final ArrayDeque<byte[]> datagrams = new ArrayDeque<>();
    private long bytes;
    private long limit = HANDSHAKE_LIMIT;
    private long discarded;

    public void add(byte[] datagram) {
        while (!datagrams.isEmpty() && bytes + datagram.length > limit) {
            bytes -= datagrams.poll().length;
            discarded++;
            if (LOG.isLoggable(DEBUG)) {
                LOG.log(DEBUG, "DTLS discarded an unsent datagram: {0} bytes wait to be sent", bytes);
            }
        }
        datagrams.add(datagram);
        bytes += datagram.length;
    }

    /** The oldest datagram, or null. */
    public byte[] poll() {
        byte[] d = datagrams.poll();
        if (d != null) {
            bytes -= d.length;
        }
        return d;
    }

    /** Lifts the bound (the handshake is over). */
    public void unbound() {
        limit = Long.MAX_VALUE;
    }

    /** Datagrams discarded unsent. */
    public long discarded() {
        return discarded;
    }
}
