package io.eddyrtc.engine.stream;

/**
 * Settings of a {@link ReceiveStream}. Defaults follow str0m and libwebrtc: NACK over the last 100 packets,
 * each asked for at most 5 times, at least 33 ms apart; keyframe requests at most every 500 ms.
 *
 * @param clockRate        RTP clock rate in Hz (90 000 video, 48 000 Opus)
 * @param nackEnabled      whether to generate generic NACKs (negotiated {@code a=rtcp-fb:* nack})
 * @param nackWindow       how many of the newest sequence numbers NACKs look back over (at most 1024)
 * @param nackMaxTries     NACKs per missing sequence number before giving up
 * @param nackIntervalNanos minimum time between two NACKs of the same number
 * @param keyframeIntervalNanos minimum time between two keyframe requests
 * @param nackReorderGraceNanos how long a missing number waits for its first NACK: a packet only reordered by
 *                         the network arrives within it and costs no NACK and no retransmission
 */
public record ReceiveStreamConfig(int clockRate, boolean nackEnabled, int nackWindow, int nackMaxTries,
                                  long nackIntervalNanos, long keyframeIntervalNanos, long nackReorderGraceNanos) {
    public static final int DEFAULT_NACK_WINDOW = 100;
    public static final int DEFAULT_NACK_TRIES = 5;
    public static final long DEFAULT_NACK_INTERVAL_NANOS = 33_000_000L;
    public static final long DEFAULT_KEYFRAME_INTERVAL_NANOS = 500_000_000L;
    /** 5 ms: reordering on real paths is mostly within a few milliseconds; loss repair waits that much longer. */
    public static final long DEFAULT_NACK_REORDER_GRACE_NANOS = 5_000_000L;

    public ReceiveStreamConfig {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive, was " + clockRate);
        }
        if (nackWindow < 1 || nackWindow > SequenceRegister.RING) {
            throw new IllegalArgumentException("NACK window must be 1 to " + SequenceRegister.RING + ", was " + nackWindow);
        }
        if (nackMaxTries < 1 || nackMaxTries > 100) {
            throw new IllegalArgumentException("NACK tries must be 1 to 100, was " + nackMaxTries);
        }
        if (nackIntervalNanos < 0 || keyframeIntervalNanos < 0 || nackReorderGraceNanos < 0) {
            throw new IllegalArgumentException("intervals cannot be negative");
        }
    }

    /** The defaults at {@code clockRate}, NACK on. */
    public static ReceiveStreamConfig defaults(int clockRate) {
        return new ReceiveStreamConfig(clockRate, true, DEFAULT_NACK_WINDOW, DEFAULT_NACK_TRIES,
                DEFAULT_NACK_INTERVAL_NANOS, DEFAULT_KEYFRAME_INTERVAL_NANOS, DEFAULT_NACK_REORDER_GRACE_NANOS);
    }

    public ReceiveStreamConfig withNack(boolean enabled) {
        return new ReceiveStreamConfig(clockRate, enabled, nackWindow, nackMaxTries, nackIntervalNanos, keyframeIntervalNanos,
                nackReorderGraceNanos);
    }

    public ReceiveStreamConfig withNack(int window, int maxTries, long intervalNanos) {
        return new ReceiveStreamConfig(clockRate, nackEnabled, window, maxTries, intervalNanos, keyframeIntervalNanos,
                nackReorderGraceNanos);
    }

    /** Waits {@code nanos} after a gap opens before the first NACK for it (0: at once, as libwebrtc by default). */
    public ReceiveStreamConfig withNackReorderGrace(long nanos) {
        return new ReceiveStreamConfig(clockRate, nackEnabled, nackWindow, nackMaxTries, nackIntervalNanos, keyframeIntervalNanos,
                nanos);
    }
}
