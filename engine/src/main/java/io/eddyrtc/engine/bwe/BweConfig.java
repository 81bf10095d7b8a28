package io.eddyrtc.engine.bwe;

/**
 * How send-side bandwidth estimation starts and where it stays.
 *
 * @param initialBps the estimate before any feedback (str0m and libwebrtc start at 300 kbit/s)
 * @param minBps     the estimate never falls below this
 * @param maxBps     nor rises above this, and no probe goes higher
 * @param probing    whether probes are sent (at the start, when the application stops holding back, on
 *                   request, and when the estimate stagnates below what the application wants); without
 *                   them the estimate grows by the rate controller alone (50 % a second until the first
 *                   overuse, then 8 % a second or, after a congestion event, its cubic)
 */
public record BweConfig(long initialBps, long minBps, long maxBps, boolean probing) {
    public BweConfig {
        if (minBps <= 0 || initialBps < minBps || maxBps < initialBps) {
            throw new IllegalArgumentException("bitrates must satisfy 0 < min <= initial <= max, got min " + minBps
                    + ", initial " + initialBps + ", max " + maxBps);
        }
    }

    /** Starts at {@code initialBps}, between 30 kbit/s and 100 Mbit/s, with probing. */
    public static BweConfig startingAt(long initialBps) {
        return new BweConfig(initialBps, 30_000, Math.max(initialBps, 100_000_000), true);
    }

    public BweConfig withProbing(boolean on) {
        return new BweConfig(initialBps, minBps, maxBps, on);
    }

    public BweConfig withBounds(long min, long max) {
        return new BweConfig(initialBps, min, max, probing);
    }
}
