package io.eddyrtc.buffers;

/**
 * NTP timestamps as RTCP carries them (RFC 3550 §4, RFC 5905): the 64-bit form (32 bits of seconds
 * since 1900, 32 bits of fraction), its middle 32 bits (the "compact" form used by LSR), and
 * durations in units of 1/65536 s (DLSR).
 *
 * <p>eddy never reads a clock: wallclock values arrive as nanoseconds since the Unix epoch from the
 * caller. Conversions round so that nanos → NTP → nanos gives back the same value.
 */
public final class NtpTime {
    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
    public static final long UNIX_EPOCH_IN_NTP_SECONDS = 2_208_988_800L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private NtpTime() {
    }

    /** The 64-bit NTP timestamp of a Unix-epoch time in nanoseconds (era 0; wraps in 2036 as NTP does). */
    public static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS_PER_SECOND);
        long nanos = Math.floorMod(unixNanos, NANOS_PER_SECOND);
        long fraction = (nanos << 32) / NANOS_PER_SECOND;
        return ((seconds + UNIX_EPOCH_IN_NTP_SECONDS) << 32) | fraction;
    }

    /**
     * The Unix-epoch nanoseconds of a 64-bit NTP timestamp, taking the seconds field as unsigned in
     * era 0 (1900–2036).
     */
    public static long toUnixNanos(long ntp64) {
        long seconds = (ntp64 >>> 32) - UNIX_EPOCH_IN_NTP_SECONDS;
        long fraction = ntp64 & 0xFFFF_FFFFL;
        return seconds * NANOS_PER_SECOND + ((fraction * NANOS_PER_SECOND + (1L << 31)) >>> 32);
    }

    /** The middle 32 bits of a 64-bit NTP timestamp, as RTCP's LSR field holds it. */
    public static long compact(long ntp64) {
        return (ntp64 >>> 16) & 0xFFFF_FFFFL;
    }

    /** A duration in nanoseconds as a 32-bit count of 1/65536 s (DLSR, RTT), saturating at 2^32-1. */
    public static long durationToCompact(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        if (nanos >= 65_536L * NANOS_PER_SECOND) {
            return 0xFFFF_FFFFL;
        }
        return Math.min(((nanos << 16) + NANOS_PER_SECOND / 2) / NANOS_PER_SECOND, 0xFFFF_FFFFL);
    }

    /** A 32-bit count of 1/65536 s (DLSR, compact NTP differences) in nanoseconds. */
    public static long compactToDuration(long compact) {
        return ((compact & 0xFFFF_FFFFL) * NANOS_PER_SECOND + (1L << 15)) >>> 16;
    }
}
