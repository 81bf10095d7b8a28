package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.sctp.SctpDropReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The data we receive: TSNs tracked for the cumulative ack, gaps and duplicates, fragments reassembled
 * into messages and delivered (in stream order, or at once when unordered), and SACKs sent for it (every
 * second packet, after 200 ms at the latest, at once when something is missing or duplicated).
 */
public final class InboundData {
    private static final long DELAYED_SACK_NANOS = 200_000_000L;

    /** A DATA chunk received and not yet delivered. */
    private record Fragment(int stream, int ssn, int ppid, int flags, byte[] data) {}

    private final OutgoingPackets out;
    private final AssociationListener listener;
    private final int receiveWindow;
    private final int maxMessageSize;

    private long peerCumTsn;                       // extended: the last TSN received in order
    private final TreeSet<Long> receivedAbove = new TreeSet<>();
    private final TreeMap<Long, Fragment> pending = new TreeMap<>();
    private final Map<Integer, Integer> expectedSsn = new HashMap<>();
    private final List<Long> duplicates = new ArrayList<>();
    private int pendingBytes;
    private int packetsSinceSack;
    private long sackDueAt = Long.MAX_VALUE;

    public InboundData(int receiveWindow, int maxMessageSize, OutgoingPackets out, AssociationListener listener) {
        this.receiveWindow = receiveWindow;
        this.maxMessageSize = maxMessageSize;
        this.out = out;
        this.listener = listener;
    }

    /** The peer's initial TSN, from its INIT or INIT-ACK. */
    public void start(long peerInitialTsn) {
        peerCumTsn = peerInitialTsn - 1;
    }

    /** The last TSN received with everything before it. */
    public long cumulativeTsn() {
        return peerCumTsn;
    }

    /** A 32-bit TSN from the peer as the extended TSN nearest our cumulative one. */
    public long extend(long tsn) {
        return SequenceNumbers.extend32(peerCumTsn, tsn);
    }

    /** The peer reset these streams of its own: their messages start over at SSN 0. */
    public void resetStreams(int[] streams) {
        for (int stream : streams) {
            expectedSsn.remove(stream);
        }
    }

    public long sackDueAt() {
        return sackDueAt;
    }

    public void stopTimer() {
        sackDueAt = Long.MAX_VALUE;
    }

    public void onTimeout(long now) {
        if (now >= sackDueAt) {
            sendSack();
        }
    }

    /**
     * A DATA chunk's value (after the chunk header), {@code length} bytes at {@code at}. True when it counts
     * towards a SACK (taken, or a duplicate to report).
     */
    public boolean onData(int flags, byte[] p, int at, int length) {
        if (length < 12) {
            listener.dropped(SctpDropReason.MALFORMED);
            return false;
        }
        long tsn = extend(BigEndian.u32(p, at));
        if (tsn <= peerCumTsn || receivedAbove.contains(tsn)) {
            duplicates.add(tsn);
            return true;
        }
        byte[] data = Arrays.copyOfRange(p, at + 12, at + length);
        if (pendingBytes + data.length > receiveWindow || tsn > peerCumTsn + Math.min(receiveWindow / 16, 32_768)) {
            listener.dropped(SctpDropReason.OUT_OF_WINDOW);
            return false;
        }
        pending.put(tsn, new Fragment(BigEndian.u16(p, at + 4), BigEndian.u16(p, at + 6), (int) BigEndian.u32(p, at + 8), flags, data));
        pendingBytes += data.length;
        if (tsn == peerCumTsn + 1) {
            peerCumTsn = tsn;
            while (!receivedAbove.isEmpty() && receivedAbove.first() == peerCumTsn + 1) {
                peerCumTsn = receivedAbove.pollFirst();
            }
        } else {
            receivedAbove.add(tsn);
        }
        deliver();
        return true;
    }

    /** Hands out every message that is whole and (for ordered streams) next in its stream's order. */
    private void deliver() {
        boolean progress = true;
        while (progress) {
            progress = false;
            Iterator<Map.Entry<Long, Fragment>> it = pending.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Fragment> first = it.next();
                Fragment f = first.getValue();
                if ((f.flags() & SctpPacket.DATA_BEGIN) == 0) {
                    continue;
                }
                boolean unordered = (f.flags() & SctpPacket.DATA_UNORDERED) != 0;
                if (!unordered && expectedSsn.getOrDefault(f.stream(), 0) != f.ssn()) {
                    continue;
                }
                List<Fragment> parts = new ArrayList<>();
                long tsn = first.getKey();
                Fragment part = f;
                int total = 0;
                while (part != null && part.stream() == f.stream() && (unordered || part.ssn() == f.ssn())) {
                    parts.add(part);
                    total += part.data().length;
                    if ((part.flags() & SctpPacket.DATA_END) != 0) {
                        break;
                    }
                    part = pending.get(++tsn);
                    if (part != null && (part.flags() & SctpPacket.DATA_BEGIN) != 0) {
                        part = null; // a new message began before this one ended: not whole yet
                    }
                }
                if (part == null || (part.flags() & SctpPacket.DATA_END) == 0) {
                    continue;
                }
                for (long t = first.getKey(); t <= tsn; t++) {
                    pending.remove(t);
                }
                pendingBytes -= total;
                if (!unordered) {
                    expectedSsn.put(f.stream(), (f.ssn() + 1) & 0xFFFF);
                }
                if (total > maxMessageSize) {
                    listener.dropped(SctpDropReason.OUT_OF_WINDOW);
                } else {
                    byte[] message = new byte[total];
                    int at = 0;
                    for (Fragment piece : parts) {
                        System.arraycopy(piece.data(), 0, message, at, piece.data().length);
                        at += piece.data().length;
                    }
                    listener.message(f.stream(), f.ppid(), message);
                }
                progress = true;
                break; // the map changed: scan again
            }
        }
    }

    /** The peer gave up on DATA up to a new cumulative TSN: skip it, and the ordered messages it names. */
    public void onForwardTsn(byte[] p, int at, int length) {
        if (length < 4) {
            listener.dropped(SctpDropReason.MALFORMED);
            return;
        }
        long newCum = extend(BigEndian.u32(p, at));
        if (newCum > peerCumTsn) {
            peerCumTsn = newCum;
            receivedAbove.headSet(newCum, true).clear();
            while (!receivedAbove.isEmpty() && receivedAbove.first() == peerCumTsn + 1) {
                peerCumTsn = receivedAbove.pollFirst();
            }
        }
        for (int i = at + 4; i + 4 <= at + length; i += 4) {
            int stream = BigEndian.u16(p, i);
            int ssn = BigEndian.u16(p, i + 2);
            int expected = expectedSsn.getOrDefault(stream, 0);
            if (!SequenceNumbers.isNewer16(expected, ssn)) {
                expectedSsn.put(stream, (ssn + 1) & 0xFFFF); // the skipped messages will not come
            }
        }
        deliver();
        Iterator<Map.Entry<Long, Fragment>> it = pending.headMap(peerCumTsn, true).entrySet().iterator();
        while (it.hasNext()) {
            pendingBytes -= it.next().getValue().data().length; // pieces of abandoned messages
            it.remove();
        }
        sendSack();
    }

    /** After a packet that had DATA: SACK at once when something is missing or repeated, else every second packet. */
    public void afterPacket(long now) {
        packetsSinceSack++;
        if (packetsSinceSack >= 2 || !receivedAbove.isEmpty() || !duplicates.isEmpty()) {
            sendSack();
        } else if (sackDueAt == Long.MAX_VALUE) {
            sackDueAt = now + DELAYED_SACK_NANOS;
        }
    }

    public void sendSack() {
        List<long[]> gaps = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (long t : receivedAbove) {
            if (start >= 0 && t == end + 1) {
                end = t;
            } else {
                if (start >= 0) {
                    gaps.add(new long[] {start, end});
                }
                start = t;
                end = t;
            }
        }
        if (start >= 0) {
            gaps.add(new long[] {start, end});
        }
        int gapCount = Math.min(gaps.size(), 64);
        int dupCount = Math.min(duplicates.size(), 32);
        byte[] v = new byte[12 + 4 * gapCount + 4 * dupCount];
        BigEndian.putU32(v, 0, peerCumTsn);
        BigEndian.putU32(v, 4, Math.max(0, receiveWindow - pendingBytes));
        BigEndian.putU16(v, 8, gapCount);
        BigEndian.putU16(v, 10, dupCount);
        for (int i = 0; i < gapCount; i++) {
            BigEndian.putU16(v, 12 + 4 * i, (int) (gaps.get(i)[0] - peerCumTsn));
            BigEndian.putU16(v, 14 + 4 * i, (int) (gaps.get(i)[1] - peerCumTsn));
        }
        for (int i = 0; i < dupCount; i++) {
            BigEndian.putU32(v, 12 + 4 * gapCount + 4 * i, duplicates.get(i));
        }
        duplicates.clear();
        packetsSinceSack = 0;
        sackDueAt = Long.MAX_VALUE;
        out.send(SctpPacket.chunk(SctpPacket.SACK, 0, v));
    }
}
