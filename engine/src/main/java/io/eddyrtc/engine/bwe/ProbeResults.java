package io.eddyrtc.engine.bwe;

import java.util.Arrays;

/**
 * What probes measured (libwebrtc's {@code ProbeBitrateEstimator}): for each recent cluster, the rate its
 * packets left at (without the last one, which only ends the interval) and the rate they arrived at (without
 * the first), once at least 80 % of its packets and bytes are reported received. The result is the smaller;
 * when the peer received clearly slower than we sent, the path was saturated and the result is 95 % of the
 * receive rate (unless the cluster was a check, see {@link ProbeCluster#check()}). The rate the path delivered
 * all our packets at meanwhile (the cluster's and the others sent with it) is then what it carries for us at
 * most, as far as a probe could fill it ({@link #takeSaturated()}, for checks too). Implausible timings (an interval over a second, a receive rate over twice the send rate) give
 * none. A handful of clusters are tracked at once, in fixed slots.
 */
final class ProbeResults {
    private static final int SLOTS = 4;
    private static final double MIN_RECEIVED_RATIO = 0.8;
    private static final double MAX_VALID_RATIO = 2.0;
    private static final double MIN_RATIO_FOR_UNSATURATED = 0.9;
    private static final double TARGET_UTILIZATION = 0.95;
    private static final long MAX_INTERVAL_NANOS = 1_000_000_000L;
    private static final int MIN_RECEIVED_PACKETS = 4;

    private final int[] ids = new int[SLOTS];
    private final long[] minBytes = new long[SLOTS];
    private final long[] firstSent = new long[SLOTS];
    private final long[] lastSent = new long[SLOTS];
    private final int[] lastSentSize = new int[SLOTS];
    private final long[] firstArrived = new long[SLOTS];
    private final int[] firstArrivedSize = new int[SLOTS];
    private final long[] lastArrived = new long[SLOTS];
    private final long[] bytes = new long[SLOTS];
    /** Bytes of our packets outside the cluster that arrived while its packets did: the path delivered them too. */
    private final long[] otherBytes = new long[SLOTS];
    private final int[] packets = new int[SLOTS];
    private final boolean[] checks = new boolean[SLOTS];
    private int nextSlot;
    private long result = -1;
    private long saturated = -1;

    ProbeResults() {
        Arrays.fill(ids, -1);
    }

    /** A cluster starts: its packets are watched for (the oldest tracked cluster gives way). */
    void start(ProbeCluster cluster) {
        int slot = nextSlot;
        nextSlot = (nextSlot + 1) % SLOTS;
        ids[slot] = cluster.id();
        minBytes[slot] = cluster.minBytes();
        packets[slot] = 0;
        bytes[slot] = 0;
        otherBytes[slot] = 0;
        checks[slot] = cluster.check();
    }

    /** A received packet of cluster {@code id}; a new result may follow ({@link #takeResult()}). */
    void onPacket(int id, long sentAt, long arrivedAt, int size) {
        int slot = slotOf(id);
        if (slot < 0) {
            return;
        }
        if (packets[slot] == 0) {
            firstSent[slot] = sentAt;
            lastSent[slot] = sentAt;
            lastSentSize[slot] = size;
            firstArrived[slot] = arrivedAt;
            firstArrivedSize[slot] = size;
            lastArrived[slot] = arrivedAt;
        } else {
            if (sentAt < firstSent[slot]) {
                firstSent[slot] = sentAt;
            }
            if (sentAt >= lastSent[slot]) {
                lastSent[slot] = sentAt;
                lastSentSize[slot] = size;
            }
            if (arrivedAt < firstArrived[slot]) {
                firstArrived[slot] = arrivedAt;
                firstArrivedSize[slot] = size;
            }
            lastArrived[slot] = Math.max(lastArrived[slot], arrivedAt);
        }
        packets[slot]++;
        bytes[slot] += size;
        evaluate(slot);
    }

    /**
     * One of our packets outside any cluster arrived at {@code arrivedAt}. Feedback reports packets in the order
     * they were sent, and the path keeps that order: one reported after a cluster's first arrival and before its
     * next packet arrived between them.
     */
    void onOtherPacket(long arrivedAt, int size) {
        for (int slot = 0; slot < SLOTS; slot++) {
            if (ids[slot] >= 0 && packets[slot] > 0 && arrivedAt >= firstArrived[slot]
                    && arrivedAt - firstArrived[slot] <= MAX_INTERVAL_NANOS) {
                otherBytes[slot] += size;
            }
        }
    }

    private void evaluate(int slot) {
        if (packets[slot] < Math.max(MIN_RECEIVED_PACKETS, ProbeCluster.MIN_PACKETS * MIN_RECEIVED_RATIO)
                || bytes[slot] < minBytes[slot] * MIN_RECEIVED_RATIO) {
            return;
        }
        long sendInterval = lastSent[slot] - firstSent[slot];
        long receiveInterval = lastArrived[slot] - firstArrived[slot];
        if (sendInterval <= 0 || sendInterval > MAX_INTERVAL_NANOS || receiveInterval <= 0 || receiveInterval > MAX_INTERVAL_NANOS) {
            return;
        }
        double sendBps = (bytes[slot] - lastSentSize[slot]) * 8e9 / sendInterval;
        double receiveBps = (bytes[slot] - firstArrivedSize[slot]) * 8e9 / receiveInterval;
        if (receiveBps > MAX_VALID_RATIO * sendBps) {
            return;
        }
        double measured = Math.min(sendBps, receiveBps);
        if (receiveBps < MIN_RATIO_FOR_UNSATURATED * sendBps) {
            // the path was full: what it delivered of ours meanwhile, the cluster's and the rest, is its rate for us
            saturated = (long) (TARGET_UTILIZATION * (bytes[slot] - firstArrivedSize[slot] + otherBytes[slot]) * 8e9 / receiveInterval);
            if (checks[slot]) {
                return; // the path is full at this rate: no room found (see ProbeCluster.check)
            }
            measured = TARGET_UTILIZATION * receiveBps;
        }
        result = (long) measured;
    }

    private int slotOf(int id) {
        for (int i = 0; i < SLOTS; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What the latest probe the path could not carry whole measured since the last call (95 % of the rate our
     * packets arrived at meanwhile: the path's rate for us as far as the probe could fill it), or -1.
     */
    long takeSaturated() {
        long s = saturated;
        saturated = -1;
        return s;
    }

    /** The latest result since the last call, or -1. */
    long takeResult() {
        long r = result;
        result = -1;
        return r;
    }
}
