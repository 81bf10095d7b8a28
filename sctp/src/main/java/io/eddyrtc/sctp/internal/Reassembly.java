package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.sctp.SctpDropReason;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DATA fragments made whole again (RFC 9260 §6.9) and handed out in stream order, or at once when
 * unordered. Without I-DATA a message's fragments have consecutive TSNs from a BEGIN to an END, so the
 * only message a new fragment can complete is the one around it: the nearest BEGIN at or below it, the
 * nearest END at or above, no other edge between, nothing missing. Indexes of BEGINs, ENDs and runs of
 * held TSNs answer that in O(log n), however much is held. A whole ordered message that is not next
 * waits under its stream and sequence number, and is found in O(1) when its turn comes.
 */
final class Reassembly {
    /** A DATA chunk's user data with what reassembly needs of its header. */
    private record Fragment(int stream, int ssn, int ppid, int flags, byte[] data) {
        boolean unordered() {
            return (flags & SctpPacket.DATA_UNORDERED) != 0;
        }
    }

    /** A whole ordered message waiting for the ones before it; {@code data} null if it was too large to keep. */
    private record Waiting(int ppid, byte[] data) {
        int size() {
            return data == null ? 0 : data.length;
        }
    }

    private final int maxMessageSize;
    private final AssociationListener listener;
    private final TreeMap<Long, Fragment> fragments = new TreeMap<>();
    private final TreeSet<Long> begins = new TreeSet<>();
    private final TreeSet<Long> ends = new TreeSet<>();
    private final TsnRanges present = new TsnRanges();
    private final Map<Integer, Integer> expectedSsn = new HashMap<>();
    private final TreeMap<Integer, Waiting> waiting = new TreeMap<>(); // key: stream << 16 | ssn
    private long heldBytes;
    private int heldCount;

    Reassembly(int maxMessageSize, AssociationListener listener) {
        this.maxMessageSize = maxMessageSize;
        this.listener = listener;
    }

    /** User data bytes held, in fragments and in whole messages waiting for their turn. */
    long heldBytes() {
        return heldBytes;
    }

    /** Fragments and waiting messages held. */
    int heldCount() {
        return heldCount;
    }

    /** Takes one fragment (its TSN not seen before) and hands out what it completes. */
    void add(long tsn, int stream, int ssn, int ppid, int flags, byte[] data) {
        int whole = SctpPacket.DATA_BEGIN | SctpPacket.DATA_END;
        if ((flags & whole) == whole) { // a message in one chunk, as most are: nothing to index
            if (data.length > maxMessageSize) {
                listener.dropped(SctpDropReason.MESSAGE_TOO_LARGE);
                data = null;
            }
            deliver(stream, ssn, ppid, (flags & SctpPacket.DATA_UNORDERED) != 0, data);
            return;
        }
        fragments.put(tsn, new Fragment(stream, ssn, ppid, flags, data));
        if ((flags & SctpPacket.DATA_BEGIN) != 0) {
            begins.add(tsn);
        }
        if ((flags & SctpPacket.DATA_END) != 0) {
            ends.add(tsn);
        }
        present.add(tsn);
        hold(data.length, 1);
        Long begin = begins.floor(tsn);
        Long end = ends.ceiling(tsn);
        if (begin == null || end == null
                || !end.equals(ends.ceiling(begin)) || !begin.equals(begins.floor(end)) // another message's edge between
                || !present.containsAll(begin, end)) {
            return;
        }
        complete(begin, end);
    }

    /** Fragments {@code begin} to {@code end} form one message: take them out and deliver it, or let it wait. */
    private void complete(long begin, long end) {
        NavigableMap<Long, Fragment> parts = fragments.subMap(begin, true, end, true);
        Fragment first = parts.firstEntry().getValue();
        long total = 0;
        boolean consistent = true;
        for (Fragment f : parts.values()) {
            total += f.data().length;
            consistent &= f.stream() == first.stream() && f.unordered() == first.unordered()
                    && (first.unordered() || f.ssn() == first.ssn());
        }
        byte[] message = null;
        if (consistent && total <= maxMessageSize) {
            message = parts.size() == 1 ? first.data() : new byte[(int) total];
            if (parts.size() > 1) {
                int at = 0;
                for (Fragment f : parts.values()) {
                    System.arraycopy(f.data(), 0, message, at, f.data().length);
                    at += f.data().length;
                }
            }
        }
        int count = parts.size();
        parts.clear();
        begins.remove(begin);
        ends.remove(end);
        present.remove(begin, end);
        hold(-total, -count);
        if (!consistent) {
            listener.dropped(SctpDropReason.MALFORMED); // pieces of different streams or messages between one BEGIN and END
            return;
        }
        if (message == null) {
            listener.dropped(SctpDropReason.MESSAGE_TOO_LARGE);
        }
        deliver(first.stream(), first.ssn(), first.ppid(), first.unordered(), message);
    }

    /** A whole message ({@code null} if too large to keep): unordered ones go at once, ordered ones in turn. */
    private void deliver(int stream, int ssn, int ppid, boolean unordered, byte[] message) {
        if (!unordered) {
            ordered(stream, ssn, ppid, message);
        } else if (message != null) {
            listener.message(stream, ppid, message);
        }
    }

    /** A whole ordered message: delivered if it is next on its stream (with any waiting behind it), else kept. */
    private void ordered(int stream, int ssn, int ppid, byte[] message) {
        int expected = expectedSsn.getOrDefault(stream, 0);
        if (ssn == expected) {
            deliverFrom(stream, ssn, ppid, message);
        } else if (SequenceNumbers.isNewer16(ssn, expected)) {
            if (waiting.putIfAbsent(key(stream, ssn), new Waiting(ppid, message)) == null) {
                hold(message == null ? 0 : message.length, 1);
            } else {
                listener.dropped(SctpDropReason.MALFORMED); // a second message with the same sequence number
            }
        } else {
            listener.dropped(SctpDropReason.UNEXPECTED_CHUNK); // its sequence number was delivered or skipped
        }
    }

    /** Delivers the message {@code ssn} on {@code stream}, then every waiting one that follows without a gap. */
    private void deliverFrom(int stream, int ssn, int ppid, byte[] message) {
        int next = ssn;
        Waiting w = new Waiting(ppid, message);
        while (w != null) {
            if (w.data() != null) {
                listener.message(stream, w.ppid(), w.data());
            }
            next = (next + 1) & 0xFFFF;
            w = waiting.remove(key(stream, next));
            if (w != null) {
                hold(-w.size(), -1);
            }
        }
        expectedSsn.put(stream, next);
    }

    /**
     * FORWARD-TSN: the peer gave up on the messages of {@code stream} up to {@code ssn}. Those already whole
     * are delivered (they arrived, nothing is lost by handing them out), the rest will not come.
     */
    void skip(int stream, int ssn) {
        int expected = expectedSsn.getOrDefault(stream, 0);
        if (SequenceNumbers.isNewer16(expected, ssn)) {
            return; // already past it
        }
        if (expected <= ssn) {
            deliverWaiting(stream, expected, ssn);
        } else { // the numbers wrap past 65535
            deliverWaiting(stream, expected, 0xFFFF);
            deliverWaiting(stream, 0, ssn);
        }
        int after = (ssn + 1) & 0xFFFF;
        Waiting next = waiting.remove(key(stream, after));
        if (next != null) {
            hold(-next.size(), -1);
            deliverFrom(stream, after, next.ppid(), next.data());
        } else {
            expectedSsn.put(stream, after);
        }
    }

    /** Hands out, in order, the whole messages waiting on {@code stream} with numbers {@code from} to {@code to}. */
    private void deliverWaiting(int stream, int from, int to) {
        NavigableMap<Integer, Waiting> range = waiting.subMap(key(stream, from), true, key(stream, to), true);
        for (Waiting w : range.values()) {
            hold(-w.size(), -1);
            if (w.data() != null) {
                listener.message(stream, w.ppid(), w.data());
            }
        }
        range.clear();
    }

    /** The peer gave up on everything up to {@code tsn}: pieces of messages that will not be completed go. */
    void discardThrough(long tsn) {
        for (Iterator<Map.Entry<Long, Fragment>> it = fragments.headMap(tsn, true).entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Fragment> e = it.next();
            begins.remove(e.getKey());
            ends.remove(e.getKey());
            hold(-e.getValue().data().length, -1);
            it.remove();
        }
        present.removeThrough(tsn);
    }

    /** The peer reset these streams: their numbering starts over, and what waited under the old one goes. */
    void resetStreams(int[] streams) {
        for (int stream : streams) {
            expectedSsn.remove(stream);
            NavigableMap<Integer, Waiting> old = waiting.subMap(key(stream, 0), true, key(stream, 0xFFFF), true);
            for (Waiting w : old.values()) {
                hold(-w.size(), -1);
            }
            old.clear();
        }
    }

    private void hold(long bytes, int count) {
        heldBytes += bytes;
        heldCount += count;
    }

    private static int key(int stream, int ssn) {
        return stream << 16 | ssn;
    }
}
