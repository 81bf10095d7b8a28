package io.eddyrtc.engine.internal;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.internal.media.SendCongestion;

/**
 * Datagrams and bytes through one {@code Rtc}'s socket each way (everything: STUN, DTLS, SRTP), counted where
 * they enter and leave it, and when the next {@link Event.PeerStats} is due: one interval after the first
 * input, never when the interval is 0 (off).
 */
public final class PeerCounters {
    private final long intervalNanos;
    private long nextAt = Long.MAX_VALUE;
    private long datagramsIn;
    private long bytesIn;
    private long datagramsOut;
    private long bytesOut;

    public PeerCounters(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** The first input's time: statistics start one interval later. */
    public void started(long now) {
        if (intervalNanos > 0) {
            nextAt = now + intervalNanos;
        }
    }

    public void received(int length) {
        datagramsIn++;
        bytesIn += length;
    }

    public void sent(int length) {
        datagramsOut++;
        bytesOut += length;
    }

    /** When the next statistics are due; {@code Long.MAX_VALUE} when off. */
    public long nextAt() {
        return nextAt;
    }

    /**
     * The statistics at {@code now} (with the media layer's and drop counts, what the memory budget holds and
     * refused, what DTLS negotiated, and the send side's estimation and pacing, or null when off); the next are
     * due an interval later.
     */
    public Event.PeerStats take(long now, long mediaPacketsIn, long mediaPacketsOut, long dropped, MemoryBudget memory,
                                DtlsLayer dtls, SendCongestion congestion) {
        nextAt = now + intervalNanos;
        return new Event.PeerStats(now, datagramsIn, bytesIn, datagramsOut, bytesOut, mediaPacketsIn, mediaPacketsOut, dropped,
                memory.inUse(), memory.refusals(), dtls.version(), dtls.cipherSuite(), dtls.group(),
                congestion == null ? 0 : congestion.estimator().estimate(), congestion == null ? 0 : congestion.pacingBps(),
                congestion == null ? 0 : congestion.queuedBytes());
    }
}
