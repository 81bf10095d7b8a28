package io.eddyrtc.examples.loadgen;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What every client thread adds to while a run goes on, and the steady window it counts in. Latencies go into
 * HdrHistogram {@link Recorder}s, which any thread records into without a lock and the reporting thread takes
 * intervals of. Only frames due inside the steady window count; the rest feed the progress line alone.
 */
final class RunTotals {
    /** The longest latency told apart (a frame later than this is recorded as this). */
    static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    final Recorder videoLatency = new Recorder(HIGHEST_NANOS, 3);
    final Recorder videoUncorrected = new Recorder(HIGHEST_NANOS, 3);
    final Recorder audioLatency = new Recorder(HIGHEST_NANOS, 3);
    /** Every frame, steady or not: what the progress line shows. */
    final Recorder recent = new Recorder(HIGHEST_NANOS, 3);

    /** Frames the publisher of each room sent due in the window: [2 * room] audio, [2 * room + 1] video. */
    final AtomicLongArray scheduled;
    final LongAdder videoReceived = new LongAdder();
    final LongAdder audioReceived = new LongAdder();
    final LongAdder videoBytes = new LongAdder();
    final LongAdder freezes = new LongAdder();
    final LongAdder freezeNanos = new LongAdder();
    final LongAdder lateSends = new LongAdder();
    final LongAdder writeRefusals = new LongAdder();
    final LongAdder datagramsToPlayersAtStart = new LongAdder();
    final LongAdder datagramsToPlayersAtEnd = new LongAdder();

    private volatile long steadyStart = Long.MAX_VALUE;
    private volatile long steadyEnd = Long.MAX_VALUE;

    RunTotals(int rooms) {
        this.scheduled = new AtomicLongArray(2 * rooms);
    }

    void window(long start, long end) {
        steadyStart = start;
        steadyEnd = end;
    }

    long steadyStart() {
        return steadyStart;
    }

    long steadyEnd() {
        return steadyEnd;
    }

    boolean inWindow(long dueNanos) {
        return dueNanos >= steadyStart && dueNanos < steadyEnd;
    }

    /** The steady window's latencies so far, each recorder's interval added to {@code into}. */
    static void drain(Recorder recorder, Histogram into) {
        into.add(recorder.getIntervalHistogram());
    }
}
