package io.eddyrtc.engine.bwe;

/**
 * How an SFU shares one subscriber's send-side estimate among the tracks it forwards it: each audio track keeps
 * {@link #AUDIO_ALLOWANCE_BPS} (audio is never dropped), the video tracks share the rest equally, each as the budget
 * of its {@link LayerForwarding}. And what to tell the subscriber's estimator it would like: what its video tracks
 * want (say, what each needs for its next layer up, {@link LayerForwarding#wantedBitrate}) with its audio, and what
 * it is sent now ({@link #current}): an estimator that knows the SFU sends less than the estimate does not let the
 * estimate grow past what its probes found, which nothing it sends would test. Sans-I/O.
 */
public final class SubscriberBudget {
    /** What one audio track keeps of the estimate: an Opus stream with its headers, with room. */
    public static final long AUDIO_ALLOWANCE_BPS = 50_000;

    /** How often the desired and current rates are told again: the layers' rates move, and with them what the next step needs. */
    private static final long DESIRED_INTERVAL_NANOS = 1_000_000_000L;

    private final long initialBps;
    private long estimateBps;
    private long nextDesiredAt = Long.MIN_VALUE;

    /** {@code initialBps}: the estimate the subscriber's {@code Rtc} starts from ({@code enableBwe}'s). */
    public SubscriberBudget(long initialBps) {
        this.initialBps = initialBps;
        this.estimateBps = initialBps;
    }

    /** The subscriber's estimate ({@code Event.EgressBitrateEstimate}). */
    public void setEstimate(long bps) {
        estimateBps = bps;
    }

    /** The budget of each of {@code videoTracks} video tracks when {@code audioTracks} audio tracks go along. */
    public long videoShare(int audioTracks, int videoTracks) {
        long forVideo = Math.max(0, estimateBps - audioTracks * AUDIO_ALLOWANCE_BPS);
        return videoTracks > 0 ? forVideo / videoTracks : forVideo;
    }

    /**
     * The desired bitrate to give the subscriber's {@code rtc.bwe()}: {@code videoWantedBps} (what its video tracks
     * want together) and its audio, at least the initial estimate.
     */
    public long desired(long videoWantedBps, int audioTracks) {
        return Math.max(initialBps, videoWantedBps + audioTracks * AUDIO_ALLOWANCE_BPS);
    }

    /**
     * The current bitrate to give the subscriber's {@code rtc.bwe()}: {@code videoForwardedBps} (the layers it is
     * forwarded now, {@link LayerForwarding#forwardedBitrate}) and its audio; 0 while nothing is forwarded.
     */
    public long current(long videoForwardedBps, int audioTracks) {
        return videoForwardedBps + audioTracks * AUDIO_ALLOWANCE_BPS;
    }

    /** Whether the desired and current rates are due to be told again at {@code now} (once a second); if so, counts it told. */
    public boolean desiredDue(long now) {
        if (nextDesiredAt != Long.MIN_VALUE && now < nextDesiredAt) {
            return false;
        }
        nextDesiredAt = now + DESIRED_INTERVAL_NANOS;
        return true;
    }
}
