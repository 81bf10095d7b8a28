package io.eddyrtc.engine.bwe;

/**
 * The throughput the peer acknowledged: bytes it reported received, counted in windows of their arrival time
 * (500 ms for the first sample, 150 ms after), and smoothed by a Bayesian filter whose trust in a sample falls
 * with its distance from the estimate (libwebrtc's {@code BitrateEstimator}). A window with few bytes (an
 * audio-only spell) counts for less when it would pull the estimate down, and so does one while the
 * application sends less than it may, so a pause in the application does not read as a slow path.
 */
final class AcknowledgedBitrate {
    private static final long INITIAL_WINDOW_NANOS = 500_000_000L;
    private static final long WINDOW_NANOS = 150_000_000L;
    private static final double UNCERTAINTY_SCALE = 10;
    private static final double UNCERTAINTY_SCALE_IN_ALR = 20;
    private static final double SMALL_SAMPLE_UNCERTAINTY_SCALE = 20;
    private static final int SMALL_SAMPLE_BYTES = 4000;
    private static final double ESTIMATE_FLOOR_KBPS = 40;
    private static final double INITIAL_VARIANCE = 50;
    private static final double PROCESS_VARIANCE = 5;
    /** Added to the variance when the rate may change fast (the application stopped holding back). */
    private static final double FAST_CHANGE_VARIANCE = 200;

    private long windowBytes;
    private long windowElapsed;
    private long lastArrival = Long.MIN_VALUE;
    private double estimateKbps = -1;
    private double variance = INITIAL_VARIANCE;

    /** A packet of {@code bytes} arrived at {@code arrivedAt} (the peer's clock); {@code inAlr}: we held back. */
    void onPacket(long arrivedAt, int bytes, boolean inAlr) {
        long window = estimateKbps < 0 ? INITIAL_WINDOW_NANOS : WINDOW_NANOS;
        if (lastArrival != Long.MIN_VALUE && arrivedAt < lastArrival) {
            // a reordered arrival behind the window: count its bytes, the clock does not go back
            windowBytes += bytes;
            return;
        }
        if (lastArrival != Long.MIN_VALUE) {
            long step = arrivedAt - lastArrival;
            windowElapsed += step;
            if (step > window) {
                windowBytes = 0; // a gap longer than a window: what was in it says nothing about the rate
                windowElapsed %= window;
            }
        }
        lastArrival = arrivedAt;
        if (windowElapsed >= window) {
            boolean small = windowBytes < SMALL_SAMPLE_BYTES;
            double sampleKbps = windowBytes * 8.0 / (window / 1e6);
            windowElapsed -= window;
            windowBytes = 0;
            addSample(sampleKbps, small, inAlr);
        }
        windowBytes += bytes;
    }

    private void addSample(double sampleKbps, boolean small, boolean inAlr) {
        if (estimateKbps < 0) {
            estimateKbps = sampleKbps;
            return;
        }
        double scale = UNCERTAINTY_SCALE;
        if (small && sampleKbps < estimateKbps) {
            scale = SMALL_SAMPLE_UNCERTAINTY_SCALE;
        } else if (inAlr && sampleKbps < estimateKbps) {
            scale = UNCERTAINTY_SCALE_IN_ALR;
        }
        double uncertainty = scale * Math.abs(estimateKbps - sampleKbps) / Math.max(estimateKbps, ESTIMATE_FLOOR_KBPS);
        double sampleVariance = uncertainty * uncertainty;
        double predicted = variance + PROCESS_VARIANCE;
        estimateKbps = (sampleVariance * estimateKbps + predicted * sampleKbps) / (sampleVariance + predicted);
        estimateKbps = Math.max(estimateKbps, ESTIMATE_FLOOR_KBPS);
        variance = sampleVariance * predicted / (sampleVariance + predicted);
    }

    /** The application stopped holding back: let the estimate follow the next samples quickly. */
    void expectFastChange() {
        variance += FAST_CHANGE_VARIANCE;
    }

    /** Whether there is an estimate yet. */
    boolean known() {
        return estimateKbps >= 0;
    }

    /** The acknowledged throughput in bits per second; 0 before the first window closed. */
    long bitrate() {
        return estimateKbps < 0 ? 0 : (long) (estimateKbps * 1000);
    }
}
