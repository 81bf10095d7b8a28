package io.eddyrtc.engine.bwe;

/**
 * When queued packets may leave: a leaky bucket at {@link #PACING_FACTOR} × the estimate (libwebrtc's pacing
 * multiplier), so that what a keyframe has past the estimate's room is spread over tens of milliseconds
 * instead of hitting the path's queue at once, and probe clusters at their own rate. It holds no packets: the caller keeps its queues (audio
 * and RTCP, which are never held, RTX before new media) and asks {@link #canSend} and {@link #nextSendAt};
 * while a probe runs and nothing is queued, {@link #paddingWanted} says how much padding to make (and, after a
 * packet that was to open a pair and left alone, a little to complete the pair).
 *
 * <p>Paced media may run {@link #SEND_BURST_NANOS} of the pacing rate ahead of it, so that a frame the rate
 * has room for leaves at once: spreading it further only delays it, and what the pacer protects the path from
 * is a burst past the estimate, which the budget still holds back. Whole frames sent at once behind a standing
 * queue arrive at the bottleneck's own spacing, which {@link ArrivalGroups} tells from a burst released at once.
 * On a path faster than the feedback can time ({@link #setFastPath}) a whole keyframe may leave at once.
 *
 * <p>Every packet sent counts against the budget, paced or not. After an idle spell at most
 * {@link #BURST_NANOS} of the rate goes out back to back (two packets, five times a second, whatever the
 * rate: a pair that measures the bottleneck), which also lets a caller whose timer fires late catch up.
 * Media waiting longer than {@link #MAX_QUEUE_NANOS} at the pacing rate is drained faster, so the pacer
 * never makes a queue that would overflow: a send buffer is not the throttle. Allocates nothing.
 */
public final class Pacer {
    public static final double PACING_FACTOR = 2.5;
    /** Queued media leaves within about this, whatever the estimate. */
    public static final long MAX_QUEUE_NANOS = 500_000_000L;
    /** Sent back to back after an idle spell, and how far ahead of its schedule a probe may run. */
    public static final long BURST_NANOS = 2_000_000L;
    /**
     * After an idle spell at least this much goes out back to back, whatever the rate, once per
     * {@link #PAIR_INTERVAL_NANOS}: two packets together, a pair whose spacing at the peer shows the
     * bottleneck's rate ({@link BottleneckRate}). Not with every frame: on a slow link the second packet of a
     * pair waits a whole packet's time behind the first, which adds to the queueing delay.
     */
    static final int PAIR_BYTES = 1200;
    static final long PAIR_INTERVAL_NANOS = 200_000_000L;
    /**
     * A paced packet that leaves alone when a pair is due (a frame of one packet: a slow link, or a small share of
     * one) is followed at once by padding of this size, which completes the pair: without pairs two flows of
     * 150 kbit/s on a 300 kbit/s link never learn the link's rate and each grows in proportion to its own, so the
     * one ahead stays ahead. 100 bytes take 2.7 ms at 300 kbit/s, ten times the feedback's resolution; on a link
     * fast enough to squeeze them under it, frames are several packets and pair by themselves.
     */
    static final int PAIR_PADDING_BYTES = 100;
    /**
     * Such padding at most this often: two pairs a second keep {@link BottleneckRate}'s five within its five
     * seconds through some loss, for 1.6 kbit/s. Five a second (8 kbit/s with 200 bytes) added enough to two
     * flows filling a 300 kbit/s link to keep its queue full: no delay signal, loss for both, and the loss limit
     * cut the smaller flow to its audio.
     */
    static final long PAIR_PADDING_INTERVAL_NANOS = 500_000_000L;
    /**
     * How far paced media may run ahead of the pacing rate, so that a frame the rate has room for leaves at once
     * instead of being spread (libwebrtc's send burst interval, which is 40 ms there; at 40 ms the evaluation's
     * 1 Mbit/s path with a 200 ms round trip kept a queueing delay p95 just over 100 ms).
     */
    public static final long SEND_BURST_NANOS = 30_000_000L;
    /**
     * The most sent ahead at any rate: about thirteen full packets, most of a 1 Mbit/s keyframe. libwebrtc
     * allows 63 kB; in the evaluation's 10 Mbit/s rows, with 24 kB one of two flows sharing the link fell to
     * 35–39 % of it, and with 63 kB one run to 3 %.
     */
    static final int MAX_SEND_BURST_BYTES = 16_000;
    /**
     * How far ahead paced media may go, whatever the pacing rate, on a path faster than the feedback can time
     * ({@link #setFastPath}): a 1 Mbit/s keyframe and more. Such a path serializes it in at most 7 ms (38 Mbit/s,
     * the slowest rate at which a 1200-byte pair still arrives within the feedback's 250 µs); holding its tail
     * back, as on a slow path, only delays the frame (through {@code ./eddy sfu} on loopback, by up to 10 ms).
     * A last hop that delivers packets in batches (Wi-Fi's aggregation) makes a slower path read fast too; there
     * 32 kB is still half of what libwebrtc lets go on any path, and the delay signal still answers a queue.
     */
    static final int FAST_PATH_SEND_BURST_BYTES = 32_000;
    /**
     * Less than this ahead is not worth a burst: at such a rate a frame is a packet or two, and sending one a
     * little early only moves where two flows sharing a slow link meet (their fair shares drifted apart).
     */
    static final int MIN_SEND_BURST_BYTES = 2 * PAIR_BYTES;
    /** Never pace below this, whatever the estimate: audio, RTCP and repairs must get through. */
    private static final long MIN_PACING_BPS = 100_000;
    /** A probe that cannot finish (nothing to send, no padding) gives up after this. */
    private static final long PROBE_TIMEOUT_NANOS = 1_000_000_000L;

    private long pacingBps;
    private boolean fastPath;
    private double debtBytes;
    private long lastDrain = Long.MIN_VALUE;
    private long lastQueuedBytes;
    private long pairDueAt = Long.MIN_VALUE;
    /** When a packet that opens a pair left and nothing followed it yet, or {@code Long.MIN_VALUE}. */
    private long pairOpenAt = Long.MIN_VALUE;
    private long pairPaddedAt = Long.MIN_VALUE;

    private ProbeCluster probe;
    private long probeStart;
    private long probeBytes;
    private int probePackets;
    private long probesDone;

    public Pacer(long estimateBps) {
        setEstimate(estimateBps);
    }

    /** The estimate changed: pace at {@link #PACING_FACTOR} × it. */
    public void setEstimate(long estimateBps) {
        pacingBps = Math.max(MIN_PACING_BPS, (long) (estimateBps * PACING_FACTOR));
    }

    /**
     * Whether the path is faster than the feedback can time ({@link BandwidthEstimator#fastPath()}): paced media may
     * then go {@link #FAST_PATH_SEND_BURST_BYTES} ahead of the pacing rate.
     */
    public void setFastPath(boolean fast) {
        fastPath = fast;
    }

    /** The rate paced media leaves at, in bits per second (before draining a long queue faster). */
    public long pacingBps() {
        return pacingBps;
    }

    /** Sends {@code cluster} from {@code now}: paced packets go at its rate, padding fills in. */
    public void startProbe(long now, ProbeCluster cluster) {
        probe = cluster;
        probeStart = now;
        probeBytes = 0;
        probePackets = 0;
    }

    /** Ends the running probe short (nothing can be sent for it): its result is what arrived of it. */
    public void cancelProbe() {
        probe = null;
    }

    /** Whether a probe cluster is being sent. */
    public boolean probing() {
        return probe != null;
    }

    /** Probe clusters sent to their end. */
    public long probesDone() {
        return probesDone;
    }

    private double rate(long queuedBytes) {
        return Math.max(pacingBps, queuedBytes * 8e9 / MAX_QUEUE_NANOS);
    }

    private void drain(long now, long queuedBytes) {
        lastQueuedBytes = queuedBytes;
        if (lastDrain != Long.MIN_VALUE && now > lastDrain) {
            double rate = rate(queuedBytes);
            debtBytes -= rate * (now - lastDrain) / 8e9;
            debtBytes = Math.max(debtBytes, -burstBytes(now, rate));
        }
        lastDrain = Math.max(now, lastDrain);
    }

    /** What may go out back to back after an idle spell at {@code rate}. */
    private double burstBytes(long now, double rate) {
        double burst = rate * BURST_NANOS / 8e9;
        return now >= pairDueAt ? Math.max(burst, PAIR_BYTES) : burst;
    }

    /**
     * How far ahead of the pacing rate paced media may go: {@link #SEND_BURST_NANOS} of it, within bounds; on a fast
     * path, {@link #FAST_PATH_SEND_BURST_BYTES}.
     */
    private double allowance(long queuedBytes) {
        if (fastPath) {
            return FAST_PATH_SEND_BURST_BYTES;
        }
        double ahead = Math.min(rate(queuedBytes) * SEND_BURST_NANOS / 8e9, MAX_SEND_BURST_BYTES);
        return ahead < MIN_SEND_BURST_BYTES ? 0 : ahead;
    }

    private long probeDueAt() {
        return probeStart + (long) (probeBytes * 8e9 / probe.targetBps());
    }

    /** Whether a paced packet may leave at {@code now}, with {@code queuedBytes} of paced media waiting. */
    public boolean canSend(long now, long queuedBytes) {
        expireProbe(now);
        if (probe != null) {
            return now >= probeDueAt() - BURST_NANOS;
        }
        drain(now, queuedBytes);
        return debtBytes <= allowance(queuedBytes);
    }

    /**
     * When a paced packet may next leave, with {@code queuedBytes} waiting ({@code now} if at once); while a
     * probe runs, when its next packet (media or padding) is due; {@code Long.MAX_VALUE} when nothing waits.
     */
    public long nextSendAt(long now, long queuedBytes) {
        expireProbe(now);
        if (probe != null) {
            return Math.max(now, probeDueAt() - BURST_NANOS);
        }
        if (queuedBytes <= 0) {
            return Long.MAX_VALUE;
        }
        drain(now, queuedBytes);
        double allowance = allowance(queuedBytes);
        if (debtBytes <= allowance) {
            return now;
        }
        return now + (long) Math.ceil((debtBytes - allowance) * 8e9 / rate(queuedBytes));
    }

    /**
     * A packet of {@code bytes} left at {@code now}; {@code paced} for media that waited its turn (audio and
     * RTCP are not). Returns the id of the probe cluster it belongs to, or -1: the caller records it with the
     * packet for the estimator.
     */
    public int onSent(long now, int bytes, boolean paced) {
        drain(now, lastQueuedBytes); // at the rate the caller's queue last asked for
        if (now == pairOpenAt) {
            pairOpenAt = Long.MIN_VALUE; // the pair's second packet
        } else if (paced && debtBytes < -rate(lastQueuedBytes) * BURST_NANOS / 8e9) {
            pairDueAt = now + PAIR_INTERVAL_NANOS; // this packet and the next are a pair
            pairOpenAt = now;
        }
        debtBytes += bytes;
        if (probe == null || !paced) {
            return -1;
        }
        int id = probe.id();
        probeBytes += bytes;
        probePackets++;
        if (probeBytes >= probe.minBytes() && probePackets >= ProbeCluster.MIN_PACKETS) {
            probe = null;
            probesDone++;
            debtBytes = Math.max(debtBytes, 0); // the probe's burst does not become credit for media
        }
        return id;
    }

    /**
     * Padding bytes wanted at {@code now} while a probe runs and no paced media waits: what keeps the probe at
     * its rate until {@link #BURST_NANOS} ahead; with no probe, {@link #PAIR_PADDING_BYTES} right after a paced
     * packet that was to open a pair left alone (at most every {@link #PAIR_PADDING_INTERVAL_NANOS}). 0 when none
     * is wanted. The caller makes a padding packet of at most this (or as much as one can hold), and reports it
     * with {@link #onSent}.
     */
    public int paddingWanted(long now) {
        expireProbe(now);
        if (probe == null) {
            if (now == pairOpenAt && (pairPaddedAt == Long.MIN_VALUE || now - pairPaddedAt >= PAIR_PADDING_INTERVAL_NANOS)) {
                pairPaddedAt = now;
                return PAIR_PADDING_BYTES;
            }
            return 0;
        }
        if (now < probeDueAt() - BURST_NANOS) {
            return 0;
        }
        long ahead = (long) ((double) probe.targetBps() * (now + BURST_NANOS - probeStart) / 8e9) - probeBytes;
        long share = (probe.minBytes() + ProbeCluster.MIN_PACKETS - 1) / ProbeCluster.MIN_PACKETS; // five packets at least
        return (int) Math.min(Integer.MAX_VALUE, Math.max(ahead, share));
    }

    private void expireProbe(long now) {
        if (probe != null && now - probeStart > PROBE_TIMEOUT_NANOS) {
            probe = null;
        }
    }
}
