package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsDropReason;

import static java.lang.System.Logger.Level.DEBUG;

/** The per-reason counts of what one DTLS connection ignored; every layer of the connection counts here. */
public final class DropCounter {
    private static final System.Logger LOG = System.getLogger("io.eddyrtc.crypto.dtls.DtlsEndpoint");

    private final long[] counts = new long[DtlsDropReason.values().length];

    public void count(DtlsDropReason reason) {
        counts[reason.ordinal()]++;
        if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, "DTLS dropped: {0}", reason);
        }
    }

    /** Counts a drop whose cause is worth a line of its own in the debug log. */
    public void count(DtlsDropReason reason, String why) {
        counts[reason.ordinal()]++;
        if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, "DTLS dropped: {0}: {1}", reason, why);
        }
    }

    public long of(DtlsDropReason reason) {
        return counts[reason.ordinal()];
    }

    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }
}
