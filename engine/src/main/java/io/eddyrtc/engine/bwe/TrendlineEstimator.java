package io.eddyrtc.engine.bwe;

/**
 * The delay-based congestion signal of GoogCC (libwebrtc's {@code TrendlineEstimator}): the delay variation
 * between packet groups is accumulated and smoothed, and the slope of a straight line fitted through the last
 * {@link #WINDOW} smoothed values against arrival time says whether a queue grows. The slope, amplified, is
 * held against a threshold that adapts to the path's own jitter: above it for longer than
 * {@link #OVERUSE_TIME_MS} (and still rising) is {@link BandwidthUsage#OVERUSING}, below its negative is
 * {@link BandwidthUsage#UNDERUSING}. Works in milliseconds as libwebrtc's constants do. Allocates nothing.
 */
final class TrendlineEstimator {
    static final int WINDOW = 20;
    private static final double SMOOTHING = 0.9;
    private static final double GAIN = 4.0;
    /** The slope is amplified by the number of deltas seen, up to this many. */
    private static final int MAX_DELTAS_FOR_GAIN = 60;
    private static final int DELTA_COUNTER_MAX = 1000;
    private static final double INITIAL_THRESHOLD_MS = 12.5;
    private static final double MIN_THRESHOLD_MS = 6;
    private static final double MAX_THRESHOLD_MS = 600;
    /** How fast the threshold follows the trend up (rarely: real congestion must not be learnt away) and down. */
    private static final double K_UP = 0.0087;
    private static final double K_DOWN = 0.039;
    /** A trend this far over the threshold is congestion, not jitter: the threshold does not adapt to it. */
    private static final double MAX_ADAPT_OFFSET_MS = 15;
    private static final double MAX_ADAPT_INTERVAL_MS = 100;
    static final double OVERUSE_TIME_MS = 10;

    private final double[] times = new double[WINDOW];
    private final double[] delays = new double[WINDOW];
    private int filled;
    private int next;
    private int deltas;
    private double firstArrivalMs = Double.NaN;
    private double accumulatedDelayMs;
    private double smoothedDelayMs;
    private double previousTrend;

    private double threshold = INITIAL_THRESHOLD_MS;
    private double lastThresholdUpdateMs = Double.NaN;
    private double timeOverUsingMs = -1;
    private int overuseCount;
    private BandwidthUsage usage = BandwidthUsage.NORMAL;
    private double modifiedTrend;

    /**
     * One inter-group delta: the later group arrived {@code arrivalDeltaNanos} after the earlier and left
     * {@code sendDeltaNanos} after it; its last packet arrived at {@code arrivalNanos} (the peer's clock).
     */
    void update(long arrivalDeltaNanos, long sendDeltaNanos, long arrivalNanos) {
        double deltaMs = (arrivalDeltaNanos - sendDeltaNanos) / 1e6;
        double arrivalMs = arrivalNanos / 1e6;
        deltas = Math.min(deltas + 1, DELTA_COUNTER_MAX);
        if (Double.isNaN(firstArrivalMs)) {
            firstArrivalMs = arrivalMs;
        }
        accumulatedDelayMs += deltaMs;
        smoothedDelayMs = SMOOTHING * smoothedDelayMs + (1 - SMOOTHING) * accumulatedDelayMs;
        times[next] = arrivalMs - firstArrivalMs;
        delays[next] = smoothedDelayMs;
        next = (next + 1) % WINDOW;
        filled = Math.min(filled + 1, WINDOW);
        double trend = previousTrend;
        if (filled == WINDOW) {
            trend = slope(trend);
        }
        detect(trend, sendDeltaNanos / 1e6, arrivalMs);
    }

    /** The least-squares slope of smoothed delay over time across the window; {@code fallback} if undefined. */
    private double slope(double fallback) {
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < WINDOW; i++) {
            sumX += times[i];
            sumY += delays[i];
        }
        double meanX = sumX / WINDOW;
        double meanY = sumY / WINDOW;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < WINDOW; i++) {
            double dx = times[i] - meanX;
            numerator += dx * (delays[i] - meanY);
            denominator += dx * dx;
        }
        return denominator == 0 ? fallback : numerator / denominator;
    }

    private void detect(double trend, double sendDeltaMs, double nowMs) {
        if (deltas < 2) {
            usage = BandwidthUsage.NORMAL;
            return;
        }
        modifiedTrend = Math.min(deltas, MAX_DELTAS_FOR_GAIN) * trend * GAIN;
        if (modifiedTrend > threshold) {
            timeOverUsingMs = timeOverUsingMs < 0 ? sendDeltaMs / 2 : timeOverUsingMs + sendDeltaMs;
            overuseCount++;
            if (timeOverUsingMs > OVERUSE_TIME_MS && overuseCount > 1 && trend >= previousTrend) {
                timeOverUsingMs = 0;
                overuseCount = 0;
                usage = BandwidthUsage.OVERUSING;
            }
        } else if (modifiedTrend < -threshold) {
            timeOverUsingMs = -1;
            overuseCount = 0;
            usage = BandwidthUsage.UNDERUSING;
        } else {
            timeOverUsingMs = -1;
            overuseCount = 0;
            usage = BandwidthUsage.NORMAL;
        }
        previousTrend = trend;
        adaptThreshold(nowMs);
    }

    private void adaptThreshold(double nowMs) {
        if (Double.isNaN(lastThresholdUpdateMs)) {
            lastThresholdUpdateMs = nowMs;
        }
        double magnitude = Math.abs(modifiedTrend);
        if (magnitude > threshold + MAX_ADAPT_OFFSET_MS) {
            lastThresholdUpdateMs = nowMs;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        double elapsed = Math.min(Math.max(nowMs - lastThresholdUpdateMs, 0), MAX_ADAPT_INTERVAL_MS);
        threshold += k * (magnitude - threshold) * elapsed;
        threshold = Math.clamp(threshold, MIN_THRESHOLD_MS, MAX_THRESHOLD_MS);
        lastThresholdUpdateMs = nowMs;
    }

    BandwidthUsage usage() {
        return usage;
    }

    /** The amplified slope last held against the threshold (ms), for tests and statistics. */
    double modifiedTrend() {
        return modifiedTrend;
    }

    double threshold() {
        return threshold;
    }
}
