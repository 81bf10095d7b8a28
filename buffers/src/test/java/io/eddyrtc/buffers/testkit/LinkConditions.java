package io.eddyrtc.buffers.testkit;

/**
 * What one direction of a virtual link does to datagrams. Immutable; build with the {@code with...}
 * methods from {@link #perfect()} or {@link #typical()}.
 *
 * @param latencyNanos      fixed one-way delay
 * @param jitterNanos       extra delay drawn uniformly from [0, jitter] per datagram (can reorder)
 * @param loss              independent loss probability per datagram
 * @param bursts            bursty loss on top of {@code loss}, or {@code null}
 * @param duplicate         probability that a datagram is delivered twice
 * @param reorder           probability that a datagram is held back by {@code reorderDelayNanos}
 * @param reorderDelayNanos how long a reordered datagram is held back
 * @param rateBitsPerSecond serialisation rate of the link; 0 for unlimited
 * @param queueBytes        bytes that may wait for the rate limiter before tail drop
 * @param mtu               largest datagram the link carries; larger ones are dropped
 * @param blocked           drop everything (an unreachable path)
 */
public record LinkConditions(
        long latencyNanos,
        long jitterNanos,
        double loss,
        GilbertElliott bursts,
        double duplicate,
        double reorder,
        long reorderDelayNanos,
        long rateBitsPerSecond,
        int queueBytes,
        int mtu,
        boolean blocked) {

    private static final long MS = 1_000_000L;

    public LinkConditions {
        if (latencyNanos < 0 || jitterNanos < 0 || reorderDelayNanos < 0 || rateBitsPerSecond < 0 || queueBytes < 0 || mtu < 0) {
            throw new IllegalArgumentException("link durations, rates and sizes must not be negative");
        }
        for (double p : new double[] {loss, duplicate, reorder}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities must be in [0, 1]: " + p);
            }
        }
    }

    /** No delay, no loss, no limits. */
    public static LinkConditions perfect() {
        return new LinkConditions(0, 0, 0, null, 0, 0, 0, 0, 64 * 1024, 65_535, false);
    }

    /** 20 ms latency, 2 ms jitter, MTU 1500: a plain internet path without loss. */
    public static LinkConditions typical() {
        return perfect().withLatencyMillis(20).withJitterMillis(2).withMtu(1500);
    }

    public LinkConditions withLatencyMillis(long millis) {
        return withLatencyNanos(millis * MS);
    }

    public LinkConditions withLatencyNanos(long nanos) {
        return new LinkConditions(nanos, jitterNanos, loss, bursts, duplicate, reorder, reorderDelayNanos, rateBitsPerSecond, queueBytes, mtu, blocked);
    }

    public LinkConditions withJitterMillis(long millis) {
        return new LinkConditions(latencyNanos, millis * MS, loss, bursts, duplicate, reorder, reorderDelayNanos, rateBitsPerSecond, queueBytes, mtu, blocked);
    }

    public LinkConditions withLoss(double probability) {
        return new LinkConditions(latencyNanos, jitterNanos, probability, bursts, duplicate, reorder, reorderDelayNanos, rateBitsPerSecond, queueBytes, mtu, blocked);
    }

    public LinkConditions withBursts(GilbertElliott model) {
        return new LinkConditions(latencyNanos, jitterNanos, loss, model, duplicate, reorder, reorderDelayNanos, rateBitsPerSecond, queueBytes, mtu, blocked);
    }

    public LinkConditions withDuplicate(double probability) {
        return new LinkConditions(latencyNanos, jitterNanos, loss, bursts, probability, reorder, reorderDelayNanos, rateBitsPerSecond, queueBytes, mtu, blocked);
    }

    public LinkConditions withReorder(double probability, long delayMillis) {
        return new LinkConditions(latencyNanos, jitterNanos, loss, bursts, duplicate, probability, delayMillis * MS, rateBitsPerSecond, queueBytes, mtu, blocked);
    }

    public LinkConditions withRate(long bitsPerSecond, int queueBytes) {
        return new LinkConditions(latencyNanos, jitterNanos, loss, bursts, duplicate, reorder, reorderDelayNanos, bitsPerSecond, queueBytes, mtu, blocked);
    }

    public LinkConditions withMtu(int bytes) {
        return new LinkConditions(latencyNanos, jitterNanos, loss, bursts, duplicate, reorder, reorderDelayNanos, rateBitsPerSecond, queueBytes, bytes, blocked);
    }

    public LinkConditions withBlocked(boolean isBlocked) {
        return new LinkConditions(latencyNanos, jitterNanos, loss, bursts, duplicate, reorder, reorderDelayNanos, rateBitsPerSecond, queueBytes, mtu, isBlocked);
    }
}
