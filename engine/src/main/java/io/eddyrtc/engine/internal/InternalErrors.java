package io.eddyrtc.engine.internal;

import static java.lang.System.Logger.Level.WARNING;

import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import java.net.InetSocketAddress;

/**
 * The last resort for the rule that network input never throws: a bug that escaped a layer of an {@code Rtc}
 * is counted ({@link RtcDropReason#INTERNAL_ERROR}) and kept for diagnostics, so one peer's odd packet cannot
 * take down a loop that drives thousands. The log gets it with its stack, but at most once per
 * {@link #LOG_INTERVAL_NANOS} of the caller's time, with the number left out since: a peer that found a way
 * to reach this must not be able to flood the log too.
 */
public final class InternalErrors {
    /** At most one log record per minute per {@code Rtc}. */
    public static final long LOG_INTERVAL_NANOS = 60_000_000_000L;
    /** Under the {@code Rtc}'s logger, where an operator looks. */
    private static final System.Logger LOG = System.getLogger("io.eddyrtc.engine.Rtc");

    private final RtcDrops drops;
    private final RtcTimeline timeline;
    private RuntimeException last;
    private boolean logged;
    private long nextLogAt;
    private long notLogged;

    /** Counts in {@code drops}; each bug also goes on {@code timeline} (throttled by JFR, not by this class's log gate). */
    public InternalErrors(RtcDrops drops, RtcTimeline timeline) {
        this.drops = drops;
        this.timeline = timeline;
    }

    /** A bug met at {@code now} while handling a datagram from {@code source} (null for a timer round). */
    public void record(long now, RuntimeException bug, InetSocketAddress source) {
        last = bug;
        drops.count(RtcDropReason.INTERNAL_ERROR, source);
        timeline.internalError(bug, drops.dropped(RtcDropReason.INTERNAL_ERROR));
        if (logged && now < nextLogAt) {
            notLogged++;
            return;
        }
        String more = notLogged == 0 ? "" : " (" + notLogged + " more since the last report were not logged)";
        LOG.log(WARNING, "a bug in eddy dropped a datagram or a timer round; please report it" + more, bug);
        logged = true;
        nextLogAt = now + LOG_INTERVAL_NANOS;
        notLogged = 0;
    }

    /** The last bug met, or null. */
    public RuntimeException last() {
        return last;
    }
}
