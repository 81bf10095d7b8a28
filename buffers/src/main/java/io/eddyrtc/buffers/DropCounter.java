package io.eddyrtc.buffers;

import static java.lang.System.Logger.Level.DEBUG;

import java.util.Objects;

/**
 * What one endpoint (an ICE agent, a DTLS connection, an SRTP context, an SCTP association, an {@code Rtc})
 * dropped, counted per reason. Network input never throws: what is malformed, unauthentic, replayed or over
 * a cap is counted here instead. Counting allocates nothing: one {@code long} per reason, by ordinal.
 *
 * <p>A reason's 1st, 2nd, 4th, 8th … drop is logged at {@code DEBUG} with its running count, so a flood
 * of bad datagrams writes a few dozen lines per reason, not one per datagram. The gate counts instead of
 * reading a clock because several counting sites are given no time (SRTP's protect and unprotect, a data
 * channel message).
 *
 * <p>Not thread-safe: the endpoint's own thread counts and reads. Its methods are final; a subclass only
 * names the reasons and the logger once, for a counter many classes pass around (the engine's {@code RtcDrops}).
 *
 * @param <E> the endpoint's drop reasons
 */
public class DropCounter<E extends Enum<E>> {
    private final long[] counts;
    private final System.Logger log;
    private final String subject;

    /**
     * @param reasons the enum whose constants are counted
     * @param log     where the gated debug lines go: the endpoint's own logger, where an operator looks
     * @param subject what dropped, as the log line names it ({@code "SRTP"}, {@code "ICE"})
     */
    public DropCounter(Class<E> reasons, System.Logger log, String subject) {
        this.counts = new long[reasons.getEnumConstants().length];
        this.log = Objects.requireNonNull(log, "log");
        this.subject = Objects.requireNonNull(subject, "subject");
    }

    /** Counts one drop; see {@link #count(Enum, Object)}. */
    public final boolean count(E reason) {
        return count(reason, null);
    }

    /**
     * Counts one drop, with a detail for the log line (the datagram's source, what was wrong), or null.
     * Returns whether this drop is one the counter logs (the reason's 1st, 2nd, 4th …), so a caller with
     * more to say about it (a stack trace) says it as rarely.
     */
    public final boolean count(E reason, Object detail) {
        long n = ++counts[reason.ordinal()];
        if ((n & (n - 1)) != 0) {
            return false;
        }
        if (log.isLoggable(DEBUG)) {
            if (detail == null) {
                log.log(DEBUG, "{0} dropped {1} ({2} so far)", subject, reason, n);
            } else {
                log.log(DEBUG, "{0} dropped {1} ({2} so far): {3}", subject, reason, n, detail);
            }
        }
        return true;
    }

    /** The drops counted for {@code reason}. */
    public final long dropped(E reason) {
        return counts[reason.ordinal()];
    }

    /** The drops counted for every reason. */
    public final long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }
}
