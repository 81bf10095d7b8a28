package io.eddyrtc.engine.bwe;

import java.util.Arrays;

/**
 * When queued packets may leave: a leaky bucket at {@link #PACING_FACTOR} × the estimate (libwebrtc's pacing
 * multiplier) whose depth is the capacity the estimate left unused, so that a frame the path has room for
 * leaves at once and only what goes beyond that room is spread; probe clusters go at their own rate. It holds
 * no packets: the caller keeps its queues (audio and RTCP, which are never held, RTX before new media) and
 * asks {@link #canSend} and {@link #nextSendAt}; while a probe runs and nothing is queued,
 * {@link #paddingWanted} says how much padding to make.
 *
 * <p>Pacing exists to keep a burst from overflowing the bottleneck's queue, which matters when what is sent
 * approaches the estimate; when the estimate has room to spare it is only delay. So while the sender used at
 * most {@link #SPARE_SHARE} of what the estimate allowed over the last {@link #SPARE_WINDOW_NANOS} (every
 * packet sent counts, against the window's lowest estimate; a pacer with less history than that banks nothing,
 * so a newcomer's first frames and a just-raised estimate do not burst into a link others fill), the bucket may bank, while the sender is quiet, up to the <em>spare</em>: the bytes of
 * that window the estimate allowed and nothing used, at most {@link #SPARE_NANOS} of the pacing rate and
 * {@link #MAX_SPARE_BYTES}. A frame that fits goes out in one batch, one that does not is paced from where the
 * spare runs out, and a burst never takes what was sent over the window past the estimate. A sender nearer the
 * estimate banks nothing and is paced as a plain leaky bucket: its sends are what the delay-based estimator
 * tests the path with, and frames leaving in bursts there hide the queue's growth from it (with frames let out
 * in bursts, {@code RtcBweTest}'s estimate on a 2.5 Mbit/s link climbs to half again the link before it backs
 * off). The bucket drains at the pacing rate whatever it banked, so over any span the pacer lets out at most
 * the pacing rate's bytes and one spare.
 *
 * <p>Every packet sent counts against the budget, paced or not. Without spare, at most {@link #BURST_NANOS}
 * of the rate goes out back to back after an idle spell (and two packets, five times a second, whatever the
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
     * How much of the pacing rate the spare holds at most: libwebrtc's default send burst interval (40 ms at
     * 2.5 × the estimate, that is 100 ms of the estimate), so a burst adds at most 100 ms to a bottleneck
     * queue the estimate's size. It holds a keyframe of five average frames when the estimate is about twice what
     * is sent.
     */
    public static final long SPARE_NANOS = 40_000_000L;
    /**
     * The span over which what was sent is set against the estimate: long enough to hold many frames, so that the
     * gaps between the frames of a sender at the estimate do not count as room, and a keyframe spends its room
     * for as long.
     */
    public static final long SPARE_WINDOW_NANOS = 500_000_000L;
    /**
     * A sender that used more than this share of the estimate over the window is near it: nothing is banked.
     * An SFU forwarding the layer under its estimate sends half to two thirds of it (the estimator's probes go
     * to about twice what it wants); an encoder sized by the estimate sends all of it.
     */
    public static final double SPARE_SHARE = 0.75;
    private static final int WINDOW_SLOTS = 10;
    private static final long SLOT_NANOS = SPARE_WINDOW_NANOS / WINDOW_SLOTS;
    /** The spare never exceeds this whatever the rate, so a burst fits a socket's send buffer (libwebrtc's cap). */
    public static final long MAX_SPARE_BYTES = 63_000;
    /** Never pace below this, whatever the estimate: audio, RTCP and repairs must get through. */
    private static final long MIN_PACING_BPS = 100_000;
    /** A probe that cannot finish (nothing to send, no padding) gives up after this. */
    private static final long PROBE_TIMEOUT_NANOS = 1_000_000_000L;

    private long estimateBps;
    private long pacingBps;
    /** Bytes sent beyond what the bucket drained; negative when it banked credit (at most the spare). */
    private double debtBytes;
    /** Bytes sent per slot of the spare's window, a ring indexed by slot number; and their sum. */
    private final long[] sentPerSlot = new long[WINDOW_SLOTS];
    /**
     * The lowest estimate in each slot of the window: room is counted against the lowest of them, so an estimate
     * that just rose (a probe's result) does not make the window's sends look like room the path had all along.
     */
    private final long[] lowestEstimatePerSlot = new long[WINDOW_SLOTS];
    private long sentInWindow;
    private long currentSlot = Long.MIN_VALUE;
    private long firstSentAt = Long.MIN_VALUE;
    private long lastDrain = Long.MIN_VALUE;
    private long lastQueuedBytes;
    private long pairDueAt = Long.MIN_VALUE;

    private ProbeCluster probe;
    private long probeStart;
    private long probeBytes;
    private int probePackets;
    private long probesDone;

    public Pacer(long estimateBps) {
        setEstimate(estimateBps);
    }

    /** The estimate changed: pace at {@link #PACING_FACTOR} × it, and count the room against it. */
    public void setEstimate(long estimateBps) {
        this.estimateBps = Math.max(0, estimateBps);
        pacingBps = Math.max(MIN_PACING_BPS, (long) (estimateBps * PACING_FACTOR));
        if (currentSlot == Long.MIN_VALUE) {
            Arrays.fill(lowestEstimatePerSlot, this.estimateBps);
        } else {
            int index = (int) Math.floorMod(currentSlot, WINDOW_SLOTS);
            lowestEstimatePerSlot[index] = Math.min(lowestEstimatePerSlot[index], this.estimateBps);
        }
    }

    /** The rate paced media leaves at, in bits per second (before draining a long queue faster). */
    public long pacingBps() {
        return pacingBps;
    }

    /** What the estimate allowed over the window (at its lowest there) and nothing used, within the cap; 0 near it. */
    private double spareBytes(long now) {
        advanceWindow(now);
        long lowest = estimateBps;
        for (long e : lowestEstimatePerSlot) {
            lowest = Math.min(lowest, e);
        }
        if (firstSentAt == Long.MIN_VALUE || now - firstSentAt < SPARE_WINDOW_NANOS) {
            return 0; // a window's history first: before it nothing says what the sender runs at
        }
        double allowed = lowest * (double) SPARE_WINDOW_NANOS / 8e9;
        if (sentInWindow > SPARE_SHARE * allowed) {
            return 0;
        }
        return Math.min(allowed - sentInWindow, Math.min(MAX_SPARE_BYTES, pacingBps * (double) SPARE_NANOS / 8e9));
    }

    /** Moves the window to {@code now}'s slot, forgetting what was sent in the slots it leaves behind. */
    private void advanceWindow(long now) {
        long slot = Math.floorDiv(now, SLOT_NANOS);
        if (currentSlot != Long.MIN_VALUE && slot > currentSlot) {
            long steps = Math.min(WINDOW_SLOTS, slot - currentSlot);
            for (long i = 1; i <= steps; i++) {
                int index = (int) Math.floorMod(currentSlot + i, WINDOW_SLOTS);
                sentInWindow -= sentPerSlot[index];
                sentPerSlot[index] = 0;
                lowestEstimatePerSlot[index] = estimateBps;
            }
        }
        currentSlot = Math.max(slot, currentSlot);
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

    /** What may go out back to back after an idle spell at {@code rate}: the burst, a pair when one is due, or the spare. */
    private double burstBytes(long now, double rate) {
        double burst = rate * BURST_NANOS / 8e9;
        if (now >= pairDueAt) {
            burst = Math.max(burst, PAIR_BYTES);
        }
        return Math.max(burst, spareBytes(now));
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
        return debtBytes <= 0;
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
        if (debtBytes <= 0) {
            return now;
        }
        return now + (long) Math.ceil(debtBytes * 8e9 / rate(queuedBytes));
    }

    /**
     * A packet of {@code bytes} left at {@code now}; {@code paced} for media that waited its turn (audio and
     * RTCP are not). Returns the id of the probe cluster it belongs to, or -1: the caller records it with the
     * packet for the estimator.
     */
    public int onSent(long now, int bytes, boolean paced) {
        drain(now, lastQueuedBytes); // at the rate the caller's queue last asked for
        if (paced && debtBytes < -rate(lastQueuedBytes) * BURST_NANOS / 8e9) {
            pairDueAt = now + PAIR_INTERVAL_NANOS; // this packet and the next are a pair
        }
        debtBytes += bytes;
        advanceWindow(now);
        if (firstSentAt == Long.MIN_VALUE) {
            firstSentAt = now;
        }
        sentPerSlot[(int) Math.floorMod(currentSlot, WINDOW_SLOTS)] += bytes;
        sentInWindow += bytes;
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
     * its rate until {@link #BURST_NANOS} ahead. 0 when none is wanted. The caller makes a padding packet of
     * at most this (or as much as one can hold), and reports it with {@link #onSent}.
     */
    public int paddingWanted(long now) {
        expireProbe(now);
        if (probe == null || now < probeDueAt() - BURST_NANOS) {
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
