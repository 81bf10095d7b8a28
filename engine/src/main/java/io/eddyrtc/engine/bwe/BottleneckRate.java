package io.eddyrtc.engine.bwe;

import java.util.Arrays;

/**
 * The rate the path's narrowest link serves packets at, from packet pairs: two packets sent in the same instant
 * (the {@link Pacer} lets two go together after an idle spell) queue one behind the other at the bottleneck,
 * so the second arrives one serialization time after the first, whatever else shares the link. A pair's rate
 * is then the link's, and the median of the last {@link #SAMPLES} pairs of the last {@link #LIFETIME_NANOS}
 * is what this reports: a single pair squeezed together by a later hop or spread by a packet that got between
 * them does not move it. Packets sent apart are no pair: another flow's packets may queue between them.
 *
 * <p>This is what lets two flows on one link grow by the same amount (see {@link AimdRateControl}): each one's
 * own rate says how much of the link it has, the pairs say how large the link is, and both flows see the same.
 * Allocates nothing.
 */
final class BottleneckRate {
    /** An arrival gap under this is below the feedback's resolution (250 µs) and says nothing. */
    private static final long MIN_ARRIVAL_GAP_NANOS = 250_000L;
    static final int SAMPLES = 15;
    /** Pairs older than this (on the peer's clock, against the newest arrival) no longer count: the path may have changed. */
    static final long LIFETIME_NANOS = 5_000_000_000L;
    private static final int MIN_SAMPLES = 5;

    private final long[] samples = new long[SAMPLES];
    private final long[] sampledAt = new long[SAMPLES];
    private final long[] sorted = new long[SAMPLES];
    private int next;
    private int count;
    private boolean hasPrevious;
    private long previousSequence;
    private long previousSent;
    private long previousArrived;
    private long newestArrival = Long.MIN_VALUE;

    /** Packet {@code sequence} arrived (feedback passes them on in sequence order). */
    void onReceived(long sequence, long sentAt, long arrivedAt, int bytes) {
        if (hasPrevious && sequence == previousSequence + 1 && sentAt == previousSent
                && arrivedAt - previousArrived >= MIN_ARRIVAL_GAP_NANOS) {
            samples[next] = (long) (bytes * 8e9 / (arrivedAt - previousArrived));
            sampledAt[next] = arrivedAt;
            next = (next + 1) % SAMPLES;
            count = Math.min(count + 1, SAMPLES);
        }
        newestArrival = Math.max(newestArrival, arrivedAt);
        hasPrevious = true;
        previousSequence = sequence;
        previousSent = sentAt;
        previousArrived = arrivedAt;
    }

    /** A packet did not arrive: the one after it starts no pair. */
    void onLost() {
        hasPrevious = false;
    }

    /**
     * The median rate of the pairs of the last {@link #LIFETIME_NANOS}, in bits per second, or -1 with fewer
     * than {@link #MIN_SAMPLES} of them. Once per feedback, not per packet.
     */
    long rate() {
        int fresh = 0;
        for (int i = 0; i < count; i++) {
            if (newestArrival - sampledAt[i] <= LIFETIME_NANOS) {
                sorted[fresh++] = samples[i];
            }
        }
        if (fresh < MIN_SAMPLES) {
            return -1;
        }
        Arrays.sort(sorted, 0, fresh);
        return sorted[fresh / 2];
    }
}
