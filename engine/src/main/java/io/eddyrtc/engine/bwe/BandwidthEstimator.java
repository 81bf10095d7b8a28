package io.eddyrtc.engine.bwe;

import io.eddyrtc.engine.rtcp.TwccReport;

/**
 * Send-side bandwidth estimation in the GoogCC family, sans-I/O: what we sent goes in as it leaves
 * ({@link #onPacketSent}), the peer's transport-wide feedback comes back ({@link #onTransportFeedback}), and
 * out comes an estimate of the rate the path carries ({@link #estimate()}), with the probes to send
 * ({@link #nextProbe}) for a pacer.
 *
 * <p>Inside: the {@link SendHistory} matches feedback to what we sent; the delay-based rate comes from packet
 * groups' delay variation ({@link ArrivalGroups}, {@link TrendlineEstimator}) through an AIMD controller
 * ({@link AimdRateControl}) that never grows past 1.5 × the acknowledged throughput
 * ({@link AcknowledgedBitrate}), nor, while the application says it sends clearly less, past what probes found
 * the path carries; the loss-based limit ({@link LossBasedControl}) caps it when loss is high;
 * probes ({@link ProbeController}, {@link ProbeResults}) raise it fast; the application-limited region
 * ({@link AlrDetector}) keeps a quiet application from reading as a slow path. The estimate is the smallest
 * of the delay-based rate, the loss limit and the peer's REMB, within the configured bounds.
 *
 * <p>Time is an argument in nanoseconds; nothing here reads a clock. Per packet and per feedback it allocates
 * nothing (a probe cluster is one small record, a few per minute at most).
 */
public final class BandwidthEstimator {
    /** Feedback silent this long, while we send, means the path is worse than we think. */
    private static final long FEEDBACK_TIMEOUT_NANOS = 1_000_000_000L;
    private static final double FEEDBACK_TIMEOUT_BACKOFF = 0.8;
    /** Before any throughput is known, an overuse halves the rate at most this often. */
    private static final long INITIAL_BACKOFF_INTERVAL_NANOS = 200_000_000L;
    private static final long DEFAULT_RTT_NANOS = 100_000_000L;
    private static final long MIN_GRACE_NANOS = 100_000_000L;

    private final BweConfig config;
    private final SendHistory history = new SendHistory();
    private final ArrivalGroups groups = new ArrivalGroups();
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private final AcknowledgedBitrate acknowledged = new AcknowledgedBitrate();
    private final RecentArrivals recentArrivals = new RecentArrivals();
    private final BottleneckRate bottleneck = new BottleneckRate();
    private final AimdRateControl rateControl;
    private final LossBasedControl loss = new LossBasedControl();
    private final ProbeResults probeResults = new ProbeResults();
    private final ProbeController probes;
    private final AlrDetector alr;
    private final FeedbackListener listener = new FeedbackListener();

    private boolean started;
    private long estimate;
    private long rembBps;
    private long desiredBps;
    private long currentBps;
    private long rttNanos = DEFAULT_RTT_NANOS;
    private boolean rttKnown;
    /** The first packet sent since the last feedback, or {@code Long.MIN_VALUE}. */
    private long unansweredSince = Long.MIN_VALUE;
    private long lastTimeoutBackoffAt = Long.MIN_VALUE;
    private long lastInitialBackoffAt = Long.MIN_VALUE;
    private long latestThroughput;
    private long feedbacks;
    /** The 8-bit count of the last feedback, or -1. */
    private int lastFeedbackCount = -1;
    private long probesSent;
    private long lastProbeResult = -1;
    /** Until then an overuse is the last probe's own burst (a round trip and a feedback interval after it raised the rate). */
    private long overuseGraceUntil = Long.MIN_VALUE;

    public BandwidthEstimator(BweConfig config) {
        this.config = config;
        this.estimate = config.initialBps();
        this.latestThroughput = config.initialBps();
        this.rateControl = new AimdRateControl(config.initialBps(), config.minBps(), config.maxBps());
        this.probes = new ProbeController(config.maxBps(), config.probing());
        this.alr = new AlrDetector(config.initialBps());
    }

    public BweConfig config() {
        return config;
    }

    /** Media may flow from {@code now} on: the initial probes are due. Later calls do nothing. */
    public void start(long now) {
        if (!started) {
            started = true;
            probes.onStart(now, estimate);
        }
    }

    // ---------------------------------------------------------------- what we send

    /**
     * A packet left at {@code now} carrying transport-wide number {@code transportSequence}, {@code bytes} on
     * the wire; {@code padding} for probe padding (which says nothing about what the application sends);
     * {@code probeCluster} the cluster it was sent for, or -1.
     */
    public void onPacketSent(long now, int transportSequence, int bytes, boolean padding, int probeCluster) {
        history.onSent(now, transportSequence, bytes, probeCluster);
        if (unansweredSince == Long.MIN_VALUE) {
            unansweredSince = now;
        }
        if (!padding && alr.onSent(now, bytes) && !alr.inAlr()) {
            acknowledged.expectFastChange();
            probes.onAlrEnded(now, estimate);
        }
    }

    // ---------------------------------------------------------------- what the peer says

    /** Transport-wide feedback from the peer arrived at {@code now}. */
    public void onTransportFeedback(long now, TwccReport report) {
        if (lastFeedbackCount >= 0 && report.feedbackCount() != ((lastFeedbackCount + 1) & 0xFF)) {
            recentArrivals.clear(); // a feedback was lost (or came out of order) between this one and the last
        }
        lastFeedbackCount = report.feedbackCount();
        groups.setLinkRate(bottleneck.rate());
        listener.begin(now);
        history.onFeedback(report, listener);
        if (listener.matched == 0) {
            return; // nothing of ours in it (or all of it seen before)
        }
        feedbacks++;
        unansweredSince = Long.MIN_VALUE;
        if (listener.minRtt != Long.MAX_VALUE) {
            rttNanos = rttKnown ? (7 * rttNanos + listener.minRtt) / 8 : listener.minRtt;
            rttKnown = true;
            rateControl.setRtt(rttNanos);
        }
        rateControl.setBottleneckRate(bottleneck.rate());
        long probeResult = probeResults.takeResult();
        if (probeResult > 0) {
            lastProbeResult = probeResult;
        }
        long saturated = probeResults.takeSaturated();
        if (saturated > 0) {
            // never under what the peer acknowledged: a probe the pacer could not send at its rate reads as a
            // slow path, but the path has shown it carries that much
            rateControl.onSaturatedProbe(now, Math.max(saturated, acknowledged.bitrate()));
        } else if (probeResult > 0) {
            rateControl.onUnsaturatedProbe(now, probeResult);
        }
        updateDelayBased(now, probeResult);
        loss.update(now, estimate, rateControl.bitrate(), rttNanos, alr.inAlr());
        if (probeResult > 0) {
            loss.onProbe(probeResult);
        }
        recompute();
        probes.onEstimate(now, estimate, probeResult);
    }

    private void updateDelayBased(long now, long probeResult) {
        boolean throughputKnown = acknowledged.known();
        long throughput = throughputKnown ? acknowledged.bitrate() : latestThroughput;
        latestThroughput = throughput;
        rateControl.setAcknowledgedRate(throughputKnown ? throughput : 0);
        boolean overusing = trendline.usage() == BandwidthUsage.OVERUSING;
        if (overusing && now < overuseGraceUntil && probeResult <= 0) {
            // the delay a probe's own burst left in the queue, seen before the packets after it could show
            // whether the new rate fits: not a reason to give back what the probe found
            return;
        }
        if (overusing) {
            probes.onOveruse(now, estimate);
            // back off from what arrived last (see RecentArrivals); too few packets for that: the smoothed
            // acknowledged throughput
            long backoffFrom = recentArrivals.rate();
            if (backoffFrom <= 0 && throughputKnown) {
                backoffFrom = throughput;
            }
            if (alr.inAlr()) {
                // the application sent less than the estimate: what arrived is what it sent, not what the path
                // carries, so the cut is from the rate itself (each further overuse cuts again)
                backoffFrom = rateControl.bitrate();
            }
            // not from a probe's result: once the grace above is over, the queue a probe left is everyone's on
            // a shared link, and a prober cut by less than the flows its burst crowded out keeps what it took
            if (backoffFrom > 0) {
                if (rateControl.timeToReduceFurther(now, backoffFrom)) {
                    rateControl.update(now, BandwidthUsage.OVERUSING, backoffFrom);
                }
            } else if (lastInitialBackoffAt == Long.MIN_VALUE || now - lastInitialBackoffAt >= INITIAL_BACKOFF_INTERVAL_NANOS) {
                lastInitialBackoffAt = now; // overuse before any throughput is known: halve, as libwebrtc does
                rateControl.halve(now);
            }
        } else if (rateControl.withinLink(probeResult) > rateControl.bitrate()) {
            rateControl.setEstimate(rateControl.withinLink(probeResult), now);
            rateControl.capacity().onProbe(probeResult);
            overuseGraceUntil = now + Math.max(rttNanos, MIN_GRACE_NANOS) + TwccRecorder.INTERVAL_NANOS;
        } else if (alr.inAlr() && trendline.usage() == BandwidthUsage.NORMAL) {
            // the application sends less than it may: what arrives shows no room above the rate, and a burst
            // (a keyframe) would lift the acknowledged throughput the growth is bounded by; probes find room
            // instead (libwebrtc does not raise its delay-based rate in the region either)
        } else {
            rateControl.update(now, trendline.usage(), throughput);
        }
    }

    /**
     * The peer's REMB: from here on the estimate stays under {@code bps}. Until transport-wide feedback
     * arrives (a peer without it), the REMB is the estimate.
     */
    public void onRemb(long now, long bps) {
        requirePositive(bps);
        rembBps = bps;
        if (feedbacks == 0) {
            rateControl.setEstimate(bps, now);
        }
        recompute();
    }

    /** The estimate: the smallest of the delay-based rate, the loss limit (unset: no limit) and the REMB. */
    private void recompute() {
        long bps = Math.min(rateControl.bitrate(), loss.limit());
        if (rembBps > 0) {
            bps = Math.min(bps, rembBps);
        }
        estimate = Math.clamp(bps, config.minBps(), config.maxBps());
        alr.setEstimate(estimate);
    }

    // ---------------------------------------------------------------- what the application says

    /** The rate the application would like to send at: probes go up to about twice it, and no further. */
    public void setDesiredBitrate(long bps) {
        requirePositive(bps);
        desiredBps = bps;
        probes.setDesired(bps);
    }

    /**
     * The rate the application sends at now (its encoders' targets together). When it rises past what it was
     * while the application held back, and it wants more than the estimate, a probe is due; while it is clearly
     * under the estimate, the rate controller keeps to the probed ceiling ({@code AimdRateControl}).
     */
    public void setCurrentBitrate(long now, long bps) {
        requirePositive(bps);
        long before = currentBps;
        currentBps = bps;
        rateControl.setApplicationRate(bps);
        if (before > 0 && before < estimate * 0.65 && bps >= estimate * 0.65) {
            acknowledged.expectFastChange();
            probes.onAlrEnded(now, estimate);
        }
    }

    /** Probe the path at {@code targetBps} (capped by the maximum and twice the desired rate). */
    public void requestProbe(long now, long targetBps) {
        requirePositive(targetBps);
        probes.request(now, targetBps);
    }

    private static void requirePositive(long bps) {
        if (bps <= 0) {
            throw new IllegalArgumentException("a bitrate is positive, in bits per second; got " + bps);
        }
    }

    // ---------------------------------------------------------------- time

    /** When {@link #handleTimeout} next has work: a feedback timeout or a stagnant-estimate check. */
    public long nextDeadline() {
        return Math.min(probes.nextCheckAt(), feedbackTimeoutAt());
    }

    /**
     * A second after the first packet sent since the last feedback (and a second after each back-off), once the
     * peer has shown it gives feedback at all: a peer without transport-wide feedback never times out.
     */
    private long feedbackTimeoutAt() {
        if (feedbacks == 0 || unansweredSince == Long.MIN_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(unansweredSince, lastTimeoutBackoffAt) + FEEDBACK_TIMEOUT_NANOS;
    }

    public void handleTimeout(long now) {
        if (now >= feedbackTimeoutAt()) {
            // we send and hear nothing back: the path may have collapsed, so back off until feedback returns
            lastTimeoutBackoffAt = now;
            rateControl.setEstimate((long) (rateControl.bitrate() * FEEDBACK_TIMEOUT_BACKOFF), now);
            recompute();
        }
        // loss holds the estimate down and still happens; a limit left from loss that has stopped (and cannot
        // grow back while the application holds back) is what a check probe may lift
        boolean lossBinds = loss.limit() != LossBasedControl.UNSET && loss.limit() <= rateControl.bitrate()
                && loss.lastLoss() >= LossBasedControl.LOW_LOSS;
        probes.onTimeout(now, estimate, trendline.usage() == BandwidthUsage.OVERUSING, lossBinds,
                rateControl.linkShared() && !alr.inAlr(), alr.inAlr());
    }

    // ---------------------------------------------------------------- what comes out

    /** The estimate: the rate in bits per second the path carries for us, as far as we know. */
    public long estimate() {
        return estimate;
    }

    /** The next probe cluster to send, or null; the caller's pacer sends it. */
    public ProbeCluster nextProbe() {
        ProbeCluster cluster = probes.next();
        if (cluster != null) {
            probeResults.start(cluster);
            probesSent++;
        }
        return cluster;
    }

    /** Whether a probe waits for {@link #nextProbe}. */
    public boolean hasProbe() {
        return probes.hasPending();
    }

    /** The delay-based detector's last verdict. */
    public BandwidthUsage usage() {
        return trendline.usage();
    }

    /**
     * Whether packet pairs show a path faster than the feedback can time (pairs arrive within 250 µs of each other:
     * a LAN, loopback, a fast uplink), on which the pacer may let a whole keyframe out at once.
     */
    public boolean fastPath() {
        return bottleneck.untimed();
    }

    /** The throughput the peer acknowledged, in bits per second (0 before the first window). */
    public long acknowledgedBitrate() {
        return acknowledged.bitrate();
    }

    /** The loss fraction of the last full window. */
    public double lossFraction() {
        return loss.lastLoss();
    }

    /** The round-trip time seen from feedback (up to the peer's feedback interval more than the path's). */
    public long rttNanos() {
        return rttNanos;
    }

    /** Whether the application sends clearly less than the estimate allows. */
    public boolean applicationLimited() {
        return alr.inAlr();
    }

    /** Probe clusters handed out so far. */
    public long probesSent() {
        return probesSent;
    }

    /** The last probe's measurement, or -1. */
    public long lastProbeResult() {
        return lastProbeResult;
    }

    /** Feedback reports that matched packets we sent. */
    public long feedbackReports() {
        return feedbacks;
    }

    /** One feedback's packets, streamed from the history into the estimators. */
    private final class FeedbackListener implements SendHistory.Listener {
        long now;
        long minRtt;
        int matched;

        void begin(long at) {
            now = at;
            minRtt = Long.MAX_VALUE;
            matched = 0;
        }

        @Override
        public void received(long sequence, long sentAt, long arrivedAt, int bytes, int probeCluster, boolean reportedLostBefore) {
            matched++;
            recentArrivals.onPacket(arrivedAt, bytes);
            bottleneck.onReceived(sequence, sentAt, arrivedAt, bytes);
            acknowledged.onPacket(arrivedAt, bytes, alr.inAlr());
            loss.onPacket(now, true, reportedLostBefore);
            if (!reportedLostBefore && groups.add(sentAt, arrivedAt, bytes)) {
                trendline.update(groups.arrivalDelta(), groups.sendDelta(), groups.arrival());
            }
            if (probeCluster >= 0) {
                probeResults.onPacket(probeCluster, sentAt, arrivedAt, bytes);
            } else {
                probeResults.onOtherPacket(arrivedAt, bytes);
            }
            minRtt = Math.min(minRtt, now - sentAt);
        }

        @Override
        public void lost(long sequence, long sentAt, int bytes) {
            matched++;
            bottleneck.onLost();
            loss.onPacket(now, false, false);
        }
    }
}
