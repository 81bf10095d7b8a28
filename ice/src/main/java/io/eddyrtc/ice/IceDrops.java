package io.eddyrtc.ice;

import static java.lang.System.Logger.Level.DEBUG;

import java.net.InetSocketAddress;

/** What the agent did not accept, counted per {@link IceDropReason}, each with a debug log line. */
final class IceDrops {
    private static final System.Logger LOG = System.getLogger(IceAgent.class.getName());

    private final long[] counts = new long[IceDropReason.values().length];

    /** {@code source} may be null when the drop is not about one datagram (a signalled candidate). */
    void count(IceDropReason reason, InetSocketAddress source) {
        counts[reason.ordinal()]++;
        if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, "ICE dropped {0} from {1}", reason, source);
        }
    }

    long get(IceDropReason reason) {
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
