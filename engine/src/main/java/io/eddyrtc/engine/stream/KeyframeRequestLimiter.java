package io.eddyrtc.engine.stream;

/**
 * Rate limits keyframe requests (PLI/FIR) for one stream: a decoder that keeps failing would otherwise
 * ask on every packet, and each keyframe costs the sender several times a normal frame. Time is the
 * caller's monotonic nanoseconds.
 */
public final class KeyframeRequestLimiter {
    private final long minIntervalNanos;
    private long lastAt;
    private boolean any;
    private long allowed;
    private long suppressed;

    public KeyframeRequestLimiter(long minIntervalNanos) {
        if (minIntervalNanos < 0) {
            throw new IllegalArgumentException("the interval is not negative: " + minIntervalNanos);
        }
        this.minIntervalNanos = minIntervalNanos;
    }

    /** True (and counted as sent) if a request may go out at {@code now}; false if it is too soon. */
    public boolean tryRequest(long now) {
        if (any && now - lastAt < minIntervalNanos) {
            suppressed++;
            return false;
        }
        any = true;
        lastAt = now;
        allowed++;
        return true;
    }

    public long allowedCount() {
        return allowed;
    }

    public long suppressedCount() {
        return suppressed;
    }
}
