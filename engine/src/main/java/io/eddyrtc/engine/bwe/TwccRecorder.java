package io.eddyrtc.engine.bwe;

import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.engine.rtcp.TwccReport;
import java.util.Arrays;

/**
 * The receive side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01):
 * remembers when each transport-wide sequence number arrived, and every {@link #INTERVAL_NANOS} turns what
 * arrived since the last feedback into a {@link TwccReport} — received with its arrival time, or lost. The
 * sender's bandwidth estimator (a browser's, for one) lives on that feedback. Allocates nothing per packet.
 */
public final class TwccRecorder {
    /** How often feedback goes out while packets arrive (libwebrtc sends every 50–100 ms). */
    public static final long INTERVAL_NANOS = 50_000_000L;
    /** Sequence numbers remembered; far more than arrive in one interval. */
    private static final int RING = 4096;
    private static final int MASK = RING - 1;
    private static final long NONE = Long.MIN_VALUE;

    private final long[] arrivals = new long[RING];
    private final TwccReport report = new TwccReport();
    private boolean started;
    /** The first extended number not yet described in a feedback. */
    private long next;
    /** The highest extended number seen. */
    private long max;
    private int feedbackCount;
    private long mediaSsrc;
    private long dueAt = Long.MAX_VALUE;
    /** Numbers one feedback describes at most, so that it fits one datagram of the MTU. */
    private final int maxPerFeedback;

    /**
     * {@code mtu}: the largest RTCP datagram; a feedback costs at most about three bytes per number (a
     * two-byte delta and its share of a status chunk), plus its headers and SRTCP's.
     */
    public TwccRecorder(int mtu) {
        this.maxPerFeedback = Math.max(16, (mtu - 100) / 3);
        Arrays.fill(arrivals, NONE);
    }

    /** A packet carrying transport-wide sequence number {@code sequence} arrived at {@code now} on {@code ssrc}. */
    public void onPacket(long now, int sequence, long ssrc) {
        long ext;
        if (!started) {
            started = true;
            ext = (1L << 16) + sequence; // one cycle up, so packets reordered before the first stay positive
            next = ext;
            max = ext;
        } else {
            ext = SequenceNumbers.extend16(max, sequence);
            if (ext < max - (RING - 1)) {
                return; // older than the ring remembers: nothing useful to say about it any more
            }
            if (ext > max + RING - 1) {
                // a jump the ring cannot span (thousands lost, or the sender restarted its numbering): start
                // afresh here rather than fall silent until the 16-bit count comes round again
                Arrays.fill(arrivals, NONE);
                next = ext;
                max = ext;
            } else if (ext > max) {
                for (long e = max + 1; e < ext; e++) {
                    arrivals[(int) (e & MASK)] = NONE;
                }
                max = ext;
            } else if (ext < next) {
                // reported lost already, or older than the first number seen: report it again from here, as
                // arrived, so the sender's loss estimate does not count a mere reordering (the numbers after it
                // are described again too, which a sender takes in its stride)
                next = ext;
            }
        }
        arrivals[(int) (ext & MASK)] = now;
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
            long at = arrivals[(int) (e & MASK)];
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
}
