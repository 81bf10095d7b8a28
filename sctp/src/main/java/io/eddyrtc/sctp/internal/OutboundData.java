package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.sctp.SctpDropReason;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The data we send: user messages fragmented to the MTU and queued, sent within the congestion window
 * and the peer's receive window, acknowledged by SACKs, retransmitted by the T3-rtx timer (RFC 6298 RTO,
 * Karn's rule) or after three missing reports (fast retransmit), and, for partially reliable messages
 * (RFC 3758), given up and skipped with FORWARD-TSN.
 *
 * <p>Each fragment's bytes wait in a pool slot ({@link PayloadSlots}) until the peer acknowledges it; a message
 * takes all its slots at once or is refused, so the queue is bounded by the owner's memory budget. Chunks are
 * written into packets in place, and spare chunk objects are reused: a message sent and acknowledged allocates
 * nothing once the association has sent a few.
 */
public final class OutboundData {
    /** Chunk objects kept for reuse: more than a few messages' worth would be memory an idle peer holds. */
    private static final int SPARE_CHUNKS = 32;

    private final OutgoingPackets out;
    private final RetransmissionTimeout rto;
    private final AssociationListener listener;
    private final CongestionWindow cwnd;
    private final PayloadSlots slots;

    private long nextTsn;                          // extended
    private long cumAcked;                         // extended: the peer's cumulative ack
    private final ArrayDeque<OutgoingChunk> queue = new ArrayDeque<>(4);
    private final InFlightChunks inFlight = new InFlightChunks();
    private final ArrayDeque<OutgoingChunk> spare = new ArrayDeque<>(4);
    private final StreamValues nextSsn = new StreamValues(0);
    private long peerRwnd;
    private long t3At = Long.MAX_VALUE;
    private long messages;                         // messages queued so far: each one's number

    // per-stream bytes queued and not yet sent (the W3C bufferedAmount), and their low-water marks
    private final StreamValues queuedBytes = new StreamValues(0);
    private final StreamValues lowThresholds = new StreamValues(-1);

    // partial reliability (RFC 3758)
    private boolean peerForwardTsn;
    private long abandonedChunks;
    private int abandonedInFlight;                 // chunks in flight given up: a FORWARD-TSN may be due
    private long forwardTsnSent = -1;              // the last new cumulative TSN we announced

    public OutboundData(long initialTsn, OutgoingPackets out, RetransmissionTimeout rto, PayloadSlots slots,
                        AssociationListener listener) {
        this.out = out;
        this.rto = rto;
        this.slots = slots;
        this.listener = listener;
        this.nextTsn = initialTsn;
        this.cumAcked = initialTsn - 1;
        this.cwnd = new CongestionWindow(out.mtu());
    }

    /** What the handshake learnt of the peer: its receive window and whether it takes FORWARD-TSN. */
    public void peer(long receiveWindow, boolean forwardTsn) {
        peerRwnd = receiveWindow;
        cwnd.threshold(receiveWindow);
        peerForwardTsn = forwardTsn;
    }

    /** The most user data one DATA chunk carries: the MTU less the headers, rounded down to the 4-byte padding. */
    private int fragmentSize() {
        return (out.mtu() - SctpPacket.COMMON_HEADER - SctpPacket.DATA_HEADER) & ~3;
    }

    /**
     * Fragments one user message to the MTU and queues it: {@code length} bytes at {@code offset} of {@code array}, or
     * of {@code segment} when {@code array} is null. {@code maxRetransmits} and {@code lifetimeNanos} (-1: no limit)
     * make it partially reliable when the peer supports FORWARD-TSN. Returns false, queueing nothing, when the
     * slots for the whole message would pass the memory budget (or the pool has none to keep).
     */
    public boolean enqueue(long now, int stream, int ppid, byte[] array, MemorySegment segment, long offset, int length,
                           boolean ordered, int maxRetransmits, long lifetimeNanos) {
        int room = fragmentSize();
        int fragments = (length + room - 1) / room;
        if (slots.pooled() && !slots.charge(fragments)) {
            return false;
        }
        boolean reliable = !peerForwardTsn || (maxRetransmits < 0 && lifetimeNanos < 0);
        int retransmits = reliable ? -1 : maxRetransmits;
        long expiresAt = reliable || lifetimeNanos < 0 || lifetimeNanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + lifetimeNanos;
        long ssn = ordered ? nextSsn.get(stream) : 0; // taken only once the whole message is queued
        int first = queue.size();
        for (int done = 0; done < length; ) {
            int n = Math.min(room, length - done);
            int flags = (done == 0 ? SctpPacket.DATA_BEGIN : 0) | (done + n == length ? SctpPacket.DATA_END : 0)
                    | (ordered ? 0 : SctpPacket.DATA_UNORDERED);
            OutgoingChunk c = chunk().set(stream, (int) ssn & 0xFFFF, ppid, flags, messages, retransmits, expiresAt);
            if (!fill(c, array, segment, offset + done, n)) {
                free(c);
                refuse(first, fragments);
                return false;
            }
            queue.add(c);
            done += n;
        }
        if (ordered) {
            nextSsn.put(stream, ssn + 1);
        }
        queuedBytes.add(stream, length);
        messages++;
        return true;
    }

    /** Copies a fragment's bytes into a slot charged for it (or onto the heap without a pool); false if the pool had no slot. */
    private boolean fill(OutgoingChunk c, byte[] array, MemorySegment segment, long from, int n) {
        c.length = n;
        if (!slots.pooled()) {
            c.heap = new byte[n];
            if (array != null) {
                System.arraycopy(array, (int) from, c.heap, 0, n);
            } else {
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, from, c.heap, 0, n);
            }
            return true;
        }
        c.slot = slots.takeCharged();
        if (c.slot.isNone()) {
            return false;
        }
        if (array != null) {
            MemorySegment.copy(array, (int) from, c.slot.segment(), ValueLayout.JAVA_BYTE, 0, n);
        } else {
            MemorySegment.copy(segment, from, c.slot.segment(), 0, n);
        }
        return true;
    }

    /** A message the pool could not hold whole: the fragments it queued go back, and the charge of those it did not fill. */
    private void refuse(int first, int fragments) {
        int filled = 0;
        while (queue.size() > first) {
            free(queue.pollLast()); // gives back its slot and that slot's charge
            filled++;
        }
        slots.uncharge(fragments - filled);
    }

    /** The last TSN given to a chunk: a stream reset takes effect after it. */
    public long lastAssignedTsn() {
        return nextTsn - 1;
    }

    /** Our side of these streams was reset: they start over at SSN 0. */
    public void resetStreams(int[] streams) {
        for (int stream : streams) {
            nextSsn.remove(stream);
        }
    }

    /** Nothing queued and nothing waiting for an acknowledgement. */
    public boolean idle() {
        return queue.isEmpty() && inFlight.isEmpty();
    }

    public long t3At() {
        return t3At;
    }

    public void stopTimer() {
        t3At = Long.MAX_VALUE;
    }

    /** Bytes queued or in flight, not yet acknowledged. */
    public long bufferedAmount() {
        long n = 0;
        for (OutgoingChunk o : queue) {
            n += o.length;
        }
        for (int i = 0; i < inFlight.size(); i++) {
            OutgoingChunk o = inFlight.get(i);
            if (!o.abandoned) {
                n += o.length;
            }
        }
        return n;
    }

    /** Bytes queued on {@code stream} and not yet sent. */
    public long bufferedAmount(int stream) {
        return queuedBytes.get(stream);
    }

    public void setBufferedAmountLowThreshold(int stream, long bytes) {
        lowThresholds.put(stream, Math.max(0, bytes));
    }

    public long abandonedChunks() {
        return abandonedChunks;
    }

    /** The association is gone: every slot queued or in flight goes back. */
    public void releaseAll() {
        for (OutgoingChunk o; (o = queue.poll()) != null; ) {
            free(o);
        }
        while (!inFlight.isEmpty()) {
            free(inFlight.pollFirst());
        }
        queuedBytes.clear();
        abandonedInFlight = 0;
        t3At = Long.MAX_VALUE;
    }

    // ------------------------------------------------------------------ acknowledgements

    /**
     * A SACK chunk's value, {@code length} bytes at {@code at}. Checked whole before any of it is applied:
     * a SACK older than the last (RFC 9260 §6.2.1), one acknowledging what was never sent, or gap blocks
     * that end before they start, overlap or run backwards are dropped.
     */
    public void onSack(long now, byte[] p, int at, int length) {
        if (length < 12) {
            listener.dropped(SctpDropReason.MALFORMED);
            return;
        }
        long ack = SequenceNumbers.extend32(cumAcked, BigEndian.u32(p, at));
        int gapCount = BigEndian.u16(p, at + 8);
        int duplicateCount = BigEndian.u16(p, at + 10);
        if (length < 12 + 4 * (gapCount + duplicateCount) || ack >= nextTsn || !gapsInOrder(p, at + 12, gapCount)) {
            listener.dropped(SctpDropReason.MALFORMED);
            return;
        }
        if (ack < cumAcked) {
            listener.dropped(SctpDropReason.UNEXPECTED_CHUNK); // overtaken by a newer one
            return;
        }
        peerRwnd = BigEndian.u32(p, at + 4);
        long bytesAcked = 0;
        boolean advanced = ack > cumAcked;
        if (advanced) {
            while (!inFlight.isEmpty() && inFlight.first().tsn <= ack) {
                OutgoingChunk o = inFlight.pollFirst();
                if (!o.gapAcked) {
                    bytesAcked += o.length;
                }
                if (o.transmissions == 1) {
                    rto.measure(now - o.sentAt); // Karn: only chunks sent once give an RTT sample
                }
                if (o.abandoned) {
                    abandonedInFlight--;
                }
                free(o);
            }
            cumAcked = ack;
            rto.answered();
        }
        long highestGapAcked = -1;
        for (int i = 0; i < gapCount; i++) {
            long from = ack + BigEndian.u16(p, at + 12 + 4 * i);
            long to = ack + BigEndian.u16(p, at + 14 + 4 * i);
            // in flight are the chunks right after the cumulative ack, so a gap block is a range of the ring
            for (int k = inFlight.indexOf(from); k >= 0 && k < inFlight.size() && inFlight.get(k).tsn <= to; k++) {
                OutgoingChunk o = inFlight.get(k);
                if (!o.gapAcked) {
                    o.gapAcked = true;
                    bytesAcked += o.length;
                }
            }
            highestGapAcked = Math.max(highestGapAcked, to);
        }
        boolean fastRetransmit = false;
        if (highestGapAcked >= 0) {
            for (int i = 0; i < inFlight.size() && inFlight.get(i).tsn < highestGapAcked; i++) {
                OutgoingChunk o = inFlight.get(i);
                if (!o.gapAcked && !o.retransmit && ++o.missingReports == 3) {
                    o.retransmit = true;
                    fastRetransmit = true;
                }
            }
        }
        if (fastRetransmit) {
            cwnd.fastRetransmit();
        } else if (advanced && bytesAcked > 0) {
            cwnd.acknowledged(bytesAcked);
        }
        if (inFlight.isEmpty()) {
            t3At = Long.MAX_VALUE;
        } else if (advanced) {
            t3At = now + rto.current();
        }
    }

    /** Each gap block starts at 1 or later, ends no earlier than it starts, and lies after the one before. */
    private static boolean gapsInOrder(byte[] p, int at, int count) {
        int previousEnd = 0;
        for (int i = 0; i < count; i++) {
            int start = BigEndian.u16(p, at + 4 * i);
            int end = BigEndian.u16(p, at + 4 * i + 2);
            if (start <= previousEnd || end < start) {
                return false;
            }
            previousEnd = end;
        }
        return true;
    }

    /**
     * T3-rtx expired: everything unacknowledged is sent again from a window of one MTU. False when the
     * peer left too many timeouts in a row unanswered.
     */
    public boolean onTimeout(long now) {
        if (now < t3At) {
            return true;
        }
        if (!rto.backOff()) {
            return false;
        }
        cwnd.timeout();
        forwardTsnSent = -1; // a lost FORWARD-TSN is sent again
        for (int i = 0; i < inFlight.size(); i++) {
            OutgoingChunk o = inFlight.get(i);
            if (!o.gapAcked) {
                o.retransmit = true;
            }
        }
        t3At = Long.MAX_VALUE;
        transmit(now);
        return true;
    }

    // ------------------------------------------------------------------ sending

    private long flightSize() {
        long n = 0;
        for (int i = 0; i < inFlight.size(); i++) {
            OutgoingChunk o = inFlight.get(i);
            if (!o.gapAcked && !o.retransmit && !o.abandoned) {
                n += o.length;
            }
        }
        return n;
    }

    /** Sends retransmissions first, then new chunks, bundled into MTU-sized packets within cwnd and the peer's window. */
    public void transmit(long now) {
        long flight = flightSize();
        for (int i = 0; i < inFlight.size(); i++) {
            OutgoingChunk o = inFlight.get(i);
            if (o.retransmit && !o.reliable() && o.exhausted(now)) {
                abandon(o.message);
            }
            if (o.retransmit && o.abandoned) {
                o.retransmit = false;
            }
            if (o.retransmit) {
                if (flight > 0 && flight + o.length > cwnd.size()) {
                    break; // the rest stay marked and go as acknowledgements open the window
                }
                write(o);
                o.retransmit = false;
                o.missingReports = 0;
                o.transmissions++;
                o.sentAt = now;
                flight += o.length;
            }
        }
        while (!queue.isEmpty()) {
            OutgoingChunk o = queue.peek();
            if (!o.reliable() && now >= o.expiresAt) {
                abandon(o.message); // never sent, or the rest of a message already given up: dropped from the queue
                continue;
            }
            boolean windowOpen = flight == 0 || (flight + o.length <= cwnd.size() && flight + o.length <= peerRwnd);
            if (!windowOpen) {
                break;
            }
            queue.poll();
            leftQueue(o);
            o.tsn = nextTsn++;
            o.transmissions = 1;
            o.sentAt = now;
            inFlight.add(o);
            write(o);
            flight += o.length;
        }
        out.flush();
        sendForwardTsnIfNeeded();
        if (!inFlight.isEmpty() && t3At == Long.MAX_VALUE) {
            t3At = now + rto.current();
        }
    }

    /** A DATA chunk, written in place into the packet being bundled. */
    private void write(OutgoingChunk o) {
        int at = out.bundleData(o.flags, 12 + o.length);
        byte[] b = out.bundle().bytes();
        BigEndian.putU32(b, at, o.tsn);
        BigEndian.putU16(b, at + 4, o.stream);
        BigEndian.putU16(b, at + 6, o.ssn);
        BigEndian.putU32(b, at + 8, o.ppid & 0xFFFF_FFFFL);
        o.copyData(b, at + 12);
    }

    /** A chunk left the send queue (sent, or given up): its stream's bufferedAmount shrinks, maybe below the mark. */
    private void leftQueue(OutgoingChunk o) {
        long before = queuedBytes.get(o.stream);
        long after = before - o.length;
        if (after <= 0) {
            queuedBytes.remove(o.stream);
        } else {
            queuedBytes.put(o.stream, after);
        }
        long low = lowThresholds.get(o.stream);
        if (low >= 0 && before > low && Math.max(0, after) <= low) {
            listener.bufferedAmountLow(o.stream);
        }
    }

    /**
     * Gives up a partially reliable message: its sent chunks are skipped with FORWARD-TSN, the rest dropped. Only
     * the message at the head of the queue can have fragments both sent and queued (the queue is sent in order),
     * so its queued ones are the first in the queue.
     */
    private void abandon(long message) {
        for (int i = 0; i < inFlight.size(); i++) {
            OutgoingChunk o = inFlight.get(i);
            if (o.message == message && !o.abandoned) {
                o.abandoned = true;
                abandonedInFlight++;
                if (!o.gapAcked) {
                    abandonedChunks++;
                }
            }
        }
        while (!queue.isEmpty() && queue.peek().message == message) {
            OutgoingChunk o = queue.poll();
            leftQueue(o);
            free(o);
        }
    }

    /**
     * RFC 3758 §3.5: the advanced peer ack point moves over abandoned chunks after the cumulative ack;
     * if it is ahead of it, FORWARD-TSN tells the peer to move its cumulative TSN there (and which ordered
     * stream sequence numbers it skipped).
     */
    private void sendForwardTsnIfNeeded() {
        if (!peerForwardTsn || abandonedInFlight == 0) {
            return;
        }
        long advanced = cumAcked;
        Map<Integer, Integer> skipped = new HashMap<>();
        int room = (out.mtu() - SctpPacket.COMMON_HEADER - SctpPacket.CHUNK_HEADER - 4) / 4; // streams one FORWARD-TSN can name
        boolean any = false;
        for (int i = 0; i < inFlight.size(); i++) {
            OutgoingChunk o = inFlight.get(i);
            // over abandoned chunks, and over chunks the peer already has (gap-acked) between them
            if (o.tsn != advanced + 1 || !(o.abandoned || o.gapAcked)) {
                break;
            }
            boolean unnamedStream = o.abandoned && !o.gapAcked && (o.flags & SctpPacket.DATA_UNORDERED) == 0
                    && !skipped.containsKey(o.stream);
            if (unnamedStream && skipped.size() == room) {
                break; // the chunk fits no more: the next FORWARD-TSN goes on from here
            }
            advanced = o.tsn;
            if (o.abandoned && !o.gapAcked) {
                any = true;
                if ((o.flags & SctpPacket.DATA_UNORDERED) == 0) {
                    skipped.merge(o.stream, o.ssn, (x, y) -> SequenceNumbers.isNewer16(y, x) ? y : x);
                }
            }
        }
        if (!any || advanced <= cumAcked || advanced <= forwardTsnSent) {
            return; // nothing to skip, or already announced (T3 clears this to announce it again)
        }
        forwardTsnSent = advanced;
        int valueLength = 4 + 4 * skipped.size();
        OutgoingPackets.Packet packet = out.begin(SctpPacket.chunkSize(valueLength));
        int at = out.chunk(packet, SctpPacket.FORWARD_TSN, 0, valueLength);
        byte[] b = packet.bytes();
        BigEndian.putU32(b, at, advanced);
        at += 4;
        for (Map.Entry<Integer, Integer> e : skipped.entrySet()) {
            BigEndian.putU16(b, at, e.getKey());
            BigEndian.putU16(b, at + 2, e.getValue());
            at += 4;
        }
        out.finish(packet);
    }

    /** A chunk object to fill: a spare one if there is one. */
    private OutgoingChunk chunk() {
        OutgoingChunk c = spare.poll();
        return c != null ? c : new OutgoingChunk();
    }

    /** A chunk is done with (acknowledged, given up, or the association is gone): its bytes go back, the object to the spares. */
    private void free(OutgoingChunk c) {
        if (!c.slot.isNone()) {
            slots.give(c.slot);
            c.slot = PacketBuffer.NONE;
        }
        c.heap = null;
        if (spare.size() < SPARE_CHUNKS) {
            spare.add(c);
        }
    }

    @Override
    public String toString() {
        return "cwnd=" + cwnd.size() + ", inFlight=" + inFlight.size() + ", queued=" + queue.size() + ", cumAcked=" + cumAcked
                + ", nextTsn=" + nextTsn + ", t3At=" + t3At + ", forwardTsn=" + peerForwardTsn + ", abandoned=" + abandonedChunks
                + ", rto=" + rto.current();
    }
}
