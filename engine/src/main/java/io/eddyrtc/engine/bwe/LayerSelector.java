package io.eddyrtc.engine.bwe;

/**
 * Which simulcast layer of one published video track an SFU forwards to one subscriber, by the subscriber's
 * budget (its send-side estimate, less what its other tracks need): the highest layer whose rate fits.
 *
 * <ul>
 *   <li>A switch happens only where the subscriber can decode from: at a keyframe of the new layer. Until it
 *       comes, the old layer goes on; {@link #keyframeWanted} says which layer to ask a keyframe of (PLI), at
 *       most once a second.</li>
 *   <li>Down at once when the forwarded layer no longer fits. Up only when the higher layer's peak rate of the
 *       last seconds ({@link LayerRates#peakBitrate}) fits with {@link #UP_HEADROOM} to spare; once the selector
 *       has gone down, also only when it has fitted so
 *       for {@link #UP_AFTER_NANOS} and not within {@link #UP_AFTER_DOWN_NANOS} of going down: neither an
 *       estimate that wobbles around a layer's rate nor a layer's dip makes the picture flap.</li>
 *   <li>When even the lowest layer does not fit, only its base temporal layer goes (VP8 and VP9 say which
 *       packets are; about half the rate), until the lowest layer fits again with headroom.</li>
 * </ul>
 * Layers are numbered from 0, the lowest (the order the SFU keeps its rids in). Sans-I/O and allocation-free;
 * audio does not pass through a selector: it is never dropped.
 */
public final class LayerSelector {
    /** A higher layer must fit in this share of the budget before we go up. */
    public static final double UP_HEADROOM = 0.85;
    /** ... for this long. */
    public static final long UP_AFTER_NANOS = 2_000_000_000L;
    /** No going up this soon after going down. */
    public static final long UP_AFTER_DOWN_NANOS = 4_000_000_000L;
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 1_000_000_000L;
    private static final long REEVALUATE_NANOS = 100_000_000L;

    private final LayerRates rates;
    private long budgetBps;
    private int current = -1;
    private int target = -1;
    private boolean baseOnly;
    private int upCandidate = -1;
    private long upSince;
    private long lastDown = Long.MIN_VALUE;
    private long lastKeyframeRequest = Long.MIN_VALUE;
    private int requestedLayer = -1;
    private long nextEvaluation = Long.MIN_VALUE;
    private long switches;

    /** {@code rates}: the published track's layer rates, shared by every subscriber's selector. */
    public LayerSelector(LayerRates rates, long initialBudgetBps) {
        this.rates = rates;
        this.budgetBps = initialBudgetBps;
    }

    /** What this subscriber may receive of this track, in bits per second. */
    public void setBudget(long now, long bps) {
        budgetBps = bps;
        nextEvaluation = Long.MIN_VALUE; // look again at the next packet
    }

    public long budget() {
        return budgetBps;
    }

    /**
     * Whether to forward a packet of layer {@code layer} arriving at {@code now}: {@code keyframe} when it
     * starts a keyframe, {@code temporalLayer} its temporal layer or -1 (see {@code packet.LayerInfo}).
     */
    public boolean forward(long now, int layer, boolean keyframe, int temporalLayer) {
        if (now >= nextEvaluation) {
            evaluate(now);
        }
        if (keyframe && layer == target && layer != current) {
            current = layer; // the subscriber can decode from here
            switches++;
        }
        if (layer != current) {
            return false;
        }
        return !(baseOnly && temporalLayer > 0);
    }

    private void evaluate(long now) {
        nextEvaluation = now + REEVALUATE_NANOS;
        int layers = rates.layers();
        int lowest = -1;
        int best = -1;
        for (int l = 0; l < layers; l++) {
            if (!rates.active(now, l)) {
                continue;
            }
            if (lowest < 0) {
                lowest = l;
            }
            if (rates.bitrate(now, l) <= budgetBps) {
                best = l;
            }
        }
        if (lowest < 0) {
            return; // nothing arrives: keep what we had
        }
        int reference = target >= 0 && rates.active(now, target) ? target : -1;
        if (best < 0) {
            best = lowest; // nothing fits: the lowest, base temporal layer only
        }
        if (reference < 0 || best < reference) {
            if (reference >= 0) {
                lastDown = now;
            }
            target = best;
            upCandidate = -1;
        } else if (best > reference) {
            int up = highestFittingWithHeadroom(now, reference, best);
            if (up > reference) {
                if (up != upCandidate) {
                    upCandidate = up;
                    upSince = now;
                }
                // until the first step down, the estimate is still finding the path: up at once
                if (lastDown == Long.MIN_VALUE || (now - upSince >= UP_AFTER_NANOS && now - lastDown >= UP_AFTER_DOWN_NANOS)) {
                    target = up;
                    upCandidate = -1;
                }
            } else {
                upCandidate = -1;
            }
        } else {
            upCandidate = -1;
        }
        long lowestRate = rates.bitrate(now, lowest);
        if (target == lowest) {
            if (lowestRate > budgetBps) {
                baseOnly = true;
            } else if (lowestRate <= budgetBps * UP_HEADROOM) {
                baseOnly = false;
            }
        } else {
            baseOnly = false;
        }
        if (current >= 0 && !rates.active(now, current)) {
            current = -1; // the publisher stopped that layer: wait for a keyframe of the target
        }
    }

    /**
     * The highest layer above {@code from} whose peak of the last seconds ({@link LayerRates#peakBitrate}) fits with
     * headroom: a layer's rate in a dip is not what it will take.
     */
    private int highestFittingWithHeadroom(long now, int from, int to) {
        int up = from;
        for (int l = from + 1; l <= to; l++) {
            if (rates.active(now, l) && rates.peakBitrate(now, l) <= budgetBps * UP_HEADROOM) {
                up = l;
            }
        }
        return up;
    }

    /**
     * The layer to ask a keyframe of (the SFU sends the publisher a PLI for it) because a switch waits for
     * one, or -1; at most once a second.
     */
    public int keyframeWanted(long now) {
        if (target < 0 || target == current) {
            return -1;
        }
        if (target == requestedLayer && lastKeyframeRequest != Long.MIN_VALUE
                && now - lastKeyframeRequest < KEYFRAME_REQUEST_INTERVAL_NANOS) {
            return -1;
        }
        requestedLayer = target;
        lastKeyframeRequest = now;
        return target;
    }

    /**
     * What this subscriber's budget would need for the next step up, in bits per second: the next active
     * layer's peak rate over {@link #UP_HEADROOM} (the lowest layer's, while only its base temporal layer goes),
     * or at the top the target layer's own rate over it, so that the top layer keeps that much room for its
     * rate's swings (a keyframe, a burst) instead of sitting at the edge of the budget; 0 before anything
     * arrives. An SFU tells the subscriber's estimator it would like this much (with what its other tracks
     * need), so probes go towards the next layer and no further than it can use.
     */
    public long wantedBitrate(long now) {
        int from = baseOnly ? target - 1 : target;
        for (int l = Math.max(-1, from) + 1; l < rates.layers(); l++) {
            if (rates.active(now, l)) {
                return (long) (rates.peakBitrate(now, l) / UP_HEADROOM);
            }
        }
        return target >= 0 ? (long) (rates.peakBitrate(now, target) / UP_HEADROOM) : 0;
    }

    /**
     * The rate of the layer being forwarded, in bits per second (all of it, even while only its base temporal
     * layer goes), 0 before the first keyframe: what an SFU tells the subscriber's estimator it sends.
     */
    public long forwardedBitrate(long now) {
        return current >= 0 ? rates.bitrate(now, current) : 0;
    }

    /** The layer being forwarded, or -1 before the first keyframe. */
    public int current() {
        return current;
    }

    /** The layer the selector wants (equal to {@link #current()} unless a switch waits for a keyframe). */
    public int target() {
        return target;
    }

    /** Whether only the base temporal layer of the lowest layer goes. */
    public boolean baseOnly() {
        return baseOnly;
    }

    /** Switches made (at keyframes), for statistics. */
    public long switches() {
        return switches;
    }
}
