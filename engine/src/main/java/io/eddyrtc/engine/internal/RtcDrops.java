package io.eddyrtc.engine.internal;

import static java.lang.System.Logger.Level.DEBUG;

import io.eddyrtc.engine.RtcDropReason;
import java.net.InetSocketAddress;

/** An {@code Rtc}'s drop counters, one per {@link RtcDropReason}, shared by its layers. */
public final class RtcDrops {
    /** Drops are logged under the {@code Rtc}'s logger, where an operator looks for what a peer sent. */
    private static final System.Logger LOG = System.getLogger("io.eddyrtc.engine.Rtc");

    private final long[] counts = new long[RtcDropReason.values().length];

    /** Counts one dropped datagram; {@code source} may be null when the drop is not about one received datagram. */
    public void count(RtcDropReason reason, InetSocketAddress source) {
        counts[reason.ordinal()]++;
        if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, "dropped datagram from {0}: {1}", source, reason);
        }
    }

    public long get(RtcDropReason reason) {
        return counts[reason.ordinal()];
    }

    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }
}
