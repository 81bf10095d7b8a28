package io.eddyrtc.engine.rtcp;

import java.util.Arrays;

/**
 * Transport-wide congestion control feedback in decoded form
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): for each transport sequence number from
 * the base, whether it arrived and, if so, its receive delta. It is what {@link TransportFeedback}
 * decodes into and what {@link RtcpWriter#transportFeedback} encodes from.
 *
 * <p>One instance is reused: {@link #begin} clears it without releasing its arrays, which grow to
 * the largest report seen (at most 65535 packets) and are then kept, so steady state allocates
 * nothing.
 *
 * <p>To build a report from recorded arrival times, call {@link #begin} and then
 * {@link #addLost()} or {@link #addReceived(long)} for each sequence number in order. Times are
 * nanoseconds from any monotonic origin that is the same for every report of one stream; the
 * reference time is that clock in 64 ms units, modulo 2^24, as the draft's 24-bit field holds it.
 */
public final class TwccReport {
    /** Status symbol: the packet has not been received. */
    public static final int NOT_RECEIVED = 0;
    /** Status symbol: received, with a one-byte delta of 0..255 ticks. */
    public static final int SMALL_DELTA = 1;
    /** Status symbol: received, with a two-byte signed delta. */
    public static final int LARGE_DELTA = 2;
    /** Receive deltas count in 250 µs ticks. */
    public static final long TICK_NANOS = 250_000;
    /** The reference time counts in 64 ms units (256 ticks). */
    public static final long REFERENCE_NANOS = 64_000_000;
    /** What {@link #arrivalTimesNanos} gives a packet that was not received. */
    public static final long NOT_RECEIVED_TIME = Long.MIN_VALUE;
    /** The most packets one report can describe (the status count is 16 bits). */
    public static final int MAX_PACKETS = 0xFFFF;
    private static final int TICKS_PER_REFERENCE = 256;

    private int baseSequence;
    private int feedbackCount;
    private int referenceTime;
    private int count;
    private byte[] status = new byte[0];
    private int[] delta = new int[0];
    /** Running receive time in ticks of the last received packet while building, and whether there was one. */
    private long lastTicks;
    private boolean anyReceived;

    /** Clears the report to describe packets from {@code baseSequence} on; {@code feedbackCount} is the 8-bit packet counter. */
    public void begin(int baseSequence, int feedbackCount) {
        this.baseSequence = baseSequence & 0xFFFF;
        this.feedbackCount = feedbackCount & 0xFF;
        this.referenceTime = 0;
        this.count = 0;
        this.anyReceived = false;
        this.lastTicks = 0;
    }

    /** Appends a sequence number that has not arrived; false if the report is full. */
    public boolean addLost() {
        if (count == MAX_PACKETS) {
            return false;
        }
        ensureCapacity(count + 1);
        status[count] = NOT_RECEIVED;
        delta[count] = 0;
        count++;
        return true;
    }

    /**
     * Appends a sequence number that arrived at {@code arrivalNanos}. The first received packet sets
     * the reference time. Returns false, adding nothing, if the report is full or the delta from the
     * previous received packet does not fit 16 bits (more than ~8 s): the caller then starts a new
     * report from this packet.
     */
    public boolean addReceived(long arrivalNanos) {
        if (count == MAX_PACKETS) {
            return false;
        }
        long ticks = Math.floorDiv(arrivalNanos, TICK_NANOS);
        if (!anyReceived) {
            long reference = Math.floorDiv(arrivalNanos, REFERENCE_NANOS);
            referenceTime = (int) (reference & 0xFF_FFFF);
            lastTicks = reference * TICKS_PER_REFERENCE;
        }
        long d = ticks - lastTicks;
        if (d < Short.MIN_VALUE || d > Short.MAX_VALUE) {
            return false;
        }
        ensureCapacity(count + 1);
        status[count] = (byte) (d >= 0 && d <= 0xFF ? SMALL_DELTA : LARGE_DELTA);
        delta[count] = (int) d;
        count++;
        lastTicks = ticks;
        anyReceived = true;
        return true;
    }

    /** Prepares for decoding: sets the header fields and makes room for {@code count} packets. */
    void beginDecode(int baseSequence, int count, int referenceTime, int feedbackCount) {
        begin(baseSequence, feedbackCount);
        this.referenceTime = referenceTime & 0xFF_FFFF;
        ensureCapacity(count);
        this.count = count;
    }

    void setStatus(int i, int symbol) {
        status[i] = (byte) symbol;
        delta[i] = 0;
    }

    void setDelta(int i, int ticks) {
        delta[i] = ticks;
    }

    private void ensureCapacity(int needed) {
        if (needed > status.length) {
            int size = Math.min(MAX_PACKETS, Math.max(needed, Math.max(64, status.length * 2)));
            status = Arrays.copyOf(status, size);
            delta = Arrays.copyOf(delta, size);
        }
    }

    /** The transport sequence number of the first packet described. */
    public int baseSequence() {
        return baseSequence;
    }

    /** How many sequence numbers the report describes (the packet status count). */
    public int packetCount() {
        return count;
    }

    /** The transport sequence number of packet {@code i}. */
    public int sequenceNumber(int i) {
        return (baseSequence + i) & 0xFFFF;
    }

    /** The 24-bit reference time in 64 ms units (wraps; unwrap it against the previous report). */
    public int referenceTime() {
        return referenceTime;
    }

    /** The 8-bit feedback packet count, for telling lost feedback from reordered. */
    public int feedbackCount() {
        return feedbackCount;
    }

    /** {@link #NOT_RECEIVED}, {@link #SMALL_DELTA} or {@link #LARGE_DELTA} for packet {@code i}. */
    public int status(int i) {
        return status[i];
    }

    public boolean received(int i) {
        return status[i] != NOT_RECEIVED;
    }

    /**
     * The receive delta of packet {@code i} in 250 µs ticks: from the previous received packet, or
     * from the reference time for the first one. 0 for a packet not received.
     */
    public int deltaTicks(int i) {
        return delta[i];
    }

    /**
     * Writes the receive time of packets {@code 0 .. min(packetCount, out.length)} into {@code out} and
     * returns how many: nanoseconds on the sender of the feedback's clock as the report carries it
     * (reference time × 64 ms, plus the deltas so far), or {@link #NOT_RECEIVED_TIME}. That clock
     * wraps every 2^24 × 64 ms (about 12 days): unwrap {@link #referenceTime()} across reports before
     * comparing times from different ones.
     */
    public int arrivalTimesNanos(long[] out) {
        int n = Math.min(count, out.length);
        long ticks = (long) referenceTime * TICKS_PER_REFERENCE;
        for (int i = 0; i < n; i++) {
            if (status[i] == NOT_RECEIVED) {
                out[i] = NOT_RECEIVED_TIME;
            } else {
                ticks += delta[i];
                out[i] = ticks * TICK_NANOS;
            }
        }
        return n;
    }

    /** Number of packets marked received. */
    public int receivedCount() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (status[i] != NOT_RECEIVED) {
                n++;
            }
        }
        return n;
    }
}
