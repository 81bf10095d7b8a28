package io.eddyrtc.crypto.dtls.internal;

import java.util.ArrayList;
import java.util.Arrays;
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

    /** Records of this flight we sent, by epoch and sequence number: the (entry, fragment) pairs each carried. */
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
        boolean wasDone = allAcknowledged();
        for (int i = 0; i < sent.length; i += 2) {
            entries.get(sent[i]).acknowledged[sent[i + 1]] = true;
        }
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

    /**
     * Sends every unacknowledged message: handshake messages fragmented to the MTU, records packed into
     * datagrams. Protected DTLS 1.3 fragments of one epoch share a record while the datagram has room (RFC 9147
     * §5.5 lets a record carry several): each record costs a seal and a sequence number mask here and their
     * undoing at the peer, and a flight of five messages then takes one record, not five. An ACK names the
     * record, so the record remembers every fragment it carried.
     */
    private void transmit() {
        Packer packer = new Packer();
        for (int index = 0; index < entries.size(); index++) {
            Entry e = entries.get(index);
            if (e.contentType == CHANGE_CIPHER_SPEC) {
                packer.endRecord();
                packer.add(records.seal(CHANGE_CIPHER_SPEC, e.epoch, e.body, 0, 1));
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
                    packer.addFragment(e.epoch, h.toByteArray(), index, fragment);
                }
                offset += n;
                fragment++;
            } while (offset < e.body.length);
        }
        packer.endRecord();
        packer.endDatagram();
    }

    /** Records into datagrams of at most the MTU, and protected 1.3 fragments of one epoch into shared records. */
    private final class Packer {
        private TlsWriter datagram = new TlsWriter();
        private final TlsWriter record = new TlsWriter();
        private int recordEpoch;
        /** The (entry, fragment) pairs of the record being filled. */
        private int[] carried = new int[0];

        /** A handshake fragment of {@code entry} in {@code epoch}, into a record of its own or the one being filled. */
        void addFragment(int epoch, byte[] fragment, int entry, int index) {
            boolean shares = epoch >= 2;
            if (carried.length > 0 && (epoch != recordEpoch || !shares
                    || datagram.size() + records.overhead(epoch) + record.size() + fragment.length > mtu)) {
                endRecord();
            }
            if (carried.length == 0 && datagram.size() > 0 && datagram.size() + records.overhead(epoch) + fragment.length > mtu) {
                endDatagram(); // the record starts in the next datagram: fragments that follow are weighed against that one
            }
            recordEpoch = epoch;
            record.bytes(fragment);
            carried = Arrays.copyOf(carried, carried.length + 2);
            carried[carried.length - 2] = entry;
            carried[carried.length - 1] = index;
            if (!shares) {
                endRecord();
            }
        }

        /** Seals the record being filled, if any. */
        void endRecord() {
            if (carried.length == 0) {
                return;
            }
            sentRecords.put((long) recordEpoch << 48 | records.nextSequence(recordEpoch), carried);
            byte[] content = record.toByteArray();
            add(records.seal(HANDSHAKE, recordEpoch, content, 0, content.length));
            record.reset();
            carried = new int[0];
        }

        /** A sealed record, into this datagram or, when it would not fit, the next. */
        void add(byte[] sealed) {
            if (datagram.size() > 0 && datagram.size() + sealed.length > mtu) {
                endDatagram();
            }
            datagram.bytes(sealed);
        }

        void endDatagram() {
            if (datagram.size() > 0) {
                outbox.add(datagram.toByteArray());
                datagram = new TlsWriter();
            }
        }
    }
}
