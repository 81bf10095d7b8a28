package io.eddyrtc.engine.bwe;

import java.util.Arrays;

/**
 * The rate the path's narrowest link serves packets at, from packet pairs: two packets sent in the same instant
 * (the {@link Pacer} lets two go together after an idle spell) queue one behind the other at the bottleneck,
 * so the second arrives one serialization time after the first, whatever else shares the link. A pair's rate
 * is then the link's. Of the last {@link #SAMPLES} pairs of the last {@link #LIFETIME_NANOS}, those within
 * {@link #INLIER_SPREAD} of their median count (a pair squeezed together by a later hop or spread by a packet that
 * got between them does not), and their bytes over their gaps is the rate: a median alone reads the feedback's
 * 250 µs steps, up to 12 % under the link at 11 Mbit/s (a 0.87 ms gap read as 1 ms in most pairs), where the
 * steps average out. The newest {@link #NEWEST} pairs are read the same way, and count instead when they are
 * clearly faster ({@link #GREW}), so a link that grew shows within a few pairs rather than once most of the
 * window has turned over.
 *
 * <p>A pair whose second packet arrives within the feedback's resolution ({@link #MIN_ARRIVAL_GAP_NANOS}) shows a
 * link faster than the feedback can time: it counts as a pair, faster than any timed one. When the median pair
 * is such a pair, the link's rate is unknown (-1), not the rate of the few pairs the receiver's own scheduling
 * spread apart: on a fast path (a LAN, loopback) those are all the timed pairs there are, and they read as a link
 * of tens or hundreds of kbit/s, under which the rate could no longer grow.
 *
 * <p>This is what lets two flows on one link grow by the same amount (see {@link AimdRateControl}): each one's
 * own rate says how much of the link it has, the pairs say how large the link is, and both flows see the same.
 * Allocates nothing.
 */
final class BottleneckRate {
    /** An arrival gap under this is below the feedback's resolution (250 µs): the pair is faster than it can time. */
    private static final long MIN_ARRIVAL_GAP_NANOS = 250_000L;
    /** A pair within the feedback's resolution, faster than any timed pair (its gap is not known). */
    private static final long UNTIMED = Long.MAX_VALUE;
    static final int SAMPLES = 15;
    /** Pairs older than this (on the peer's clock, against the newest arrival) no longer count: the path may have changed. */
    static final long LIFETIME_NANOS = 5_000_000_000L;
    private static final int MIN_SAMPLES = 5;
    /**
     * The newest pairs read on their own: at 300 kbit/s pairs come twice a second, and a link that came back from
     * half its rate showed in five of them only after 2.5 s, which held the growth ({@link AimdRateControl}) to the
     * old rate for that long.
     */
    private static final int NEWEST = 3;
    /** The newest pairs this far past the window's rate show a link that grew; closer, they are its noise. */
    private static final double GREW = 1.1;
    /** Pairs whose rate is within this factor of the median are averaged; the others are outliers. */
    private static final double INLIER_SPREAD = 1.5;

    private final long[] samples = new long[SAMPLES];
    private final long[] gaps = new long[SAMPLES];
    private final int[] sizes = new int[SAMPLES];
    private final long[] sampledAt = new long[SAMPLES];
    private final long[] sorted = new long[SAMPLES];
    private int next;
    private int count;
    private boolean hasPrevious;
    private long previousSequence;
    private long previousSent;
    private long previousArrived;
    private long newestArrival = Long.MIN_VALUE;
    /** {@link #rate()} as last read, standing until a packet arrives (the estimator asks before and after each feedback). */
    private long rate = -1;
    /** Whether the median pair of the last read was untimed (and there were enough pairs). */
    private boolean untimed;
    private boolean rateStale = true;

    /** Packet {@code sequence} arrived (feedback passes them on in sequence order). */
    void onReceived(long sequence, long sentAt, long arrivedAt, int bytes) {
        long gap = arrivedAt - previousArrived;
        if (hasPrevious && sequence == previousSequence + 1 && sentAt == previousSent && gap >= 0) {
            samples[next] = gap < MIN_ARRIVAL_GAP_NANOS ? UNTIMED : (long) (bytes * 8e9 / gap);
            gaps[next] = gap;
            sizes[next] = bytes;
            sampledAt[next] = arrivedAt;
            next = (next + 1) % SAMPLES;
            count = Math.min(count + 1, SAMPLES);
        }
        newestArrival = Math.max(newestArrival, arrivedAt);
        rateStale = true;
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
     * The link's rate in bits per second from the pairs of the last {@link #LIFETIME_NANOS}, or -1 with fewer
     * than {@link #MIN_SAMPLES} of them or when the median pair (of them all, or of the newest) was too fast to
     * time. Once per feedback, not per packet.
     */
    long rate() {
        if (rateStale) {
            untimed = false;
            rate = readRate();
            rateStale = false;
        }
        return rate;
    }

    /**
     * Whether the path is faster than the feedback can time: enough recent pairs, and the median one (of them all
     * or of the newest) arrived within one step. A 1200-byte pair then says the link serves at least 38 Mbit/s.
     */
    boolean untimed() {
        rate();
        return untimed;
    }

    private long readRate() {
        int fresh = 0;
        for (int i = 0; i < count; i++) {
            if (newestArrival - sampledAt[i] <= LIFETIME_NANOS) {
                fresh++;
            }
        }
        if (fresh < MIN_SAMPLES) {
            return -1;
        }
        long window = rateOfNewest(fresh);
        long newest = rateOfNewest(NEWEST);
        long rate = newest > GREW * window ? newest : window;
        untimed = rate == UNTIMED;
        return untimed ? -1 : rate;
    }

    /** The inliers' bytes over their gaps among the newest {@code n} pairs, or {@link #UNTIMED} if their median is. */
    private long rateOfNewest(int n) {
        for (int i = 0; i < n; i++) {
            sorted[i] = samples[slot(i)];
        }
        Arrays.sort(sorted, 0, n);
        long median = sorted[n / 2];
        if (median == UNTIMED) {
            return UNTIMED;
        }
        long bits = 0;
        long nanos = 0;
        for (int i = 0; i < n; i++) {
            int k = slot(i);
            if (samples[k] != UNTIMED && samples[k] * INLIER_SPREAD >= median && samples[k] <= median * INLIER_SPREAD) {
                bits += 8L * sizes[k];
                nanos += gaps[k];
            }
        }
        return (long) (bits * 1e9 / nanos);
    }

    /** The ring slot of the {@code i}-th newest pair. */
    private int slot(int i) {
        return Math.floorMod(next - 1 - i, SAMPLES);
    }
}
