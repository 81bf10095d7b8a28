package io.eddyrtc.crypto.dtls.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import static io.eddyrtc.crypto.dtls.internal.Dtls.CHANGE_CIPHER_SPEC;
import static io.eddyrtc.crypto.dtls.internal.Dtls.HANDSHAKE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.HANDSHAKE_HEADER;

/**
 * Our current flight of handshake messages (RFC 6347 §4.2.4, RFC 9147 §5.8): kept whole so it can be sent
 * again, each time with fresh record numbers, fragmented to the MTU and packed into as few datagrams as fit.
 * It is sent again when its timer fires (starting at the initial timeout, doubling, with jitter) and when
 * the peer repeats its own flight, which tells us ours was lost (answered once per datagram, so a peer's
 * repeated flight of several records costs one answer). A DTLS 1.3 peer acknowledges records
 * ({@link #acknowledge}): acknowledged fragments are not sent again, and a flight acknowledged whole is done.
 */
public final class Flight {
    /** One message of the flight: a handshake message, or a ChangeCipherSpec (handshakeType unused). */
    private static final class Entry {
        final int contentType;
        final int handshakeType;
        final int messageSeq;
        final byte[] body;
        final int epoch;
        boolean[] acknowledged;

        Entry(int contentType, int handshakeType, int messageSeq, byte[] body, int epoch) {
            this.contentType = contentType;
            this.handshakeType = handshakeType;
            this.messageSeq = messageSeq;
            this.body = body;
            this.epoch = epoch;
        }

        boolean done() {
            if (acknowledged == null) {
                return false;
            }
            for (boolean a : acknowledged) {
                if (!a) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Records of this flight we sent, by epoch and sequence number: which entry and fragment each carried. */
    private final Map<Long, int[]> sentRecords = new HashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final int mtu;
    private final long initialTimeout;
    private final long giveUpAfter;
    private final RandomGenerator jitter;
    private final RecordWriter records;
    private final Outbox outbox;

    private long startedAt;
    private long retransmitAt = Long.MAX_VALUE;
    private long timeout;
    private boolean answeredRepeat;

    /**
     * @param initialTimeout first retransmission timer, doubled each time up to {@code giveUpAfter}
     * @param giveUpAfter    how long a flight may go unanswered before the handshake fails
     * @param jitter         ±25 % on every timer, from the caller's seeded source
     */
    public Flight(int mtu, long initialTimeout, long giveUpAfter, RandomGenerator jitter, RecordWriter records, Outbox outbox) {
        this.mtu = mtu;
        this.initialTimeout = initialTimeout;
        this.giveUpAfter = giveUpAfter;
        this.jitter = jitter;
        this.records = records;
        this.outbox = outbox;
        this.timeout = initialTimeout;
    }

    /** Forgets the previous flight: the next messages added start a new one. */
    public void clear() {
        entries.clear();
        sentRecords.clear();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public void addHandshake(int type, int messageSeq, byte[] body, int epoch) {
        entries.add(new Entry(HANDSHAKE, type, messageSeq, body, epoch));
    }

    public void addChangeCipherSpec(int epoch) {
        entries.add(new Entry(CHANGE_CIPHER_SPEC, 0, 0, new byte[] {1}, epoch));
    }

    /**
     * Sends the flight for the first time. {@code timer}: retransmit until answered; a flight that ends the
     * handshake has none and is sent again only when the peer repeats its own.
     */
    public void start(long now, boolean timer) {
        startedAt = now;
        timeout = initialTimeout;
        answeredRepeat = false;
        transmit();
        if (timer) {
            arm(now);
        } else {
            retransmitAt = Long.MAX_VALUE;
        }
    }

    /** When the retransmission timer fires, or {@link Long#MAX_VALUE}. */
    public long deadline() {
        return retransmitAt;
    }

    /** How long the current flight has gone unanswered. */
    public long unansweredFor(long now) {
        return now - startedAt;
    }

    /** True once the flight has gone unanswered for longer than the handshake may take. */
    public boolean expired(long now) {
        return unansweredFor(now) >= giveUpAfter;
    }

    /** The timer fired: sends the flight again and doubles the timer. */
    public void retransmit(long now) {
        transmit();
        timeout = Math.min(timeout * 2, giveUpAfter);
        arm(now);
        answeredRepeat = false;
    }

    /** The flight was answered (or the handshake ended): no more timed retransmissions. */
    public void stopTimer() {
        retransmitAt = Long.MAX_VALUE;
    }

    /** A new datagram from the peer: its repeated flight may be answered once more. */
    public void newDatagram() {
        answeredRepeat = false;
    }

    /** The peer sent a message we already have, so our flight was lost: sends it again, once per datagram. */
    public void answerRepeat() {
        if (!entries.isEmpty() && !answeredRepeat) {
            answeredRepeat = true;
            transmit();
        }
    }

    /**
     * The peer acknowledged record {@code seq} of {@code epoch} (DTLS 1.3): its fragment is not sent again.
     * Returns true when that completes the flight, whose timer then stops.
     */
    public boolean acknowledge(long epoch, long seq) {
        int[] sent = sentRecords.get(epoch << 48 | seq);
        if (sent == null || entries.isEmpty()) {
            return false;
        }
        Entry e = entries.get(sent[0]);
        boolean wasDone = allAcknowledged();
        e.acknowledged[sent[1]] = true;
        if (!wasDone && allAcknowledged()) {
            stopTimer();
            return true;
        }
        return false;
    }

    /** Whether every message of the flight was acknowledged. */
    public boolean allAcknowledged() {
        for (Entry e : entries) {
            if (!e.done()) {
                return false;
            }
        }
        return !entries.isEmpty();
    }

    private void arm(long now) {
        long jittered = (long) (timeout * (0.75 + 0.5 * jitter.nextDouble()));
        retransmitAt = now + Math.max(1, jittered);
    }

    /** Sends every unacknowledged message: handshake messages fragmented to the MTU, records packed into datagrams. */
    private void transmit() {
        TlsWriter datagram = new TlsWriter();
        for (int index = 0; index < entries.size(); index++) {
            Entry e = entries.get(index);
            if (e.contentType == CHANGE_CIPHER_SPEC) {
                datagram = pack(datagram, records.seal(CHANGE_CIPHER_SPEC, e.epoch, e.body, 0, 1));
                continue;
            }
            int room = mtu - records.overhead(e.epoch) - HANDSHAKE_HEADER;
            if (e.acknowledged == null) {
                e.acknowledged = new boolean[Math.max(1, (e.body.length + room - 1) / room)];
            }
            int offset = 0;
            int fragment = 0;
            do {
                int n = Math.min(room, e.body.length - offset);
                if (!e.acknowledged[fragment]) {
                    TlsWriter h = new TlsWriter();
                    h.u8(e.handshakeType).u24(e.body.length).u16(e.messageSeq).u24(offset).u24(n).bytes(e.body, offset, n);
                    byte[] bytes = h.toByteArray();
                    sentRecords.put((long) e.epoch << 48 | records.nextSequence(e.epoch), new int[] {index, fragment});
                    datagram = pack(datagram, records.seal(HANDSHAKE, e.epoch, bytes, 0, bytes.length));
                }
                offset += n;
                fragment++;
            } while (offset < e.body.length);
        }
        if (datagram.size() > 0) {
            outbox.add(datagram.toByteArray());
        }
    }

    private TlsWriter pack(TlsWriter datagram, byte[] record) {
        if (datagram.size() > 0 && datagram.size() + record.length > mtu) {
            outbox.add(datagram.toByteArray());
            datagram = new TlsWriter();
        }
        return datagram.bytes(record);
    }
}
