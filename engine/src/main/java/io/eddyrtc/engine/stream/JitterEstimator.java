package io.eddyrtc.engine.stream;

import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.engine.media.MediaTime;

/**
 * Interarrival jitter (RFC 3550 §6.4.1, computed as in A.8): the mean deviation of the difference in
 * transit time between consecutive packets, in RTP timestamp units, smoothed with gain 1/16. Arrival time
 * is the caller's monotonic nanoseconds converted to the stream's clock rate; RTP timestamps are compared
 * as 32-bit serial numbers, so the 2^32 wrap is invisible.
 */
final class JitterEstimator {
    private final int clockRate;
    private boolean primed;
    private long previousArrival;
    private long previousTimestamp;
    /** Jitter times 16, the fixed-point form of A.8, so the 1/16 gain loses nothing to rounding. */
    private long jitterQ4;

    JitterEstimator(int clockRate) {
        this.clockRate = clockRate;
    }

    void update(long nowNanos, long rtpTimestamp) {
        long arrival = MediaTime.nanosToTicks(nowNanos, clockRate);
        if (primed) {
            long d = (arrival - previousArrival) - SequenceNumbers.diff32(rtpTimestamp, previousTimestamp);
            jitterQ4 += Math.abs(d) - ((jitterQ4 + 8) >> 4);
        }
        primed = true;
        previousArrival = arrival;
        previousTimestamp = rtpTimestamp & 0xFFFF_FFFFL;
    }

    /** Forgets the previous packet (after a source restart), keeping the estimate. */
    void resetReference() {
        primed = false;
    }

    /** The jitter in RTP timestamp units, as a report block carries it. */
    long jitter() {
        return jitterQ4 >> 4;
    }

    long jitterNanos() {
        return MediaTime.ticksToNanos(jitter(), clockRate);
    }
}
