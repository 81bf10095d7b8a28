package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A channel's reliability is checked once, where it is made, with a message that says what to pass. */
class ChannelReliabilityTest {

    @Test
    void bothLimitsAtOnceAreRefusedWithTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ChannelReliability(true, 3, 100));
        assertTrue(e.getMessage().contains("not both") && e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void aNegativeLimitOtherThanMinusOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ChannelReliability(false, -2, -1));
        assertTrue(e.getMessage().contains("-1 for no limit"), e.getMessage());
    }

    @Test
    void eachKindSaysWhatItIs() {
        assertTrue(ChannelReliability.reliable(true).isReliable());
        assertFalse(ChannelReliability.maxRetransmits(false, 0).isReliable(), "0 retransmissions: sent once");
        assertEquals(-1, ChannelReliability.maxRetransmits(false, 0).maxLifetimeNanos());
        assertEquals(250_000_000L, ChannelReliability.maxLifetime(true, 250).maxLifetimeNanos());
        assertEquals(Long.MAX_VALUE / 1_000_000L * 1_000_000L, ChannelReliability.maxLifetime(true, Long.MAX_VALUE).maxLifetimeNanos(),
                "a lifetime too long for nanoseconds saturates instead of wrapping negative");
    }
}
