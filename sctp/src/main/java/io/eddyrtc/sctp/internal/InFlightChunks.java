package io.eddyrtc.sctp.internal;

/**
 * The chunks sent and not yet covered by the peer's cumulative ack, in TSN order. TSNs are given out one after
 * another and only the cumulative ack takes chunks away, so the chunks have consecutive TSNs: a ring indexed by
 * TSN finds one in O(1), and adding or acknowledging one allocates nothing. It grows with the window and shrinks
 * back once the flight is small again.
 */
final class InFlightChunks {
    private static final int SMALLEST = 16;

    private static final OutgoingChunk[] NONE = new OutgoingChunk[0];

    /** Made with the first chunk: an association that never sends holds no ring. */
    private OutgoingChunk[] ring = NONE;
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The {@code i}th chunk from the lowest TSN. */
    OutgoingChunk get(int i) {
        return ring[(head + i) & (ring.length - 1)];
    }

    OutgoingChunk first() {
        return ring[head];
    }

    /** Where the chunk with {@code tsn} is, counted from the lowest; -1 if it is not in flight. */
    int indexOf(long tsn) {
        if (size == 0) {
            return -1;
        }
        long i = tsn - ring[head].tsn;
        return i >= 0 && i < size ? (int) i : -1;
    }

    /** A chunk just given the next TSN. */
    void add(OutgoingChunk chunk) {
        if (size == ring.length) {
            resize(Math.max(SMALLEST, ring.length * 2));
        }
        ring[(head + size) & (ring.length - 1)] = chunk;
        size++;
    }

    /** Takes the chunk with the lowest TSN away. */
    OutgoingChunk pollFirst() {
        OutgoingChunk c = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        if (ring.length > SMALLEST && size < ring.length / 4) {
            resize(ring.length / 2);
        }
        return c;
    }

    private void resize(int capacity) {
        OutgoingChunk[] next = new OutgoingChunk[capacity];
        for (int i = 0; i < size; i++) {
            next[i] = get(i);
        }
        ring = next;
        head = 0;
    }
}
