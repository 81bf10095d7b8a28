package io.eddyrtc.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.SequenceExtender;
import org.junit.jupiter.api.Test;

class MediaTimeTest {
    @Test
    void convertsBetweenNanosTicksAndRates() {
        assertEquals(90_000, MediaTime.fromNanos(1_000_000_000L, 90_000).ticks());
        assertEquals(960, MediaTime.fromNanos(20_000_000L, 48_000).ticks());
        assertEquals(20_000_000L, MediaTime.of(960, 48_000).toNanos());
        assertEquals(MediaTime.of(48_000, 48_000), MediaTime.of(90_000, 90_000));
        assertEquals(MediaTime.of(48_000, 48_000).hashCode(), MediaTime.of(90_000, 90_000).hashCode());
        assertEquals(1800, MediaTime.of(960, 48_000).rebase(90_000).ticks());
        assertEquals(-90_000, MediaTime.fromNanos(-1_000_000_000L, 90_000).ticks());
        // no overflow for large times: 100 years of nanos at 90 kHz
        long century = 100L * 365 * 86_400 * 1_000_000_000L;
        assertEquals(century, MediaTime.ticksToNanos(MediaTime.nanosToTicks(century, 90_000), 90_000));
    }

    @Test
    void comparesExactlyAcrossRates() {
        MediaTime a = MediaTime.of(1, 90_000); // 11.1 µs
        MediaTime b = MediaTime.of(1, 48_000); // 20.8 µs
        assertTrue(a.isBefore(b));
        assertTrue(b.isAfter(a));
        assertNotEquals(a, b);
        assertEquals(0, MediaTime.of(Long.MAX_VALUE / 2, 90_000).compareTo(MediaTime.of(Long.MAX_VALUE / 2, 90_000)));
        assertTrue(MediaTime.of(Long.MAX_VALUE, 48_000).compareTo(MediaTime.of(Long.MAX_VALUE, 90_000)) > 0);
        assertEquals(MediaTime.of(2 * 960, 48_000), MediaTime.of(960, 48_000).plus(MediaTime.of(1800, 90_000)));
        assertEquals(MediaTime.zero(8000), MediaTime.of(5, 8000).minus(MediaTime.of(5, 8000)));
        assertThrows(IllegalArgumentException.class, () -> MediaTime.of(1, 0));
    }

    @Test
    void extendsRtpTimestampsAcrossThe32BitWrap() {
        SequenceExtender extender = SequenceExtender.thirtyTwoBit();
        MediaTime first = MediaTime.fromRtp(0xFFFF_FF00L, extender, 90_000);
        MediaTime next = MediaTime.fromRtp(0x0000_0100L, extender, 90_000);
        assertEquals(0x200, next.ticks() - first.ticks());
        assertEquals(0x100, next.rtpTimestamp());
        MediaTime late = MediaTime.fromRtp(0xFFFF_FF80L, extender, 90_000);
        assertTrue(late.isAfter(first) && late.isBefore(next));
    }
}
