package io.eddyrtc.crypto.dtls.internal;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts handshake messages back together from DTLS fragments (RFC 6347 §4.2.3) that may arrive out of
 * order, duplicated or overlapping, and hands them out in message_seq order. Hard limits keep a hostile
 * peer from making it buffer much: a message longer than {@code maxMessageLength}, a message_seq more
 * than {@link #WINDOW} ahead, or more than {@code maxBufferedBytes} in total is refused.
 */
public final class HandshakeReassembler {
    static final int WINDOW = 8;

    public enum Result { ADDED, OLD, TOO_FAR, TOO_LONG, OVER_BUDGET, INCONSISTENT }

    /** A complete message: its type, message_seq and body. */
    public record Message(int type, int seq, byte[] body) {}

    private static final class Partial {
        final int type;
        final byte[] body;
        final BitSet have;
        int received;

        Partial(int type, int length) {
            this.type = type;
            this.body = new byte[length];
            this.have = new BitSet(length);
        }

        boolean complete() {
            return received == body.length;
        }
    }

    private final int maxMessageLength;
    private final int maxBufferedBytes;
    private final Map<Integer, Partial> partials = new HashMap<>();
    private int next;
    private int buffered;

    public HandshakeReassembler(int maxMessageLength, int maxBufferedBytes) {
        this.maxMessageLength = maxMessageLength;
        this.maxBufferedBytes = maxBufferedBytes;
    }

    /** Bytes held for messages not yet complete. */
    public int buffered() {
        return buffered;
    }

    public int nextSeq() {
        return next;
    }

    /** Starts expecting {@code seq} next (a server meeting a ClientHello after a stateless cookie exchange). */
    public void expect(int seq) {
        partials.clear();
        buffered = 0;
        next = seq;
    }

    /** Hands out message {@code seq} (just polled) again when it comes again: a good copy may follow a bad one. */
    public void retry(int seq) {
        if (seq < next) {
            next = seq;
        }
    }

    public Result add(int type, int length, int seq, int fragmentOffset, int fragmentLength, byte[] data, int dataOffset) {
        if (seq < next) {
            return Result.OLD;
        }
        if (seq >= next + WINDOW) {
            return Result.TOO_FAR;
        }
        if (length > maxMessageLength || fragmentOffset + fragmentLength > length) {
            return Result.TOO_LONG;
        }
        Partial p = partials.get(seq);
        if (p == null) {
            if (buffered + length > maxBufferedBytes) {
                return Result.OVER_BUDGET;
            }
            p = new Partial(type, length);
            partials.put(seq, p);
            buffered += length;
        } else if (p.type != type || p.body.length != length) {
            return Result.INCONSISTENT;
        }
        System.arraycopy(data, dataOffset, p.body, fragmentOffset, fragmentLength);
        int before = p.have.cardinality();
        p.have.set(fragmentOffset, fragmentOffset + fragmentLength);
        p.received += p.have.cardinality() - before;
        return Result.ADDED;
    }

    /** The next message in order if it is complete, else null. */
    public Message poll() {
        Partial p = partials.get(next);
        if (p == null || !p.complete()) {
            return null;
        }
        partials.remove(next);
        buffered -= p.body.length;
        return new Message(p.type, next++, p.body);
    }
}
