package io.eddyrtc.engine.bwe;

/**
 * Whether the application sends clearly less than the estimate allows — the application-limited region
 * (libwebrtc's {@code AlrDetector}). A budget fills at 65 % of the estimate and drains by the media we send,
 * within ±{@link #WINDOW_NANOS} of that rate; more than 80 % of it unused starts the region, less than 50 %
 * ends it. In the region the throughput says nothing about the path, so the rate controller does not learn
 * from it, and its end is a moment to probe.
 */
final class AlrDetector {
    private static final long WINDOW_NANOS = 500_000_000L;
    private static final double USAGE_RATIO = 0.65;
    private static final double START_RATIO = 0.80;
    private static final double STOP_RATIO = 0.50;

    private long targetBps;
    private double budgetBytes;
    private long lastSent = Long.MIN_VALUE;
    private boolean inAlr;
    private long endedAt = Long.MIN_VALUE;

    AlrDetector(long estimateBps) {
        setEstimate(estimateBps);
    }

    void setEstimate(long estimateBps) {
        targetBps = (long) (estimateBps * USAGE_RATIO);
        double max = maxBytes();
        budgetBytes = Math.clamp(budgetBytes, -max, max);
    }

    private double maxBytes() {
        return targetBps / 8.0 * WINDOW_NANOS / 1e9;
    }

    /** Media (not probe padding) of {@code bytes} went out at {@code now}. Returns whether the region changed. */
    boolean onSent(long now, int bytes) {
        if (lastSent == Long.MIN_VALUE) {
            lastSent = now; // the time the first bytes took is unknown: start counting from them
            return false;
        }
        long elapsed = now - lastSent;
        lastSent = now;
        double max = maxBytes();
        budgetBytes = Math.max(budgetBytes - bytes, -max);
        budgetBytes = Math.min(budgetBytes + targetBps / 8.0 * elapsed / 1e9, max);
        double ratio = max <= 0 ? 0 : budgetBytes / max;
        if (!inAlr && ratio > START_RATIO) {
            inAlr = true;
            return true;
        }
        if (inAlr && ratio < STOP_RATIO) {
            inAlr = false;
            endedAt = now;
            return true;
        }
        return false;
    }

    boolean inAlr() {
        return inAlr;
    }

    /** When the region last ended, or {@code Long.MIN_VALUE}. */
    long endedAt() {
        return endedAt;
    }
}
