package io.eddyrtc.engine;

import static java.lang.System.Logger.Level.DEBUG;

import java.net.InetSocketAddress;

/** The {@link Rtc}'s drop counters, one per {@link RtcDropReason}, shared by its layers. */
final class RtcDrops {
    private static final System.Logger LOG = System.getLogger(Rtc.class.getName());

    private final long[] counts = new long[RtcDropReason.values().length];

    /** Counts one dropped datagram; {@code source} may be null when the drop is not about one received datagram. */
    void count(RtcDropReason reason, InetSocketAddress source) {
        counts[reason.ordinal()]++;
        if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, "dropped datagram from {0}: {1}", source, reason);
        }
    }

    long get(RtcDropReason reason) {
        return counts[reason.ordinal()];
    }

    long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }
}
