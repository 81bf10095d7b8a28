package io.eddyrtc.engine.bwe;

/**
 * One probe: packets sent at {@code targetBps} for at least {@link #MIN_DURATION_NANOS} and
 * {@link #MIN_PACKETS} packets, so that the rate the peer receives them at says whether the path carries
 * that much (libwebrtc's defaults). The pacer sends it, media first and padding for the rest, and tags each
 * packet with {@code id}.
 *
 * @param id        tags the cluster's packets in the send history (0 to 32767, wrapping)
 * @param targetBps the rate to send at
 * @param check     a check whether a stagnant estimate may grow: only a result showing the path carried the
 *                  whole probe counts. A probe the path could not carry, on a link another flow fills, measures
 *                  the share it crowded out of that flow rather than room, and must not raise the estimate.
 */
public record ProbeCluster(int id, long targetBps, boolean check) {
    public static final long MIN_DURATION_NANOS = 15_000_000L;
    public static final int MIN_PACKETS = 5;

    /** The bytes the cluster sends at least: its rate for its minimum duration. */
    public long minBytes() {
        return targetBps * MIN_DURATION_NANOS / 8 / 1_000_000_000L;
    }
}
