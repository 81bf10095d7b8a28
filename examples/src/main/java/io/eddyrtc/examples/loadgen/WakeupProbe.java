package io.eddyrtc.examples.loadgen;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The machine's floor under every latency a run measures: a thread that does nothing but sleep a millisecond at a
 * time and records how late it wakes (as cyclictest does). A frame's trip through the server takes at least two
 * wake-ups (the server's loop on the publisher's packet, the player's thread on the forwarded one), so a percentile
 * of the run's latency cannot be below this one's for long: where they meet, what is left is the machine's
 * scheduling (on a virtual machine, the host's too), not the server. Only wake-ups in the steady window count.
 */
final class WakeupProbe implements AutoCloseable {
    static final long SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RunTotals totals;
    private final Recorder lateness = new Recorder(RunTotals.HIGHEST_NANOS, 3);
    private final Thread thread;
    private volatile boolean stopping;

    WakeupProbe(RunTotals totals) {
        this.totals = totals;
        this.thread = Thread.ofPlatform().name("loadgen-wakeup-probe").daemon().unstarted(this::run);
        thread.start();
    }

    private void run() {
        while (!stopping) {
            long asleep = System.nanoTime();
            LockSupport.parkNanos(SLEEP_NANOS);
            long late = System.nanoTime() - asleep - SLEEP_NANOS;
            if (totals.inWindow(asleep)) {
                lateness.recordValue(Math.clamp(late, 0, RunTotals.HIGHEST_NANOS));
            }
        }
    }

    /** How late the probe woke in the steady window so far (nanoseconds), and starts the next interval. */
    Histogram lateness() {
        return lateness.getIntervalHistogram();
    }

    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
