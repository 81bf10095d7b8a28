package io.eddyrtc.engine.bwe;

/**
 * Where the link's capacity seems to lie: the throughput seen each time the delay signal said "too much" (and
 * probe results), averaged, with its spread (libwebrtc's {@code LinkCapacityEstimator}). Near it the rate
 * controller grows additively; a throughput well outside it means the path changed, and it is forgotten.
 */
final class LinkCapacity {
    private static final double MIN_DEVIATION = 0.4;
    private static final double MAX_DEVIATION = 2.5;

    private boolean known;
    private double estimateKbps;
    /** A normalised variance, in kbit/s. */
    private double deviationKbps = MIN_DEVIATION;

    boolean known() {
        return known;
    }

    /** The throughput when overuse was detected: a sample of the capacity. */
    void onOveruse(long throughputBps) {
        update(throughputBps, 0.05);
    }

    /** A probe measured {@code bps}: a strong sample. */
    void onProbe(long bps) {
        update(bps, 0.5);
    }

    private void update(long sampleBps, double alpha) {
        double sample = sampleBps / 1000.0;
        estimateKbps = known ? (1 - alpha) * estimateKbps + alpha * sample : sample;
        known = true;
        double error = estimateKbps - sample;
        deviationKbps = (1 - alpha) * deviationKbps + alpha * error * error / Math.max(estimateKbps, 1.0);
        deviationKbps = Math.clamp(deviationKbps, MIN_DEVIATION, MAX_DEVIATION);
    }

    void reset() {
        known = false;
    }

    long estimateBps() {
        return (long) (estimateKbps * 1000);
    }

    /** Three standard deviations above the estimate. */
    long upperBps() {
        return known ? (long) ((estimateKbps + 3 * deviation()) * 1000) : Long.MAX_VALUE;
    }

    /** Three standard deviations below the estimate (at least 0). */
    long lowerBps() {
        return known ? (long) (Math.max(0, estimateKbps - 3 * deviation()) * 1000) : 0;
    }

    private double deviation() {
        return Math.sqrt(deviationKbps * estimateKbps);
    }
}
