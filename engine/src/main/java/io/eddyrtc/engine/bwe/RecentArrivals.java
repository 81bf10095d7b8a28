package io.eddyrtc.engine.bwe;

/**
 * The rate the last packets arrived at: the most recent {@link #CAPACITY} received packets, of which those
 * within {@link #SPAN_NANOS} of the newest count. While a queue builds the bottleneck is busy, so this is what
 * the path carries now — what to back off from on overuse, where the smoothed acknowledged throughput is a
 * second behind (seconds behind a path that just halved). Allocates nothing.
 */
final class RecentArrivals {
    private static final int CAPACITY = 32;
    static final long SPAN_NANOS = 150_000_000L;
    private static final long MIN_SPAN_NANOS = 20_000_000L;
    private static final int MIN_PACKETS = 3;

    private final long[] arrivals = new long[CAPACITY];
    private final int[] sizes = new int[CAPACITY];
    private int next;
    private int count;

    /**
     * Forgets the packets so far: a feedback went missing, and the packets it reported would leave a hole in the
     * interval that reads as a slower path.
     */
    void clear() {
        count = 0;
        next = 0;
    }

    void onPacket(long arrivedAt, int bytes) {
        arrivals[next] = arrivedAt;
        sizes[next] = bytes;
        next = (next + 1) % CAPACITY;
        count = Math.min(count + 1, CAPACITY);
    }

    /** Bits per second over the recent packets (without the earliest, which only opens the interval), or -1. */
    long rate() {
        if (count < MIN_PACKETS) {
            return -1;
        }
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            newest = Math.max(newest, arrivals[i]);
        }
        long earliest = newest;
        int earliestBytes = 0;
        long bytes = 0;
        int used = 0;
        for (int i = 0; i < count; i++) {
            long at = arrivals[i];
            if (newest - at > SPAN_NANOS) {
                continue;
            }
            bytes += sizes[i];
            used++;
            if (at < earliest || used == 1) {
                earliest = at;
                earliestBytes = sizes[i];
            }
        }
        long span = newest - earliest;
        if (used < MIN_PACKETS || span < MIN_SPAN_NANOS) {
            return -1;
        }
        return (long) ((bytes - earliestBytes) * 8e9 / span);
    }
}
