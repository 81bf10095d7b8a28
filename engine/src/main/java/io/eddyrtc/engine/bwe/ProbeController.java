package io.eddyrtc.engine.bwe;

/**
 * When to probe, and at what rate (after libwebrtc's {@code ProbeController}):
 * <ul>
 *   <li>at the start, two clusters at 3× and 6× the initial estimate;</li>
 *   <li>after any probe whose result came above 70 % of its target, within a second: another at twice the
 *       new estimate, so a fast path is found in a few round trips (after a check that found room, at 1.5 × it);</li>
 *   <li>when the application stops holding back (the application-limited region ends) and wants more than
 *       the estimate: one at twice the estimate, at most once a second;</li>
 *   <li>when the application asks ({@code requestProbe});</li>
 *   <li>after {@link #STAGNANT_NANOS} without an overuse or a probe, while the application wants more and
 *       loss does not bind: one at 1.1 × the estimate. This is not in libwebrtc; the rate controller's cubic
 *       finds capacity that came back (a link halved and restored) in 3 to 10 s, a check and the probes after
 *       it in a second or two; and it is how an application held back by the estimate (an SFU a layer below it),
 *       whose rate the controller does not grow, learns whether the next step fits.</li>
 * </ul>
 * Targets stay under twice the desired rate (when the application set one) and the configured maximum, and
 * over {@link #MIN_PROBE_BPS}.
 */
final class ProbeController {
    private static final double FIRST_SCALE = 3;
    private static final double SECOND_SCALE = 6;
    private static final double FURTHER_SCALE = 2;
    private static final double FURTHER_THRESHOLD = 0.7;
    /**
     * A stagnant estimate is probed gently: on a link another flow shares, a probe well over our share takes
     * from the other flow (whose packets it crowds out) more than it learns. If the path has room, the result
     * comes back near the target and further probing doubles from there.
     */
    private static final double STAGNANT_SCALE = 1.1;
    /** A check that found room continues in steps small enough that the path may carry them whole. */
    private static final double FURTHER_CHECK_SCALE = 1.5;
    private static final long WAIT_FOR_RESULT_NANOS = 1_000_000_000L;
    static final long STAGNANT_NANOS = 2_000_000_000L;
    /** How soon a stagnant estimate whose probe was blocked is looked at again. */
    private static final long RECHECK_NANOS = 250_000_000L;
    /**
     * No cluster below this: a probe at a few kbit/s measures nothing. A probe aimed lower goes at this rate
     * instead, since an estimate under it must still be checked: an application held back by that estimate
     * (an SFU forwarding a lowest layer that no longer fits) sends less than it, the rate controller does not
     * grow in the application-limited region, and a probe is its only way up.
     */
    static final long MIN_PROBE_BPS = 100_000;
    private static final int MAX_PENDING = 2;
    private static final long ALR_PROBE_INTERVAL_NANOS = 1_000_000_000L;

    private final long maxBps;
    private final boolean enabled;
    private final long[] pending = new long[MAX_PENDING];
    private final boolean[] pendingChecks = new boolean[MAX_PENDING];
    private int pendingCount;
    private int nextId;
    private long desiredBps;
    private long waitingTarget;
    private long waitingSince;
    /** Whether the probe waited for is a check of a stagnant estimate (its further probe steps by 1.5, not 2). */
    private boolean waitingCheck;
    /** The estimate when the current quiet window started (the last overuse or probe), and when (-1: none yet). */
    private long windowBps = -1;
    private long windowStart;
    /** A stagnant estimate found a probe blocked: look again then. */
    private long recheckAt = Long.MIN_VALUE;
    private long lastAlrProbeAt = Long.MIN_VALUE;

    /** {@code enabled} false: no probe ever (the estimate grows by the rate controller alone). */
    ProbeController(long maxBps, boolean enabled) {
        this.maxBps = maxBps;
        this.enabled = enabled;
    }

    void setDesired(long bps) {
        desiredBps = bps;
    }

    private long ceiling() {
        return desiredBps > 0 ? Math.min(maxBps, 2 * desiredBps) : maxBps;
    }

    private boolean wantsMore(long estimateBps) {
        return desiredBps <= 0 || estimateBps < desiredBps;
    }

    /** The first moment media may flow: the two initial clusters. */
    void onStart(long now, long estimateBps) {
        add(now, (long) (estimateBps * FIRST_SCALE), false);
        add(now, (long) (estimateBps * SECOND_SCALE), false);
    }

    /** The application asked for a probe at {@code targetBps}. */
    void request(long now, long targetBps) {
        add(now, targetBps, false);
    }

    /**
     * The application-limited region ended at {@code now}. At most one such probe a second: an application
     * whose bursts take it in and out of the region (a frame far under a large estimate) must not probe with
     * every frame.
     */
    void onAlrEnded(long now, long estimateBps) {
        if (wantsMore(estimateBps) && (lastAlrProbeAt == Long.MIN_VALUE || now - lastAlrProbeAt >= ALR_PROBE_INTERVAL_NANOS)) {
            lastAlrProbeAt = now;
            add(now, (long) (estimateBps * FURTHER_SCALE), false);
        }
    }

    /**
     * A new estimate after feedback. {@code probeResultBps} is what a probe just measured (-1: none); a result
     * above 70 % of the target waited for leads to the next probe.
     */
    void onEstimate(long now, long estimateBps, long probeResultBps) {
        if (waitingTarget > 0 && now - waitingSince > WAIT_FOR_RESULT_NANOS) {
            waitingTarget = 0;
        }
        if (waitingTarget > 0 && probeResultBps > FURTHER_THRESHOLD * waitingTarget && wantsMore(estimateBps)) {
            long target = (long) (estimateBps * (waitingCheck ? FURTHER_CHECK_SCALE : FURTHER_SCALE));
            if (target > waitingTarget) {
                waitingTarget = 0;
                add(now, target, false); // a check found room: what lies beyond it is measured as any probe
            }
        }
        if (windowBps < 0) {
            newWindow(now, estimateBps);
        }
    }

    /** The delay said overuse: a stagnation window starts afresh (an estimate held down by congestion is right). */
    void onOveruse(long now, long estimateBps) {
        newWindow(now, estimateBps);
    }

    private void newWindow(long now, long estimateBps) {
        windowBps = estimateBps;
        windowStart = now;
    }

    /**
     * Time passes: a stagnant estimate below what the application wants gets a probe, unless the delay rises
     * ({@code overusing}), loss binds or the application holds back ({@code quiet}) without having said it
     * wants more. An application that set a desired rate above the estimate and sends less is held back by
     * the estimate itself (an SFU forwards the layer the estimate fits, a step below it): padding probes are
     * how it learns whether the next step fits, as libwebrtc's periodic probes in the application-limited
     * region do. Nor while other flows share the link ({@code linkShared}) and the rate controller grows by
     * itself: a probe of 15 ms passes whole between their frames' bursts and measures the link as if it were
     * ours (two flows at 10 Mbit/s, each at about half: checks and the probes after them took one to 9.5 Mbit/s,
     * the queue overflowed, and the loss cut the other to a third); the growth shared by every flow
     * ({@code AimdRateControl}) finds room there instead.
     */
    void onTimeout(long now, long estimateBps, boolean overusing, boolean lossBinds, boolean linkShared, boolean quiet) {
        if (!enabled || windowBps < 0 || now < windowStart + STAGNANT_NANOS || now < recheckAt) {
            return;
        }
        if (overusing || lossBinds || linkShared || (quiet && desiredBps <= 0) || pendingCount > 0 || !wantsMore(estimateBps)) {
            recheckAt = now + RECHECK_NANOS;
            return;
        }
        newWindow(now, estimateBps);
        add(now, (long) (estimateBps * STAGNANT_SCALE), true);
    }

    /** When {@link #onTimeout} may next act. */
    long nextCheckAt() {
        if (!enabled || windowBps < 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(windowStart + STAGNANT_NANOS, recheckAt);
    }

    private void add(long now, long targetBps, boolean check) {
        long target = Math.min(Math.max(targetBps, MIN_PROBE_BPS), ceiling());
        if (!enabled || target < MIN_PROBE_BPS || pendingCount == MAX_PENDING) {
            return;
        }
        pendingChecks[pendingCount] = check;
        pending[pendingCount++] = target;
        waitingCheck = waitingTarget > 0 ? waitingCheck && check : check;
        waitingTarget = Math.max(waitingTarget, target);
        waitingSince = now;
        if (windowBps >= 0) {
            windowStart = now; // the probe answers the question for a while
        }
    }

    /** Whether a cluster waits to be sent. */
    boolean hasPending() {
        return pendingCount > 0;
    }

    /** The next cluster to send, or null. */
    ProbeCluster next() {
        if (pendingCount == 0) {
            return null;
        }
        long target = pending[0];
        boolean check = pendingChecks[0];
        System.arraycopy(pending, 1, pending, 0, --pendingCount);
        System.arraycopy(pendingChecks, 1, pendingChecks, 0, pendingCount);
        ProbeCluster cluster = new ProbeCluster(nextId, target, check);
        nextId = (nextId + 1) & 0x7FFF;
        return cluster;
    }
}
