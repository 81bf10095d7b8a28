package io.eddyrtc.buffers;

/**
 * Stateful extension of a wrapping counter (16-bit RTP sequence numbers or 32-bit RTP timestamps) to
 * 64 bits, tracking the highest value seen. Late and reordered values extend relative to that highest
 * value, so they land in the right cycle; newer values move it forward.
 *
 * <p>Allocation-free; one per stream.
 */
public final class SequenceExtender {
    private final int bits;
    private long highest;
    private boolean started;

    private SequenceExtender(int bits) {
        this.bits = bits;
    }

    /** For 16-bit RTP sequence numbers. */
    public static SequenceExtender sixteenBit() {
        return new SequenceExtender(16);
    }

    /** For 32-bit counters such as RTP timestamps. */
    public static SequenceExtender thirtyTwoBit() {
        return new SequenceExtender(32);
    }

    /**
     * The 64-bit value of {@code value} (of which only the low {@code bits} count). The first value seen
     * extends to itself, so cycle 0.
     */
    public long extend(long value) {
        long extended;
        if (!started) {
            extended = bits == 16 ? value & 0xFFFF : value & 0xFFFF_FFFFL;
            started = true;
            highest = extended;
            return extended;
        }
        extended = bits == 16 ? SequenceNumbers.extend16(highest, (int) value) : SequenceNumbers.extend32(highest, value);
        if (extended > highest) {
            highest = extended;
        }
        return extended;
    }

    /** The highest extended value so far; meaningless before the first {@link #extend}. */
    public long highest() {
        return highest;
    }

    public boolean hasStarted() {
        return started;
    }

    /** Forgets everything, e.g. when a stream's source changes. */
    public void reset() {
        started = false;
        highest = 0;
    }
}
