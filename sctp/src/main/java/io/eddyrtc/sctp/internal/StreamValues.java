package io.eddyrtc.sctp.internal;

import java.util.Arrays;

/**
 * A number per stream id (0 to 65535) for the few streams that have one — the next sequence number, bytes
 * queued, a low-water mark — in open-addressed primitive arrays, so reading and changing one on every message
 * boxes nothing. Absent streams read as a default. Made on the first value, then grows with the streams in use,
 * from room for eight: most associations number one or two streams, and many none.
 */
final class StreamValues {
    private static final int EMPTY = -1;

    private final long absent;
    private static final int[] NONE = newKeys(1);

    private int[] keys = NONE;
    private long[] values;
    private int size;

    /** Streams without a value read as {@code absent}. */
    StreamValues(long absent) {
        this.absent = absent;
    }

    long get(int stream) {
        int i = find(stream);
        return i < 0 ? absent : values[i];
    }

    boolean contains(int stream) {
        return find(stream) >= 0;
    }

    void put(int stream, long value) {
        if (keys == NONE) {
            keys = newKeys(8);
            values = new long[8];
        }
        int mask = keys.length - 1;
        for (int i = hash(stream) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == stream) {
                values[i] = value;
                return;
            }
            if (keys[i] == EMPTY) {
                keys[i] = stream;
                values[i] = value;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
        }
    }

    /** Adds {@code delta} to the stream's value (from {@code absent}); returns the new value. */
    long add(int stream, long delta) {
        long value = get(stream) + delta;
        put(stream, value);
        return value;
    }

    void remove(int stream) {
        int i = find(stream);
        if (i < 0) {
            return;
        }
        int mask = keys.length - 1;
        keys[i] = EMPTY;
        size--;
        // close the gap: move back each following entry that would not be found past the hole
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = hash(keys[j]) & mask;
            if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
                keys[i] = keys[j];
                values[i] = values[j];
                keys[j] = EMPTY;
                i = j;
            }
        }
    }

    int size() {
        return size;
    }

    void clear() {
        keys = NONE;
        values = null;
        size = 0;
    }

    private int find(int stream) {
        int mask = keys.length - 1;
        for (int i = hash(stream) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == stream) {
                return i;
            }
            if (keys[i] == EMPTY) {
                return -1;
            }
        }
    }

    private void grow() {
        int[] oldKeys = keys;
        long[] oldValues = values;
        keys = newKeys(oldKeys.length * 2);
        values = new long[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int[] newKeys(int n) {
        int[] k = new int[n];
        Arrays.fill(k, EMPTY);
        return k;
    }

    private static int hash(int stream) {
        int h = stream * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
