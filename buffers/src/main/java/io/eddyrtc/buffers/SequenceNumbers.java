package io.eddyrtc.buffers;

/**
 * Serial-number arithmetic for the wrapping counters of RTP, RTCP and SRTP (RFC 1982 style).
 *
 * <p>16-bit RTP sequence numbers and 32-bit RTP timestamps wrap; comparisons take the shorter way
 * round the circle, and extension to 64 bits picks, among the values with the given low bits, the
 * one nearest to a reference. For 16-bit sequence numbers that nearest-value rule is exactly the
 * SRTP rollover-counter estimate of RFC 3711 §3.3.1 (the index guess from ROC-1, ROC or ROC+1), and
 * the extension of RFC 3550 Appendix A.1.
 */
public final class SequenceNumbers {
    private static final int HALF_16 = 1 << 15;

    private SequenceNumbers() {
    }

    /** Signed distance {@code a - b} of two 16-bit sequence numbers, in [-32768, 32767]. */
    public static int diff16(int a, int b) {
        return (short) (a - b);
    }

    /** True if {@code a} comes after {@code b} in 16-bit serial order. Equal values are not newer. */
    public static boolean isNewer16(int a, int b) {
        return diff16(a, b) > 0;
    }

    /** Signed distance {@code a - b} of two 32-bit counters (e.g. RTP timestamps), in [-2^31, 2^31-1]. */
    public static long diff32(long a, long b) {
        return (int) (a - b);
    }

    /** True if {@code a} comes after {@code b} in 32-bit serial order. */
    public static boolean isNewer32(long a, long b) {
        return diff32(a, b) > 0;
    }

    /**
     * Extends a 16-bit sequence number to 64 bits: the value with low bits {@code seq} nearest to
     * {@code reference} (normally the highest extended value seen so far). Never negative: a value
     * that would fall before zero is taken one cycle later.
     */
    public static long extend16(long reference, int seq) {
        long candidate = reference + diff16(seq & 0xFFFF, (int) reference);
        return candidate < 0 ? candidate + (1L << 16) : candidate;
    }

    /** As {@link #extend16} for 32-bit counters such as RTP timestamps. */
    public static long extend32(long reference, long value) {
        long candidate = reference + diff32(value & 0xFFFF_FFFFL, reference);
        return candidate < 0 ? candidate + (1L << 32) : candidate;
    }

    /**
     * The RFC 3711 §3.3.1 rollover-counter estimate, written as the RFC writes it: given the highest
     * sequence number {@code highestSeq} seen with rollover counter {@code roc}, the ROC a packet
     * with {@code seq} most probably belongs to (ROC-1, ROC or ROC+1), as an unsigned 32-bit value.
     * Equivalent to {@code extend16((roc << 16) | highestSeq, seq) >>> 16} away from index 0.
     */
    public static long estimateRoc(long roc, int highestSeq, int seq) {
        if (highestSeq < HALF_16) {
            if (seq - highestSeq > HALF_16) {
                return (roc - 1) & 0xFFFF_FFFFL;
            }
        } else if (highestSeq - HALF_16 > seq) {
            return (roc + 1) & 0xFFFF_FFFFL;
        }
        return roc;
    }
}
