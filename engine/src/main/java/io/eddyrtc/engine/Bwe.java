package io.eddyrtc.engine;

import io.eddyrtc.engine.bwe.BandwidthEstimator;
import io.eddyrtc.engine.internal.media.SendCongestion;

/**
 * Steers an {@link Rtc}'s send-side bandwidth estimation (str0m's {@code rtc.bwe()}), on when the Rtc was built
 * with {@link RtcConfig.Builder#enableBwe}. The estimate itself comes as {@link Event.EgressBitrateEstimate}.
 * Times are the Rtc's last {@code now}.
 */
public final class Bwe {
    private final Rtc rtc;
    private final SendCongestion congestion;

    Bwe(Rtc rtc, SendCongestion congestion) {
        this.rtc = rtc;
        this.congestion = congestion;
    }

    private BandwidthEstimator estimator() {
        rtc.checkOpenForMedia("steer bandwidth estimation");
        return congestion.estimator();
    }

    /**
     * What the application sends now, in bits per second: its video encoders' targets together (or the
     * layers an SFU forwards). When it rises from well under the estimate, the estimator probes for more; while
     * it is under 90 % of the estimate, the estimate stays within what probes found the path carries (what the
     * application sends could not show more, and would let the estimate grow past the path). Tell it again
     * when it changes.
     */
    public void setCurrentBitrate(long bitsPerSecond) {
        estimator().setCurrentBitrate(rtc.now(), bitsPerSecond);
    }

    /**
     * What the application would like to send, in bits per second (e.g. the sum of every simulcast layer's
     * highest rate): probes go up to about twice it, and padding never chases more.
     */
    public void setDesiredBitrate(long bitsPerSecond) {
        estimator().setDesiredBitrate(bitsPerSecond);
    }

    /** Probes the path at {@code targetBitsPerSecond} soon (capped by the maximum and twice the desired rate). */
    public void requestProbe(long targetBitsPerSecond) {
        estimator().requestProbe(rtc.now(), targetBitsPerSecond);
    }

    /** The current estimate in bits per second (the last {@link Event.EgressBitrateEstimate} may lag it a little). */
    public long estimate() {
        return estimator().estimate();
    }

    /** The throughput the peer acknowledged, in bits per second (0 before the first window): what the path has shown it carries. */
    public long acknowledgedBitrate() {
        return estimator().acknowledgedBitrate();
    }

    /** Whether the application sends clearly less than the estimate allows (then the estimate grows by probes only). */
    public boolean applicationLimited() {
        return estimator().applicationLimited();
    }

    /** What the last probe measured, in bits per second, or -1 before any result. */
    public long lastProbeResult() {
        return estimator().lastProbeResult();
    }
}
