package io.eddyrtc.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedExtension.class)
class NtpTimeTest {

    @Test
    void unixEpochIsNtpSecond2208988800() {
        assertEquals(2_208_988_800L << 32, NtpTime.fromUnixNanos(0));
        assertEquals(0, NtpTime.toUnixNanos(2_208_988_800L << 32));
    }

    @Test
    void halfASecondIsHalfTheFraction() {
        long ntp = NtpTime.fromUnixNanos(1_500_000_000L);
        assertEquals(2_208_988_801L, ntp >>> 32);
        assertEquals(0x8000_0000L, ntp & 0xFFFF_FFFFL);
    }

    @Test
    void knownTimestamp() {
        // 2024-01-01T00:00:00Z = 1704067200 Unix seconds = 3913056000 NTP seconds.
        long ntp = NtpTime.fromUnixNanos(1_704_067_200_000_000_000L);
        assertEquals(3_913_056_000L, ntp >>> 32);
        assertEquals(0, ntp & 0xFFFF_FFFFL);
    }

    @Test
    void nanosRoundTripExactly(@Seed long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 100_000; i++) {
            long nanos = (long) random.nextInt(2_000_000_000) * 1_000_000_000L + random.nextInt(1_000_000_000);
            assertEquals(nanos, NtpTime.toUnixNanos(NtpTime.fromUnixNanos(nanos)), "nanos " + nanos);
        }
    }

    @Test
    void compactFormIsTheMiddle32Bits() {
        assertEquals(0x5678_9ABCL, NtpTime.compact(0x1234_5678_9ABC_DEF0L));
    }

    @Test
    void dlsrUnitsAreSixtyFiveThousandthsOfASecond() {
        assertEquals(65536, NtpTime.durationToCompact(1_000_000_000L));
        assertEquals(1_000_000_000L, NtpTime.compactToDuration(65536));
        assertEquals(32768, NtpTime.durationToCompact(500_000_000L));
        assertEquals(0, NtpTime.durationToCompact(-5));
        assertEquals(0xFFFF_FFFFL, NtpTime.durationToCompact(Long.MAX_VALUE), "saturates instead of wrapping");
        assertEquals(15_259, NtpTime.compactToDuration(1), "one unit is about 15.26 microseconds");
    }

    @Test
    void rttFromLsrAndDlsrAsRfc3550Section6_4_1() {
        // The RFC's example: A = 0xb710_8000 (46864.5 s), LSR = 0xb705_2000 (46853.125 s), DLSR = 0x0005_4000 (5.25 s).
        long arrival = 0xB710_8000L;
        long lsr = 0xB705_2000L;
        long dlsr = 0x0005_4000L;
        long rtt = NtpTime.compactToDuration((arrival - lsr - dlsr) & 0xFFFF_FFFFL);
        assertEquals(6_125_000_000L, rtt);
    }
}
