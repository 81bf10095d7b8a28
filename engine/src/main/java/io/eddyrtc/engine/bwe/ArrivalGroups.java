package io.eddyrtc.engine.bwe;

/**
 * Packets sent close together, taken as one group, and the delay variation between consecutive groups: how
 * much longer (or shorter) the second group took to arrive after the first than it took to leave after it.
 * One packet's delay is noisy; a group's is a steadier sign of a queue growing or draining (libwebrtc's
 * {@code InterArrival}). A group is what left within {@link #GROUP_NANOS} of its first packet, plus packets
 * that left later but arrived in the same burst (a queue releasing them back to back, faster than the
 * bottleneck serializes them once packet pairs have shown its rate). Packets fed out of send order are
 * skipped. Allocates nothing.
 */
final class ArrivalGroups {
    /** Packets that leave within this of a group's first belong to it. */
    static final long GROUP_NANOS = 5_000_000L;
    /** A packet arriving within this of the group's last, and sooner than it was sent after it, is part of a burst. */
    private static final long BURST_NANOS = 5_000_000L;
    /** A burst is cut at this length, so that a long queue release still gives deltas. */
    private static final long MAX_BURST_NANOS = 100_000_000L;
    /** A jump this large between groups is a clock or route change, not a queue: start again. */
    private static final long RESET_NANOS = 3_000_000_000L;

    /**
     * A burst is what arrives faster than the bottleneck could have delivered it: under this share of the time
     * the link takes to serialize the packet. Packets arriving at the link's own spacing came through its queue
     * one after another; merging them would make one group of a standing queue's whole release.
     */
    private static final double BURST_SERIALIZATION_SHARE = 0.5;

    private long linkBps = -1;
    private boolean current;
    private long firstSent;
    private long firstArrived;
    private long lastSent;
    private long lastArrived;
    private boolean previous;
    private long previousSent;
    private long previousArrived;

    private long sendDelta;
    private long arrivalDelta;
    private long groupArrival;

    /** The bottleneck's rate from packet pairs ({@link BottleneckRate}), or -1 while unknown. */
    void setLinkRate(long bps) {
        linkBps = bps;
    }

    /** {@link #add(long, long, int)} for a packet of unknown size: a burst by arrival alone. */
    boolean add(long sentAt, long arrivedAt) {
        return add(sentAt, arrivedAt, 0);
    }

    /**
     * Adds one received packet of {@code bytes}. Returns true when it closed a group that follows another, and
     * then {@link #sendDelta()}, {@link #arrivalDelta()} and {@link #arrival()} describe the closed group against
     * the one before it.
     */
    boolean add(long sentAt, long arrivedAt, int bytes) {
        if (!current) {
            start(sentAt, arrivedAt);
            return false;
        }
        if (sentAt < firstSent) {
            return false; // sent before the group began: out of order, nothing to learn
        }
        if (belongs(sentAt, arrivedAt, bytes)) {
            lastSent = Math.max(lastSent, sentAt);
            lastArrived = Math.max(lastArrived, arrivedAt);
            return false;
        }
        boolean delta = false;
        if (previous) {
            sendDelta = lastSent - previousSent;
            arrivalDelta = lastArrived - previousArrived;
            groupArrival = lastArrived;
            // groups that arrived in the other order, or a jump, say nothing about a queue: skip the pair
            delta = arrivalDelta >= 0 && arrivalDelta - sendDelta <= RESET_NANOS;
        }
        previous = true;
        previousSent = lastSent;
        previousArrived = lastArrived;
        start(sentAt, arrivedAt);
        return delta;
    }

    private boolean belongs(long sentAt, long arrivedAt, int bytes) {
        if (sentAt == lastSent) {
            return true;
        }
        long arrival = arrivedAt - lastArrived;
        long propagation = arrival - (sentAt - lastSent);
        if (propagation < 0 && arrival <= BURST_NANOS && arrivedAt - firstArrived < MAX_BURST_NANOS
                && fasterThanLink(arrival, bytes)) {
            return true;
        }
        return sentAt - firstSent <= GROUP_NANOS;
    }

    private boolean fasterThanLink(long arrival, int bytes) {
        return linkBps <= 0 || bytes <= 0 || arrival < BURST_SERIALIZATION_SHARE * bytes * 8e9 / linkBps;
    }

    private void start(long sentAt, long arrivedAt) {
        current = true;
        firstSent = sentAt;
        firstArrived = arrivedAt;
        lastSent = sentAt;
        lastArrived = arrivedAt;
    }

    /** The closed group's departure after the one before it (their last packets'). */
    long sendDelta() {
        return sendDelta;
    }

    /** The closed group's arrival after the one before it. */
    long arrivalDelta() {
        return arrivalDelta;
    }

    /** When the closed group's last packet arrived (the peer's clock). */
    long arrival() {
        return groupArrival;
    }
}
