package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.sctp.SctpDropReason;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Comparator;
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
 * waits under its stream and sequence number, and is found in O(log n) when its turn comes.
 *
 * <p>Bytes stay where {@link InboundData} put them: a pool slot, or a heap array. A message in one chunk (most
 * are) goes out in its own slot, untouched and with no bookkeeping; fragments of a larger one are joined into
 * the first one's slot when the whole fits a slot, else into a heap array.
 */
final class Reassembly {
    /** A DATA chunk's user data, in {@code slot} or else {@code heap}, with what reassembly needs of its header. */
    private record Fragment(int stream, int ssn, int ppid, int flags, PacketBuffer slot, byte[] heap, int length) {
        boolean unordered() {
            return (flags & SctpPacket.DATA_UNORDERED) != 0;
        }
    }

    /** A whole ordered message waiting for the ones before it; no bytes ({@code length} -1) if it was too large to keep. */
    private record Waiting(int ppid, PacketBuffer slot, byte[] heap, int length) {
        int size() {
            return Math.max(0, length);
        }
    }

    private final int maxMessageSize;
    private final PayloadSlots slots;
    private final AssociationListener listener;
    private final TreeMap<Long, Fragment> fragments;
    private final TreeSet<Long> begins;
    private final TreeSet<Long> ends;
    private final TsnRanges present;
    private final StreamValues expectedSsn = new StreamValues(0);
    private final TreeMap<Integer, Waiting> waiting; // key: stream << 16 | ssn
    private long heldBytes;
    private int heldCount;
    /** The work done: comparisons the indexes make and held pieces a loop visits (what a test bounds per message). */
    private long steps;

    Reassembly(int maxMessageSize, PayloadSlots slots, AssociationListener listener) {
        this.maxMessageSize = maxMessageSize;
        this.slots = slots;
        this.listener = listener;
        Comparator<Long> tsnOrder = (a, b) -> {
            steps++;
            return Long.compare(a, b);
        };
        this.fragments = new TreeMap<>(tsnOrder);
        this.begins = new TreeSet<>(tsnOrder);
        this.ends = new TreeSet<>(tsnOrder);
        this.present = new TsnRanges(tsnOrder);
        this.waiting = new TreeMap<>((a, b) -> {
            steps++;
            return Integer.compare(a, b);
        });
    }

    /** User data bytes held, in fragments and in whole messages waiting for their turn. */
    long heldBytes() {
        return heldBytes;
    }

    /** Fragments and waiting messages held. */
    int heldCount() {
        return heldCount;
    }

    /** Comparisons and visits so far (see {@link #steps}). */
    long steps() {
        return steps;
    }

    /**
     * Takes one fragment (its TSN not seen before), {@code length} bytes in {@code slot} or else {@code heap}, and
     * hands out what it completes.
     */
    void add(long tsn, int stream, int ssn, int ppid, int flags, PacketBuffer slot, byte[] heap, int length) {
        int whole = SctpPacket.DATA_BEGIN | SctpPacket.DATA_END;
        if ((flags & whole) == whole) { // a message in one chunk, as most are: nothing to index
            if (length > maxMessageSize) {
                listener.dropped(SctpDropReason.MESSAGE_TOO_LARGE);
                free(slot);
                slot = PacketBuffer.NONE;
                heap = null;
                length = -1;
            }
            deliver(stream, ssn, ppid, (flags & SctpPacket.DATA_UNORDERED) != 0, slot, heap, length);
            return;
        }
        fragments.put(tsn, new Fragment(stream, ssn, ppid, flags, slot, heap, length));
        if ((flags & SctpPacket.DATA_BEGIN) != 0) {
            begins.add(tsn);
        }
        if ((flags & SctpPacket.DATA_END) != 0) {
            ends.add(tsn);
        }
        present.add(tsn);
        hold(length, 1);
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
            steps++;
            total += f.length();
            consistent &= f.stream() == first.stream() && f.unordered() == first.unordered()
                    && (first.unordered() || f.ssn() == first.ssn());
        }
        PacketBuffer slot = PacketBuffer.NONE;
        byte[] heap = null;
        int length = -1;
        if (consistent && total <= maxMessageSize) {
            length = (int) total;
            if (!first.slot().isNone() && total <= first.slot().capacity()) {
                slot = first.slot(); // the rest join the first in its slot
                int at = 0;
                for (Fragment f : parts.values()) {
                    steps++;
                    if (f != first) {
                        copy(f, slot.segment(), at);
                    }
                    at += f.length();
                }
            } else {
                heap = new byte[length];
                MemorySegment joined = MemorySegment.ofArray(heap);
                int at = 0;
                for (Fragment f : parts.values()) {
                    steps++;
                    copy(f, joined, at);
                    at += f.length();
                }
            }
        }
        for (Fragment f : parts.values()) {
            steps++;
            if (f.slot() != slot) {
                free(f.slot());
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
        if (length < 0) {
            listener.dropped(SctpDropReason.MESSAGE_TOO_LARGE);
        }
        deliver(first.stream(), first.ssn(), first.ppid(), first.unordered(), slot, heap, length);
    }

    private static void copy(Fragment f, MemorySegment to, long at) {
        if (f.slot().isNone()) {
            MemorySegment.copy(f.heap(), 0, to, ValueLayout.JAVA_BYTE, at, f.length());
        } else {
            MemorySegment.copy(f.slot().segment(), 0, to, at, f.length());
        }
    }

    /** A whole message ({@code length} -1: too large to keep): unordered ones go at once, ordered ones in turn. */
    private void deliver(int stream, int ssn, int ppid, boolean unordered, PacketBuffer slot, byte[] heap, int length) {
        if (!unordered) {
            ordered(stream, ssn, ppid, slot, heap, length);
        } else if (length >= 0) {
            listener.message(stream, ppid, slot, heap, length);
        }
    }

    /** A whole ordered message: delivered if it is next on its stream (with any waiting behind it), else kept. */
    private void ordered(int stream, int ssn, int ppid, PacketBuffer slot, byte[] heap, int length) {
        int expected = (int) expectedSsn.get(stream);
        if (ssn == expected) {
            if (length >= 0) {
                listener.message(stream, ppid, slot, heap, length);
            }
            deliverWaitingFrom(stream, (ssn + 1) & 0xFFFF);
        } else if (SequenceNumbers.isNewer16(ssn, expected)) {
            if (waiting.putIfAbsent(key(stream, ssn), new Waiting(ppid, slot, heap, length)) == null) {
                hold(Math.max(0, length), 1);
            } else {
                listener.dropped(SctpDropReason.MALFORMED); // a second message with the same sequence number
                free(slot);
            }
        } else {
            listener.dropped(SctpDropReason.UNEXPECTED_CHUNK); // its sequence number was delivered or skipped
            free(slot);
        }
    }

    /** Delivers, from {@code ssn} on, every waiting message of {@code stream} that follows without a gap; the next expected is the first missing. */
    private void deliverWaitingFrom(int stream, int ssn) {
        int next = ssn;
        // a message comes in order with nothing waiting behind it far more often than not: no lookup then
        Waiting w = waiting.isEmpty() ? null : waiting.remove(key(stream, next));
        while (w != null) {
            hold(-w.size(), -1);
            if (w.length() >= 0) {
                listener.message(stream, w.ppid(), w.slot(), w.heap(), w.length());
            }
            next = (next + 1) & 0xFFFF;
            w = waiting.isEmpty() ? null : waiting.remove(key(stream, next));
        }
        expectedSsn.put(stream, next);
    }

    /**
     * FORWARD-TSN: the peer gave up on the messages of {@code stream} up to {@code ssn}. Those already whole
     * are delivered (they arrived, nothing is lost by handing them out), the rest will not come.
     */
    void skip(int stream, int ssn) {
        int expected = (int) expectedSsn.get(stream);
        if (SequenceNumbers.isNewer16(expected, ssn)) {
            return; // already past it
        }
        if (expected <= ssn) {
            deliverWaiting(stream, expected, ssn);
        } else { // the numbers wrap past 65535
            deliverWaiting(stream, expected, 0xFFFF);
            deliverWaiting(stream, 0, ssn);
        }
        deliverWaitingFrom(stream, (ssn + 1) & 0xFFFF);
    }

    /** Hands out, in order, the whole messages waiting on {@code stream} with numbers {@code from} to {@code to}. */
    private void deliverWaiting(int stream, int from, int to) {
        NavigableMap<Integer, Waiting> range = waiting.subMap(key(stream, from), true, key(stream, to), true);
        for (Waiting w : range.values()) {
            steps++;
            hold(-w.size(), -1);
            if (w.length() >= 0) {
                listener.message(stream, w.ppid(), w.slot(), w.heap(), w.length());
            }
        }
        range.clear();
    }

    /** The peer gave up on everything up to {@code tsn}: pieces of messages that will not be completed go. */
    void discardThrough(long tsn) {
        for (Iterator<Map.Entry<Long, Fragment>> it = fragments.headMap(tsn, true).entrySet().iterator(); it.hasNext(); ) {
            steps++;
            Map.Entry<Long, Fragment> e = it.next();
            begins.remove(e.getKey());
            ends.remove(e.getKey());
            hold(-e.getValue().length(), -1);
            free(e.getValue().slot());
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
                steps++;
                hold(-w.size(), -1);
                free(w.slot());
            }
            old.clear();
        }
    }

    /** The association is gone: every slot held goes back. */
    void releaseAll() {
        for (Fragment f : fragments.values()) {
            free(f.slot());
        }
        for (Waiting w : waiting.values()) {
            free(w.slot());
        }
        fragments.clear();
        begins.clear();
        ends.clear();
        waiting.clear();
        present.removeThrough(Long.MAX_VALUE);
        heldBytes = 0;
        heldCount = 0;
    }

    private void free(PacketBuffer slot) {
        if (!slot.isNone()) {
            slots.give(slot);
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
