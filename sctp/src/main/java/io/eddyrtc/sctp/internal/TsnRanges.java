package io.eddyrtc.sctp.internal;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of TSNs kept as disjoint runs of consecutive numbers (start to end, both included), so that
 * adding one, finding the run around one or dropping those below a point costs O(log n) in the number
 * of runs, however many TSNs they hold.
 */
final class TsnRanges {
    private final TreeMap<Long, Long> runs; // start -> end

    TsnRanges() {
        this(Comparator.naturalOrder());
    }

    /** Runs ordered by {@code order} (a counting comparator lets a test see how much work the set does). */
    TsnRanges(Comparator<Long> order) {
        this.runs = new TreeMap<>(order);
    }

    /** Adds {@code tsn}, joining the runs it touches; false if it was already there. */
    boolean add(long tsn) {
        Map.Entry<Long, Long> below = runs.floorEntry(tsn);
        if (below != null && below.getValue() >= tsn) {
            return false;
        }
        long start = tsn;
        long end = tsn;
        if (below != null && below.getValue() == tsn - 1) {
            start = below.getKey();
        }
        Long aboveEnd = runs.remove(tsn + 1);
        if (aboveEnd != null) {
            end = aboveEnd;
        }
        runs.put(start, end);
        return true;
    }

    boolean contains(long tsn) {
        Map.Entry<Long, Long> below = runs.floorEntry(tsn);
        return below != null && below.getValue() >= tsn;
    }

    /** Whether every TSN from {@code from} to {@code to} is in the set. */
    boolean containsAll(long from, long to) {
        Map.Entry<Long, Long> below = runs.floorEntry(from);
        return below != null && below.getValue() >= to;
    }

    /** Removes {@code from} to {@code to}, all of which are in one run. */
    void remove(long from, long to) {
        Map.Entry<Long, Long> run = runs.floorEntry(from);
        long start = run.getKey();
        long end = run.getValue();
        runs.remove(start);
        if (start < from) {
            runs.put(start, from - 1);
        }
        if (end > to) {
            runs.put(to + 1, end);
        }
    }

    /** Removes every TSN up to and including {@code tsn}. */
    void removeThrough(long tsn) {
        for (Iterator<Map.Entry<Long, Long>> it = runs.headMap(tsn, true).entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> run = it.next();
            long end = run.getValue();
            it.remove();
            if (end > tsn) {
                runs.put(tsn + 1, end);
                break;
            }
        }
    }

    /** Removes and returns the end of the run that starts at {@code start}, or -1 if none does. */
    long removeRunStartingAt(long start) {
        Long end = runs.remove(start);
        return end == null ? -1 : end;
    }

    boolean isEmpty() {
        return runs.isEmpty();
    }

    /** The runs from the lowest, as start and end. */
    Iterable<Map.Entry<Long, Long>> runs() {
        return runs.entrySet();
    }
}
