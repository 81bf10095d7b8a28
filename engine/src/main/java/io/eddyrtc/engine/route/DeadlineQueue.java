package io.eddyrtc.engine.route;

import java.util.Arrays;

/**
 * The deadlines of many peers, earliest first, so that a loop driving thousands of {@code Rtc}s finds the next
 * one due without asking each: an indexed binary min-heap over small int ids (the ones {@link RtcRouter} hands
 * out). {@link #schedule} adds, moves or (with {@code Long.MAX_VALUE}) drops an id's deadline in O(log n),
 * doing nothing when it did not change, which is the common case after a packet; {@link #nextDeadline()} is
 * O(1); {@link #pollDue} takes the earliest id whose time has come. Exact (no tick), and allocation-free once
 * its arrays have grown to the largest id.
 *
 * <p>Not thread-safe: it belongs to the loop's thread, like the {@code Rtc}s.
 */
public final class DeadlineQueue {
    private static final int ABSENT = -1;

    private int[] heap;        // ids, heap-ordered by deadline
    private long[] deadlines;  // deadlines, by heap position
    private int[] positionOf;  // heap position of each id, ABSENT when it has no deadline
    private int size;

    public DeadlineQueue() {
        this(64);
    }

    /** A queue with room for ids below {@code initialIds} before it grows. */
    public DeadlineQueue(int initialIds) {
        int n = Math.max(1, initialIds);
        heap = new int[n];
        deadlines = new long[n];
        positionOf = new int[n];
        Arrays.fill(positionOf, ABSENT);
    }

    /** Ids with a deadline. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Sets the deadline of {@code id} (0 or more): adds it, moves it, or, for {@code Long.MAX_VALUE} ("never"),
     * removes it. Nothing moves when the deadline is what it was.
     */
    public void schedule(int id, long deadline) {
        if (id < 0) {
            throw new IllegalArgumentException("ids are 0 or more, got " + id);
        }
        if (deadline == Long.MAX_VALUE) {
            cancel(id);
            return;
        }
        if (id >= positionOf.length) {
            growIds(id + 1);
        }
        int at = positionOf[id];
        if (at == ABSENT) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
                deadlines = Arrays.copyOf(deadlines, size * 2);
            }
            place(size++, id, deadline);
            siftUp(size - 1);
        } else if (deadline < deadlines[at]) {
            deadlines[at] = deadline;
            siftUp(at);
        } else if (deadline > deadlines[at]) {
            deadlines[at] = deadline;
            siftDown(at);
        }
    }

    /** Removes the deadline of {@code id}, if it has one. */
    public void cancel(int id) {
        if (id < 0 || id >= positionOf.length || positionOf[id] == ABSENT) {
            return;
        }
        removeAt(positionOf[id]);
    }

    /** The deadline of {@code id}, or {@code Long.MAX_VALUE} when it has none. */
    public long deadline(int id) {
        return id < 0 || id >= positionOf.length || positionOf[id] == ABSENT ? Long.MAX_VALUE : deadlines[positionOf[id]];
    }

    /** The earliest deadline, or {@code Long.MAX_VALUE} when there is none. */
    public long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : deadlines[0];
    }

    /** The id whose deadline is earliest and not after {@code now}, removed from the queue; -1 when none is due. */
    public int pollDue(long now) {
        if (size == 0 || deadlines[0] > now) {
            return -1;
        }
        int id = heap[0];
        removeAt(0);
        return id;
    }

    private void removeAt(int at) {
        positionOf[heap[at]] = ABSENT;
        int last = --size;
        if (at != last) {
            place(at, heap[last], deadlines[last]);
            siftDown(at);
            siftUp(at);
        }
    }

    private void siftUp(int at) {
        int id = heap[at];
        long deadline = deadlines[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (deadlines[parent] <= deadline) {
                break;
            }
            place(at, heap[parent], deadlines[parent]);
            at = parent;
        }
        place(at, id, deadline);
    }

    private void siftDown(int at) {
        int id = heap[at];
        long deadline = deadlines[at];
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            if (child + 1 < size && deadlines[child + 1] < deadlines[child]) {
                child++;
            }
            if (deadlines[child] >= deadline) {
                break;
            }
            place(at, heap[child], deadlines[child]);
            at = child;
        }
        place(at, id, deadline);
    }

    private void place(int at, int id, long deadline) {
        heap[at] = id;
        deadlines[at] = deadline;
        positionOf[id] = at;
    }

    private void growIds(int needed) {
        int old = positionOf.length;
        positionOf = Arrays.copyOf(positionOf, Math.max(needed, old * 2));
        Arrays.fill(positionOf, old, positionOf.length, ABSENT);
    }
}
