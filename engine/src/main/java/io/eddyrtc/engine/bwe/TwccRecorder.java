package io.eddyrtc.engine.bwe;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.engine.rtcp.TwccReport;
import java.util.Arrays;

/**
 * The receive side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01):
 * remembers when each transport-wide sequence number arrived, and every {@link #INTERVAL_NANOS} turns what
 * arrived since the last feedback into a {@link TwccReport} — received with its arrival time, or lost. The
 * sender's bandwidth estimator (a browser's, for one) lives on that feedback.
 *
 * <p>Sized by need: the ring of arrival times is made with the first numbered packet ({@value #MIN_RING}
 * entries), doubles when more numbers wait for a feedback than it holds (up to {@value #MAX_RING}), and is
 * given back by {@link #trim} once everything is reported and nothing has arrived for a second — a peer
 * without media, or with quiet media, holds none. Its bytes are charged to a {@link MemoryBudget}; refused,
 * packets go unrecorded and no feedback is sent ({@link #refused()}). Allocates only when the ring changes size.
 */
public final class TwccRecorder {
    /** How often feedback goes out while packets arrive (libwebrtc sends every 50–100 ms). */
    public static final long INTERVAL_NANOS = 50_000_000L;
    /** Numbers a jump may skip before the numbering counts as started afresh. */
    private static final int MAX_RING = 4096;
    /** The ring's first size: more than a 50 ms interval of most streams. */
    static final int MIN_RING = 64;
    /** Without packets this long, a fully reported ring is given back. */
    private static final long IDLE_NANOS = 1_000_000_000L;
    private static final long NONE = Long.MIN_VALUE;

    private final MemoryBudget memory;
    /** Arrival time per extended number modulo its length; null until the first packet and after {@link #trim}. */
    private long[] arrivals;
    private final TwccReport report = new TwccReport();
    private boolean started;
    /** The first extended number not yet described in a feedback. */
    private long next;
    /** The highest extended number seen. */
    private long max;
    private int feedbackCount;
    private long mediaSsrc;
    private long dueAt = Long.MAX_VALUE;
    private long lastArrival;
    private long refused;
    /** Numbers one feedback describes at most, so that it fits one datagram of the MTU. */
    private final int maxPerFeedback;

    /** A recorder on its own, charged to nobody. */
    public TwccRecorder(int mtu) {
        this(mtu, MemoryBudget.unlimited());
    }

    /**
     * {@code mtu}: the largest RTCP datagram; a feedback costs at most about three bytes per number (a
     * two-byte delta and its share of a status chunk), plus its headers and SRTCP's. The ring is charged to
     * {@code memory}.
     */
    public TwccRecorder(int mtu, MemoryBudget memory) {
        this.maxPerFeedback = Math.max(16, (mtu - 100) / 3);
        this.memory = memory;
    }

    /** A packet carrying transport-wide sequence number {@code sequence} arrived at {@code now} on {@code ssrc}. */
    public void onPacket(long now, int sequence, long ssrc) {
        long ext;
        if (arrivals == null) {
            if (!resize(MIN_RING)) {
                refused++;
                return;
            }
            started = false;
        }
        if (!started) {
            started = true;
            ext = (1L << 16) + sequence; // one cycle up, so packets reordered before the first stay positive
            next = ext;
            max = ext;
        } else {
            ext = SequenceNumbers.extend16(max, sequence);
            if (ext > max + MAX_RING - 1) {
                // a jump no ring spans (thousands lost, or the sender restarted its numbering): start afresh here
                // rather than fall silent until the 16-bit count comes round again
                Arrays.fill(arrivals, NONE);
                next = ext;
                max = ext;
            } else if (ext > max) {
                long span = ext - Math.min(next, max + 1) + 1; // what waits for feedback, this one included
                if (span > arrivals.length && !resize(ringFor(span))) {
                    refused++;
                    return;
                }
                for (long e = Math.max(max + 1, ext - arrivals.length + 1); e < ext; e++) {
                    arrivals[index(e)] = NONE;
                }
                max = ext;
                next = Math.max(next, max - arrivals.length + 1); // what the ring no longer holds goes unreported
            } else if (ext <= max - arrivals.length) {
                return; // older than the ring remembers: nothing useful to say about it any more
            } else if (ext < next) {
                // reported lost already, or older than the first number seen: report it again from here, as
                // arrived, so the sender's loss estimate does not count a mere reordering (the numbers after it
                // are described again too, which a sender takes in its stride)
                next = ext;
            }
        }
        arrivals[index(ext)] = now;
        lastArrival = now;
        mediaSsrc = ssrc;
        if (dueAt == Long.MAX_VALUE) {
            dueAt = now + INTERVAL_NANOS;
        }
    }

    /** When feedback is next due; {@link Long#MAX_VALUE} while nothing new arrived. */
    public long dueAt() {
        return dueAt;
    }

    /**
     * Describes what arrived since the last feedback (at most as many numbers as fit a datagram; the rest go
     * in the next) and returns the report to write, or null if there is nothing to say.
     */
    public TwccReport nextFeedback(long now) {
        if (!started || next > max) {
            dueAt = Long.MAX_VALUE;
            return null;
        }
        report.begin((int) (next & 0xFFFF), feedbackCount++);
        long e = next;
        for (; e <= max && e - next < maxPerFeedback; e++) {
            long at = arrivals[index(e)];
            boolean added = at == NONE ? report.addLost() : report.addReceived(at);
            if (!added) {
                break; // a delta too large for one report: the rest start the next one
            }
        }
        next = e;
        dueAt = next <= max ? now : Long.MAX_VALUE;
        return report;
    }

    /** The media SSRC a feedback names (the last one a numbered packet came on). */
    public long mediaSsrc() {
        return mediaSsrc;
    }

    /**
     * Gives the ring back if everything recorded has been reported and nothing arrived for a second: call it
     * now and then (each report). The next numbered packet starts a new ring.
     */
    public void trim(long now) {
        if (arrivals != null && next > max && now - lastArrival >= IDLE_NANOS) {
            memory.release((long) arrivals.length * Long.BYTES);
            arrivals = null;
            started = false;
        }
    }

    /** Heap bytes of the ring: 0 without one. */
    public long bytesHeld() {
        return arrivals == null ? 0 : (long) arrivals.length * Long.BYTES;
    }

    /** Packets not recorded for want of memory (see {@link MemoryBudget}). */
    public long refused() {
        return refused;
    }

    private int index(long e) {
        return (int) (e & (arrivals.length - 1));
    }

    private static int ringFor(long span) {
        return (int) Math.min(MAX_RING, Long.highestOneBit(span - 1) << 1);
    }

    /** Moves the arrivals of the numbers the ring holds now into one of {@code size}; false if not charged. */
    private boolean resize(int size) {
        long before = arrivals == null ? 0 : (long) arrivals.length * Long.BYTES;
        if (!memory.tryCharge((long) size * Long.BYTES)) {
            return false;
        }
        long[] grown = new long[size];
        Arrays.fill(grown, NONE);
        if (arrivals != null) {
            for (long e = Math.max(0, max - arrivals.length + 1); e <= max; e++) {
                grown[(int) (e & (size - 1))] = arrivals[index(e)];
            }
            memory.release(before);
        }
        arrivals = grown;
        return true;
    }
}
