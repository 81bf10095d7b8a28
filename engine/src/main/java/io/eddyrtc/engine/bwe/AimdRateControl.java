package io.eddyrtc.engine.bwe;

/**
 * The delay-based rate of GoogCC (libwebrtc's {@code AimdRateControl}), multiplicative decrease and a cubic
 * increase: driven by the {@link BandwidthUsage} signal and the throughput the peer acknowledged. Overuse cuts
 * the rate to {@link #BETA} of that throughput and holds it while the queue drains. A normal signal grows it by
 * 8 % a second while the link's capacity is unknown (50 % before the first overuse), by about a packet per
 * response time near it, and after a congestion event at least as fast as the cubic of CUBIC (RFC 9438) set
 * from that event: back to just under where the queue grew within seconds, flat there, then faster and
 * faster past it, so a link that got bigger is found again without a probe. The cubic's scale and its
 * fastest step follow the link's rate as packet pairs show it ({@link BottleneckRate}), and so does an
 * additive increase of 2 % of that rate per response time under the cubic: the same for every flow on the
 * link, so two flows sharing it grow by the same amount and their shares converge. A flow that holds more
 * than half of a link others share backs off deeper than its own rate says ({@link #backoffFrom}).
 * Growth never takes the rate past 1.5 × the acknowledged throughput: a rate nobody has shown the path
 * carries is not trusted; nor past the link's rate from packet pairs ({@link #LINK_CEILING}): no flow gets
 * more than the bottleneck serves, and a rate past it only fills the queue until the delay signal answers (a
 * lone flow on a 2.5 Mbit/s link with a 60 kB queue reached 106 % of it before the delay stopped it). Nor,
 * while the application says it sends clearly less than the rate ({@link #setApplicationRate}), past the
 * probed ceiling ({@link #onSaturatedProbe}): a sender that does not fill the rate (an SFU forwarding a layer
 * under the link) sends nothing that could show the path carries more, so the delay signal never stops growth
 * there and the rate would sit at 1.5 × its throughput, over the link (libwebrtc bounds its increase by its
 * network state estimate's upper link capacity the same way).
 */
final class AimdRateControl {
    static final double BETA = 0.85;
    private static final double MULTIPLICATIVE_INCREASE = 1.08;
    /**
     * Until the first overuse the rate grows by half a second instead: without probes, 8 % a second takes
     * 45 s from 300 kbit/s to 10 Mbit/s (libwebrtc counts on its probes there). The first overuse ends it,
     * as slow start ends at TCP's first loss.
     */
    private static final double STARTUP_INCREASE = 1.5;
    private static final long MIN_INCREASE_BPS = 1_000;
    private static final long MIN_ADDITIVE_BPS_PER_SECOND = 4_000;
    /** The overuse detector's own delay, added to the round trip for the time a change takes to show. */
    private static final long DETECTOR_DELAY_NANOS = 100_000_000L;
    private static final long DEFAULT_RTT_NANOS = 200_000_000L;
    private static final long MIN_REDUCE_INTERVAL_NANOS = 10_000_000L;
    private static final long MAX_REDUCE_INTERVAL_NANOS = 200_000_000L;

    /**
     * The cubic after a congestion event, in bits per second per second cubed: the rate at {@code t} seconds
     * after it is {@code PLATEAU × congestion + scale × (t − K)³}, {@code K} the time it takes to climb back to
     * the plateau from where the decrease left it. Below the plateau it is concave (fast at first, flat near
     * where the queue last grew); past it convex (the longer the path carries more without a queue, the faster
     * the rate looks for the room that appeared). The scale is this, or {@link #SCALE_PER_LINK_BPS} of the
     * link's rate if more: the same for every flow on the link, as CUBIC's is, so a flow that lost more (a
     * larger one) takes longer to climb back than a smaller one, which is what moves two flows towards equal
     * shares. After a 15 % cut the plateau is reached in about 1.4 s on links of 1.25 Mbit/s and more (the
     * scale follows the link), 0.8 s at 300 kbit/s.
     */
    private static final double CUBIC_SCALE = 50_000;
    /**
     * The cubic's scale per bit per second of the link: at 10 Mbit/s a scale of 50 000 gives back a 15 % cut
     * in 3 s, longer than congestion events on a shared link are apart, and the larger flow keeps what it has.
     */
    private static final double SCALE_PER_LINK_BPS = 0.04;
    /**
     * The cubic levels off this far under the congestion point: that rate was the link's whole rate (the queue
     * grew at it), and held there every larger frame would add to a queue that never drains.
     */
    private static final double PLATEAU = 0.95;
    /**
     * The cubic grows at most this share of the link's rate per response time (round trip and detector): what
     * it overshoots before the delay signal can answer stays within it, whatever the round trip. The link's
     * rate is what packet pairs show ({@link BottleneckRate}), or the flow's own rate if more: a share of its
     * own rate alone would let each flow on a shared link grow in proportion to what it has, which keeps the
     * ratio between two flows instead of closing it (AIMD converges because both add the same).
     */
    private static final double CUBIC_MAX_STEP = 0.03;
    /**
     * After a congestion event, on a link whose rate packet pairs show, the rate grows by at least this share
     * of the link's rate per response time: AIMD's additive increase, the same for every flow on the link, so
     * that each congestion event (a cut in proportion to each flow's rate) leaves two flows closer than the
     * one before. The cubic alone returns each flow to just under its own last congestion point first, which
     * keeps the ratio between them.
     */
    private static final double LINK_SHARE_STEP = 0.02;
    /**
     * An application that sends this share of the rate fills it: the delay signal answers the rate's growth,
     * past a probed ceiling too. Under it, growth stops at the ceiling.
     */
    private static final double ESTIMATE_FILLED = 0.9;
    /** A probed ceiling stands this long unless a higher measurement replaces it sooner. */
    private static final long CEILING_NANOS = 10_000_000_000L;
    /** Decreases this close together answer one congestion event (the queue draining takes a few round trips). */
    private static final long CONGESTION_EVENT_NANOS = 1_000_000_000L;
    /**
     * A queue that grew while we had less than this share of the link's rate (packet pairs) was filled by
     * others too: the link is shared. Both what arrived last and the smoothed acknowledged throughput must be
     * under it, so that a lone flow whose last 150 ms read low (a loss burst, a keyframe's gap) does not count.
     */
    private static final double SHARED_LINK = 0.8;
    /**
     * Growth stops at this share of the link's rate from packet pairs: no flow gets more than the link serves,
     * and a rate past it only fills the queue until the delay signal answers. Pairs read through the feedback's
     * 250 µs steps come out within a percent or so of the link (100.7 % at most in twelve runs at 2.5 Mbit/s),
     * so the growth stops a little under them.
     */
    private static final double LINK_CEILING = 0.97;
    /** A probe's result this far past the link's rate from packet pairs shows a link that grew since. */
    private static final double LINK_GREW = 1.1;

    private enum State { HOLD, INCREASE, DECREASE }

    private final long minBps;
    private final long maxBps;
    private final LinkCapacity capacity = new LinkCapacity();
    private State state = State.INCREASE;
    private long bitrate;
    private long lastChange = Long.MIN_VALUE;
    private long rttNanos = DEFAULT_RTT_NANOS;
    /** The bottleneck's rate from packet pairs ({@link BottleneckRate}), or -1. */
    private long bottleneckBps = -1;
    private boolean overusedOnce;
    /** The rate at the last congestion event (CUBIC's W_max), or -1 before any. */
    private long congestionBps = -1;
    private long lastDecreaseAt = Long.MIN_VALUE;
    /** Seconds from {@link #lastDecreaseAt} until the cubic is back at {@link #congestionBps}. */
    private double cubicK;
    /** The probed ceiling ({@link #onSaturatedProbe}), or -1 before any probe saturated the path. */
    private long probedCeilingBps = -1;
    private long probedCeilingAt;
    private long applicationBps;
    /** The smoothed throughput the peer acknowledged ({@link AcknowledgedBitrate}), or 0 while unknown. */
    private long acknowledgedBps;
    /** Whether the queue last grew while we had clearly less than the link's rate ({@link #SHARED_LINK}). */
    private boolean linkShared;

    AimdRateControl(long startBps, long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.bitrate = Math.clamp(startBps, minBps, maxBps);
    }

    long bitrate() {
        return bitrate;
    }

    void setRtt(long nanos) {
        rttNanos = nanos;
    }

    /** The bottleneck's rate from packet pairs ({@link BottleneckRate}), or -1 while unknown. */
    void setBottleneckRate(long bps) {
        bottleneckBps = bps;
    }

    /**
     * A probe the path could not carry whole measured {@code bps} at {@code now}: the ceiling is the highest such
     * measurement of the last {@link #CEILING_NANOS} (a short probe's measurement falls under the link's rate
     * when other packets of ours share the link with it, never far over). While the application sends clearly
     * less than the rate, the rate does not grow past the ceiling, and a rate over it comes down to it: no
     * congestion will ever cut a rate the application does not fill.
     */
    void onSaturatedProbe(long now, long bps) {
        if (bps >= probedCeilingBps || now - probedCeilingAt > CEILING_NANOS) {
            probedCeilingBps = bps;
            probedCeilingAt = now;
        }
        if (applicationLimited() && bitrate > probedCeilingBps) {
            setEstimate(probedCeilingBps, now);
        }
    }

    /** Whether the application said it sends clearly less than the rate ({@link #ESTIMATE_FILLED}). */
    private boolean applicationLimited() {
        return applicationBps > 0 && applicationBps < ESTIMATE_FILLED * bitrate;
    }

    /**
     * A probe the path carried whole measured {@code bps} at {@code now}: the path carries at least that much,
     * so a ceiling under it rises to it (and no further: what lies past it is as unshown as before).
     */
    void onUnsaturatedProbe(long now, long bps) {
        if (probedCeilingBps > 0 && bps >= probedCeilingBps) {
            probedCeilingBps = bps;
            probedCeilingAt = now;
        }
    }

    /** The throughput the peer acknowledged, smoothed ({@link AcknowledgedBitrate}); 0 while unknown. */
    void setAcknowledgedRate(long bps) {
        acknowledgedBps = bps;
    }

    /** What the application says it sends ({@code setCurrentBitrate}), or 0 when it has not said. */
    void setApplicationRate(long bps) {
        applicationBps = bps;
    }

    LinkCapacity capacity() {
        return capacity;
    }

    /**
     * A probe's result as a rate: a result near the link's rate from packet pairs is the link itself read
     * through the feedback's steps (a probe cannot pass faster than the link serves it), so growth's ceiling
     * ({@link #LINK_CEILING}) holds it too; one well past the pairs ({@link #LINK_GREW}) shows a link that grew
     * since they were read, and stands.
     */
    long withinLink(long probeBps) {
        if (bottleneckBps <= 0 || probeBps >= LINK_GREW * bottleneckBps) {
            return probeBps;
        }
        return Math.min(probeBps, Math.max(bitrate, (long) (LINK_CEILING * bottleneckBps)));
    }

    /** Sets the rate outright (a probe's result, or halving before any throughput is known). */
    void setEstimate(long bps, long now) {
        bitrate = Math.clamp(bps, minBps, maxBps);
        lastChange = now;
    }

    /** Overuse before any throughput is known: half the rate, and the start's fast growth is over. */
    void halve(long now) {
        overusedOnce = true;
        setEstimate(bitrate / 2, now);
    }

    /** Whether an overuse may cut the rate again: a round trip since the last change, or the throughput far below it. */
    boolean timeToReduceFurther(long now, long throughputBps) {
        long interval = Math.clamp(rttNanos, MIN_REDUCE_INTERVAL_NANOS, MAX_REDUCE_INTERVAL_NANOS);
        if (lastChange == Long.MIN_VALUE || now - lastChange >= interval) {
            return true;
        }
        return throughputBps < bitrate / 2;
    }

    /**
     * One update on feedback: the detector says {@code usage}, and the peer acknowledged {@code throughputBps}.
     * Returns the new rate.
     */
    long update(long now, BandwidthUsage usage, long throughputBps) {
        switch (usage) {
            case NORMAL -> {
                if (state == State.HOLD) {
                    lastChange = now;
                    state = State.INCREASE;
                }
            }
            case OVERUSING -> state = State.DECREASE;
            case UNDERUSING -> state = State.HOLD;
        }
        switch (state) {
            case HOLD -> { }
            case INCREASE -> increase(now, throughputBps);
            case DECREASE -> decrease(now, throughputBps);
        }
        return bitrate;
    }

    private void increase(long now, long throughputBps) {
        if (throughputBps > capacity.upperBps()) {
            capacity.reset(); // the path carries more than we thought: find its capacity again, fast
        }
        long limit = throughputBps * 3 / 2 + 10_000;
        if (bottleneckBps > 0) {
            limit = Math.min(limit, Math.max(bitrate, (long) (LINK_CEILING * bottleneckBps)));
        }
        if (probedCeilingBps > 0 && applicationLimited()) {
            limit = Math.min(limit, probedCeilingBps);
        }
        if (bitrate < limit) {
            long elapsed = lastChange == Long.MIN_VALUE ? 0 : now - lastChange;
            long increase = capacity.known() ? additiveIncrease(elapsed) : multiplicativeIncrease(elapsed);
            long next = Math.max(bitrate + Math.max(increase, linkShareIncrease(elapsed)), cubic(now, elapsed));
            bitrate = Math.clamp(Math.min(next, limit), minBps, maxBps);
        }
        lastChange = now;
    }

    /**
     * The cubic's rate at {@code now} (0 before the first congestion event), growing by at most
     * {@link #CUBIC_MAX_STEP} per response time: however long the path has been quiet, the rate never runs
     * further ahead of the link than the delay signal can stop.
     */
    private long cubic(long now, long elapsedNanos) {
        if (congestionBps < 0) {
            return 0;
        }
        double t = (now - lastDecreaseAt) / 1e9 - cubicK;
        double target = PLATEAU * congestionBps + scale() * t * t * t;
        double fastest = bitrate + linkBps() * CUBIC_MAX_STEP * responses(elapsedNanos);
        return (long) Math.min(target, fastest);
    }

    /** Response times (round trip and detector) in {@code elapsedNanos}, counting at most a second. */
    private double responses(long elapsedNanos) {
        return Math.min(elapsedNanos, 1_000_000_000L) / (double) (rttNanos + DETECTOR_DELAY_NANOS);
    }

    /** The link's rate as far as we know it: the bottleneck's packet pairs, or our own rate if that is more. */
    private double linkBps() {
        return Math.max(bitrate, bottleneckBps);
    }

    /** The cubic's scale: the same for every flow that sees the same bottleneck. */
    private double scale() {
        return Math.max(CUBIC_SCALE, SCALE_PER_LINK_BPS * bottleneckBps);
    }

    private long multiplicativeIncrease(long elapsedNanos) {
        double alpha = Math.pow(overusedOnce ? MULTIPLICATIVE_INCREASE : STARTUP_INCREASE, Math.min(elapsedNanos / 1e9, 1.0));
        return Math.max((long) (bitrate * (alpha - 1)), MIN_INCREASE_BPS);
    }

    /** {@link #LINK_SHARE_STEP} of the link's rate per response time, once a congestion event and the link's rate are known; else 0. */
    private long linkShareIncrease(long elapsedNanos) {
        if (congestionBps < 0 || bottleneckBps <= 0) {
            return 0;
        }
        return (long) (LINK_SHARE_STEP * bottleneckBps * responses(elapsedNanos));
    }

    /**
     * About one average packet per response time: the round trip plus the detector's delay (libwebrtc takes
     * twice that, which leaves a 10 Mbit/s flow a minute below the link after each decrease).
     */
    private long additiveIncrease(long elapsedNanos) {
        double frameBits = bitrate / 30.0;
        double packetsPerFrame = Math.max(1, Math.ceil(frameBits / (1200 * 8)));
        double packetBits = frameBits / packetsPerFrame;
        double responseSeconds = (rttNanos + DETECTOR_DELAY_NANOS) / 1e9;
        double perSecond = Math.max(MIN_ADDITIVE_BPS_PER_SECOND, packetBits / responseSeconds);
        return (long) (perSecond * elapsedNanos / 1e9);
    }

    /**
     * Whether the queue last grew while we had clearly less than the link's rate (packet pairs), and the
     * application fills the rate: other flows share the link. A probe then measures the gaps between their
     * bursts rather than room (see {@code ProbeController#onTimeout}).
     */
    boolean linkShared() {
        return linkShared && !applicationLimited();
    }

    /**
     * What to back off from when the queue grew with {@code throughputBps} arriving: that, or, for a flow that
     * holds more than half of a shared link, halfway from it to half the link. Whatever the number of flows,
     * one with more than half the link has more than any other; cutting it deeper, and aiming its cubic lower,
     * leaves the room to the smaller ones. Cutting each flow in proportion to its rate alone, with the same
     * growth for both, closes the gap between two flows by 15 % an event, and the larger one's keyframes and
     * the smaller one's deeper cuts in the same event (its 150 ms of arrivals read low while the other's burst
     * fills the queue) kept the gap open.
     */
    private long backoffFrom(long throughputBps) {
        linkShared = bottleneckBps > 0 && Math.max(throughputBps, acknowledgedBps) < SHARED_LINK * bottleneckBps;
        long half = bottleneckBps / 2;
        return linkShared && throughputBps > half ? (throughputBps + half) / 2 : throughputBps;
    }

    private void decrease(long now, long arrivedBps) {
        overusedOnce = true;
        long throughputBps = backoffFrom(arrivedBps);
        long decreased = (long) (throughputBps * BETA);
        if (decreased > bitrate && capacity.known()) {
            decreased = (long) (BETA * capacity.estimateBps());
        }
        if (decreased < bitrate) {
            bitrate = Math.clamp(decreased, minBps, maxBps);
        }
        if (arrivedBps < capacity.lowerBps()) {
            capacity.reset(); // far below what the link carried: the path changed
        }
        capacity.onOveruse(arrivedBps);
        if (lastDecreaseAt == Long.MIN_VALUE || now - lastDecreaseAt >= CONGESTION_EVENT_NANOS) {
            // CUBIC's fast convergence: congestion below the last event's point means another flow takes a
            // share; aiming lower than where the queue grew leaves it room and moves two flows towards equal shares
            congestionBps = congestionBps > 0 && throughputBps < congestionBps ? (long) (throughputBps * (1 + BETA) / 2) : throughputBps;
        }
        lastDecreaseAt = now;
        double plateau = PLATEAU * congestionBps;
        cubicK = Math.cbrt(Math.max(0, plateau - bitrate) / scale());
        state = State.HOLD; // until the queue has drained
        lastChange = now;
    }
}
