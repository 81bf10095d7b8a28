package io.eddyrtc.engine.bwe;

/**
 * The loss-based limit, with GoogCC's thresholds (draft-ietf-rmcat-gcc-02 §6): over a window of at least
 * {@link #MIN_PACKETS} packets and {@link #MIN_WINDOW_NANOS}, loss above 10 % cuts the rate by half the loss
 * fraction (at most once per round trip plus 300 ms), loss between 2 % and 10 % holds it, and loss below 2 %
 * lets it grow again by 8 % a second.
 *
 * <p>Until loss first goes over 10 % the limit is unset and the delay-based rate alone decides: loss a path
 * always has (a radio link's 1–2 %) must not hold the rate down when the delay says the path has room. Once
 * set, the limit rises while loss stays low, and is unset again once it passes the delay-based rate.
 */
final class LossBasedControl {
    static final int MIN_PACKETS = 50;
    static final long MIN_WINDOW_NANOS = 1_000_000_000L;
    static final double HIGH_LOSS = 0.10;
    static final double LOW_LOSS = 0.02;
    private static final double INCREASE_PER_SECOND = 1.08;
    private static final long DECREASE_INTERVAL_NANOS = 300_000_000L;
    static final long UNSET = Long.MAX_VALUE;

    private long windowStart = Long.MIN_VALUE;
    private int expected;
    private int lost;
    private double lastLoss;
    private long limit = UNSET;
    private long lastDecrease = Long.MIN_VALUE;
    private long lastIncrease = Long.MIN_VALUE;

    /** Feedback said packets arrived or not; {@code recovered}: one reported lost earlier arrived after all. */
    void onPacket(long now, boolean received, boolean recovered) {
        if (windowStart == Long.MIN_VALUE) {
            windowStart = now;
        }
        if (recovered) {
            lost = Math.max(0, lost - 1); // counted lost in this window or an earlier one; it was only late
            return;
        }
        expected++;
        if (!received) {
            lost++;
        }
    }

    /**
     * After a feedback: if the window is full, its loss moves the limit. {@code currentBps} is the estimate in
     * force, {@code delayBasedBps} the delay-based rate, {@code rttNanos} the round trip; while
     * {@code applicationLimited} (the application sends less than it may) low loss holds the limit rather than
     * raising it: it shows nothing of room above what was sent. Returns the limit ({@link #UNSET} while loss
     * does not bind).
     */
    long update(long now, long currentBps, long delayBasedBps, long rttNanos, boolean applicationLimited) {
        if (expected < MIN_PACKETS || now - windowStart < MIN_WINDOW_NANOS) {
            return limit;
        }
        double loss = (double) lost / expected;
        lastLoss = loss;
        expected = 0;
        lost = 0;
        windowStart = now;
        if (loss > HIGH_LOSS) {
            if (lastDecrease == Long.MIN_VALUE || now - lastDecrease >= DECREASE_INTERVAL_NANOS + rttNanos) {
                long from = Math.min(currentBps, limit);
                limit = (long) (from * (1 - 0.5 * loss));
                lastDecrease = now;
                lastIncrease = now;
            }
        } else if (loss < LOW_LOSS && limit != UNSET && !applicationLimited) {
            double seconds = lastIncrease == Long.MIN_VALUE ? 0 : Math.min((now - lastIncrease) / 1e9, 1.0);
            limit = (long) (limit * Math.pow(INCREASE_PER_SECOND, seconds)) + 1_000;
            lastIncrease = now;
            if (limit >= delayBasedBps) {
                limit = UNSET; // the delay-based rate binds again
            }
        } else {
            lastIncrease = now; // holding: growth resumes from here, not from before the loss
        }
        return limit;
    }

    /** The limit in force, or {@link #UNSET}. */
    long limit() {
        return limit;
    }

    /** The loss fraction of the last full window. */
    double lastLoss() {
        return lastLoss;
    }

    /** A probe showed the path carries {@code bps}: a limit below it is lifted to it. */
    void onProbe(long bps) {
        if (limit != UNSET && bps > limit) {
            limit = bps;
        }
    }
}
