package io.eddyrtc.engine.media;

import io.eddyrtc.buffers.SequenceExtender;

/**
 * A media timestamp: a 64-bit count of ticks of a clock running at {@code clockRate} Hz (90 000 for video,
 * 48 000 for Opus), the "media time" of str0m's three notions of time. The RTP header carries only the low
 * 32 bits; {@link #fromRtp} extends them with a per-stream {@link SequenceExtender}.
 *
 * <p>A value type: compare with {@link #compareTo} (exact across clock rates) and {@link #equals} (same
 * instant, any rate). The packet path keeps plain {@code long}s; this is for the API and setup code.
 */
public record MediaTime(long ticks, int clockRate) implements Comparable<MediaTime> {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public MediaTime {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("a clock rate is positive, not " + clockRate);
        }
    }

    public static MediaTime of(long ticks, int clockRate) {
        return new MediaTime(ticks, clockRate);
    }

    /** Zero at {@code clockRate}. */
    public static MediaTime zero(int clockRate) {
        return new MediaTime(0, clockRate);
    }

    /** A duration in nanoseconds as ticks of {@code clockRate}, rounded to the nearest tick. */
    public static MediaTime fromNanos(long nanos, int clockRate) {
        return new MediaTime(nanosToTicks(nanos, clockRate), clockRate);
    }

    /** The 64-bit media time of a 32-bit RTP timestamp, extended by the stream's {@code extender}. */
    public static MediaTime fromRtp(long rtpTimestamp, SequenceExtender extender, int clockRate) {
        return new MediaTime(extender.extend(rtpTimestamp & 0xFFFF_FFFFL), clockRate);
    }

    /** Ticks of {@code clockRate} in {@code nanos}, rounded to nearest, without overflow for any long. */
    public static long nanosToTicks(long nanos, int clockRate) {
        long seconds = Math.floorDiv(nanos, NANOS_PER_SECOND);
        long rest = Math.floorMod(nanos, NANOS_PER_SECOND);
        return seconds * clockRate + (rest * clockRate + NANOS_PER_SECOND / 2) / NANOS_PER_SECOND;
    }

    /** Nanoseconds in {@code ticks} of {@code clockRate}, rounded to nearest. */
    public static long ticksToNanos(long ticks, int clockRate) {
        long seconds = Math.floorDiv(ticks, clockRate);
        long rest = Math.floorMod(ticks, clockRate);
        return seconds * NANOS_PER_SECOND + (rest * NANOS_PER_SECOND + clockRate / 2) / clockRate;
    }

    /** The low 32 bits, as the RTP header carries them. */
    public long rtpTimestamp() {
        return ticks & 0xFFFF_FFFFL;
    }

    public long toNanos() {
        return ticksToNanos(ticks, clockRate);
    }

    public double toSeconds() {
        return (double) ticks / clockRate;
    }

    /** The same instant at another clock rate, rounded to the nearest tick. */
    public MediaTime rebase(int newClockRate) {
        if (newClockRate == clockRate) {
            return this;
        }
        long seconds = Math.floorDiv(ticks, clockRate);
        long rest = Math.floorMod(ticks, clockRate);
        return new MediaTime(seconds * newClockRate + (rest * newClockRate + clockRate / 2) / clockRate, newClockRate);
    }

    public MediaTime plus(MediaTime other) {
        return new MediaTime(ticks + other.rebase(clockRate).ticks, clockRate);
    }

    public MediaTime minus(MediaTime other) {
        return new MediaTime(ticks - other.rebase(clockRate).ticks, clockRate);
    }

    public boolean isBefore(MediaTime other) {
        return compareTo(other) < 0;
    }

    public boolean isAfter(MediaTime other) {
        return compareTo(other) > 0;
    }

    /** Exact comparison across rates: compares ticks·rateB with ticksB·rate in 128 bits. */
    @Override
    public int compareTo(MediaTime o) {
        if (clockRate == o.clockRate) {
            return Long.compare(ticks, o.ticks);
        }
        long aHigh = Math.multiplyHigh(ticks, o.clockRate);
        long aLow = ticks * o.clockRate;
        long bHigh = Math.multiplyHigh(o.ticks, clockRate);
        long bLow = o.ticks * clockRate;
        int high = Long.compare(aHigh, bHigh);
        return high != 0 ? high : Long.compareUnsigned(aLow, bLow);
    }

    /** Equal if the same instant, whatever the rates (1 s at 48 kHz equals 1 s at 90 kHz). */
    @Override
    public boolean equals(Object o) {
        return o instanceof MediaTime m && compareTo(m) == 0;
    }

    @Override
    public int hashCode() {
        // Reduce to lowest terms so equal instants at different rates hash alike.
        long g = gcd(Math.abs(ticks), clockRate);
        long n = ticks / (g == 0 ? 1 : g);
        long d = clockRate / (g == 0 ? clockRate : g);
        return Long.hashCode(n) * 31 + Long.hashCode(d);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public String toString() {
        return ticks + "@" + clockRate + "Hz";
    }
}
