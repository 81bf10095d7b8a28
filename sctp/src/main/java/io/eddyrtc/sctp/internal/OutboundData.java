package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.sctp.SctpDropReason;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data we send: user messages fragmented to the MTU and queued, sent within the congestion window
 * and the peer's receive window, acknowledged by SACKs, retransmitted by the T3-rtx timer (RFC 6298 RTO,
 * Karn's rule) or after three missing reports (fast retransmit), and, for partially reliable messages
 * (RFC 3758), given up and skipped with FORWARD-TSN.
 */
public final class OutboundData {
    private final OutgoingPackets out;
    private final RetransmissionTimeout rto;
    private final AssociationListener listener;
    private final CongestionWindow cwnd;

    private long nextTsn;                          // extended
    private long cumAcked;                         // extended: the peer's cumulative ack
    private final ArrayDeque<OutgoingChunk> queue = new ArrayDeque<>();
    private final TreeMap<Long, OutgoingChunk> inFlight = new TreeMap<>();
    private final Map<Integer, Integer> nextSsn = new HashMap<>();
    private long peerRwnd;
    private long t3At = Long.MAX_VALUE;

    // per-stream bytes queued and not yet sent (the W3C bufferedAmount), and their low-water marks
    private final Map<Integer, Long> queuedBytes = new HashMap<>();
    private final Map<Integer, Long> lowThresholds = new HashMap<>();

    // partial reliability (RFC 3758)
    private boolean peerForwardTsn;
    private long abandonedChunks;
    private long forwardTsnSent = -1;              // the last new cumulative TSN we announced

    public OutboundData(long initialTsn, OutgoingPackets out, RetransmissionTimeout rto, AssociationListener listener) {
        this.out = out;
        this.rto = rto;
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

    /**
     * Fragments one user message to the MTU and queues it. {@code maxRetransmits} and {@code lifetimeNanos}
     * (-1: no limit) make it partially reliable when the peer supports FORWARD-TSN.
     */
    public void enqueue(long now, int stream, int ppid, byte[] message, boolean ordered, int maxRetransmits, long lifetimeNanos) {
        int ssn = ordered ? nextSsn.merge(stream, 1, Integer::sum) - 1 : 0;
        DeliveryPolicy policy = !peerForwardTsn || (maxRetransmits < 0 && lifetimeNanos < 0) ? DeliveryPolicy.RELIABLE
                : new DeliveryPolicy(maxRetransmits, lifetimeNanos < 0 || lifetimeNanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + lifetimeNanos);
        int room = (out.mtu() - SctpPacket.COMMON_HEADER - SctpPacket.DATA_HEADER) & ~3; // chunks are padded to 4 bytes
        int offset = 0;
        do {
            int n = Math.min(room, message.length - offset);
            int flags = (offset == 0 ? SctpPacket.DATA_BEGIN : 0) | (offset + n == message.length ? SctpPacket.DATA_END : 0)
                    | (ordered ? 0 : SctpPacket.DATA_UNORDERED);
            queue.add(new OutgoingChunk(stream, ssn & 0xFFFF, ppid, flags, Arrays.copyOfRange(message, offset, offset + n), policy));
            queuedBytes.merge(stream, (long) n, Long::sum);
            offset += n;
        } while (offset < message.length);
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
            n += o.data.length;
        }
        for (OutgoingChunk o : inFlight.values()) {
            if (!o.policy.abandoned) {
                n += o.data.length;
            }
        }
        return n;
    }

    /** Bytes queued on {@code stream} and not yet sent. */
    public long bufferedAmount(int stream) {
        return queuedBytes.getOrDefault(stream, 0L);
    }

    public void setBufferedAmountLowThreshold(int stream, long bytes) {
        lowThresholds.put(stream, Math.max(0, bytes));
    }

    public long abandonedChunks() {
        return abandonedChunks;
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
            while (!inFlight.isEmpty() && inFlight.firstKey() <= ack) {
                OutgoingChunk o = inFlight.pollFirstEntry().getValue();
                if (!o.gapAcked) {
                    bytesAcked += o.data.length;
                }
                if (o.transmissions == 1) {
                    rto.measure(now - o.sentAt); // Karn: only chunks sent once give an RTT sample
                }
            }
            cumAcked = ack;
            rto.answered();
        }
        long highestGapAcked = -1;
        for (int i = 0; i < gapCount; i++) {
            long from = ack + BigEndian.u16(p, at + 12 + 4 * i);
            long to = ack + BigEndian.u16(p, at + 14 + 4 * i);
            for (OutgoingChunk o : inFlight.subMap(from, true, to, true).values()) {
                if (!o.gapAcked) {
                    o.gapAcked = true;
                    bytesAcked += o.data.length;
                }
            }
            highestGapAcked = Math.max(highestGapAcked, to);
        }
        boolean fastRetransmit = false;
        if (highestGapAcked >= 0) {
            for (OutgoingChunk o : inFlight.headMap(highestGapAcked).values()) {
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
        for (OutgoingChunk o : inFlight.values()) {
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
        for (OutgoingChunk o : inFlight.values()) {
            if (!o.gapAcked && !o.retransmit && !o.policy.abandoned) {
                n += o.data.length;
            }
        }
        return n;
    }

    /** Sends retransmissions first, then new chunks, bundled into MTU-sized packets within cwnd and the peer's window. */
    public void transmit(long now) {
        long flight = flightSize();
        for (OutgoingChunk o : inFlight.values()) {
            if (o.retransmit && !o.policy.reliable() && o.policy.exhausted(now, o.transmissions)) {
                abandon(o.policy);
            }
            if (o.retransmit && o.policy.abandoned) {
                o.retransmit = false;
            }
            if (o.retransmit) {
                if (flight > 0 && flight + o.data.length > cwnd.size()) {
                    break; // the rest stay marked and go as acknowledgements open the window
                }
                out.bundle(dataChunk(o));
                o.retransmit = false;
                o.missingReports = 0;
                o.transmissions++;
                o.sentAt = now;
                flight += o.data.length;
            }
        }
        while (!queue.isEmpty()) {
            OutgoingChunk o = queue.peek();
            if (o.policy.abandoned || (!o.policy.reliable() && now >= o.policy.expiresAt)) {
                abandon(o.policy); // never sent, or the rest of a message already given up: drop it
                queue.poll();
                leftQueue(o);
                continue;
            }
            boolean windowOpen = flight == 0 || (flight + o.data.length <= cwnd.size() && flight + o.data.length <= peerRwnd);
            if (!windowOpen) {
                break;
            }
            queue.poll();
            leftQueue(o);
            o.tsn = nextTsn++;
            o.transmissions = 1;
            o.sentAt = now;
            inFlight.put(o.tsn, o);
            out.bundle(dataChunk(o));
            flight += o.data.length;
        }
        out.flush();
        sendForwardTsnIfNeeded();
        if (!inFlight.isEmpty() && t3At == Long.MAX_VALUE) {
            t3At = now + rto.current();
        }
    }

    /** A chunk left the send queue (sent, or given up): its stream's bufferedAmount shrinks, maybe below the mark. */
    private void leftQueue(OutgoingChunk o) {
        long before = queuedBytes.getOrDefault(o.stream, 0L);
        long after = before - o.data.length;
        if (after <= 0) {
            queuedBytes.remove(o.stream);
        } else {
            queuedBytes.put(o.stream, after);
        }
        Long low = lowThresholds.get(o.stream);
        if (low != null && before > low && Math.max(0, after) <= low) {
            listener.bufferedAmountLow(o.stream);
        }
    }

    /** Gives up a partially reliable message: its sent chunks are skipped with FORWARD-TSN, the rest dropped. */
    private void abandon(DeliveryPolicy policy) {
        if (policy.abandoned) {
            return;
        }
        policy.abandoned = true;
        for (OutgoingChunk o : inFlight.values()) {
            if (o.policy == policy && !o.gapAcked) {
                abandonedChunks++;
            }
        }
    }

    /**
     * RFC 3758 §3.5: the advanced peer ack point moves over abandoned chunks after the cumulative ack;
     * if it is ahead of it, FORWARD-TSN tells the peer to move its cumulative TSN there (and which ordered
     * stream sequence numbers it skipped).
     */
    private void sendForwardTsnIfNeeded() {
        if (!peerForwardTsn) {
            return;
        }
        long advanced = cumAcked;
        Map<Integer, Integer> skipped = new HashMap<>();
        int room = (out.mtu() - SctpPacket.COMMON_HEADER - SctpPacket.CHUNK_HEADER - 4) / 4; // streams one FORWARD-TSN can name
        boolean any = false;
        for (OutgoingChunk o : inFlight.values()) {
            // over abandoned chunks, and over chunks the peer already has (gap-acked) between them
            if (o.tsn != advanced + 1 || !(o.policy.abandoned || o.gapAcked)) {
                break;
            }
            boolean unnamedStream = o.policy.abandoned && !o.gapAcked && (o.flags & SctpPacket.DATA_UNORDERED) == 0
                    && !skipped.containsKey(o.stream);
            if (unnamedStream && skipped.size() == room) {
                break; // the chunk fits no more: the next FORWARD-TSN goes on from here
            }
            advanced = o.tsn;
            if (o.policy.abandoned && !o.gapAcked) {
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
        byte[] v = new byte[4 + 4 * skipped.size()];
        BigEndian.putU32(v, 0, advanced);
        int at = 4;
        for (Map.Entry<Integer, Integer> e : skipped.entrySet()) {
            BigEndian.putU16(v, at, e.getKey());
            BigEndian.putU16(v, at + 2, e.getValue());
            at += 4;
        }
        out.send(SctpPacket.chunk(SctpPacket.FORWARD_TSN, 0, v));
    }

    private static byte[] dataChunk(OutgoingChunk o) {
        byte[] v = new byte[12 + o.data.length];
        BigEndian.putU32(v, 0, o.tsn);
        BigEndian.putU16(v, 4, o.stream);
        BigEndian.putU16(v, 6, o.ssn);
        BigEndian.putU32(v, 8, o.ppid & 0xFFFF_FFFFL);
        System.arraycopy(o.data, 0, v, 12, o.data.length);
        return SctpPacket.chunk(SctpPacket.DATA, o.flags, v);
    }

    @Override
    public String toString() {
        return "cwnd=" + cwnd.size() + ", inFlight=" + inFlight.size() + ", queued=" + queue.size() + ", cumAcked=" + cumAcked
                + ", nextTsn=" + nextTsn + ", t3At=" + t3At + ", forwardTsn=" + peerForwardTsn + ", abandoned=" + abandonedChunks
                + ", rto=" + rto.current();
    }
}
