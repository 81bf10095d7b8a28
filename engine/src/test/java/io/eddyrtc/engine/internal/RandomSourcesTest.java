package io.eddyrtc.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Secrets from a CSPRNG in production; everything from the seed, repeatably, when a test gives one. */
class RandomSourcesTest {

    static long[] draws(RandomGenerator g) {
        return LongStream.range(0, 8).map(i -> g.nextLong()).toArray();
    }

    @Test
    void inProductionEverySecretComesFromSecureRandom() {
        RandomSources sources = RandomSources.secure();
        assertFalse(sources.isSeeded());
        for (int i = 0; i < 4; i++) { // ICE, SDP, media and SCTP each ask for one
            assertInstanceOf(SecureRandom.class, sources.secrets());
        }
    }

    @Test
    void aSeedMakesEverySourceRepeat() {
        RandomSources one = RandomSources.seeded(42);
        RandomSources two = RandomSources.seeded(42);
        assertTrue(one.isSeeded());
        for (int i = 0; i < 3; i++) {
            assertEquals(Arrays.toString(draws(one.secrets())), Arrays.toString(draws(two.secrets())));
            assertEquals(Arrays.toString(draws(one.jitter())), Arrays.toString(draws(two.jitter())));
        }
        assertNotEquals(Arrays.toString(draws(RandomSources.seeded(43).secrets())),
                Arrays.toString(draws(RandomSources.seeded(42).secrets())));
    }

    @Test
    void eachUserOfASeedGetsItsOwnStream() {
        RandomSources sources = RandomSources.seeded(7);
        assertNotEquals(Arrays.toString(draws(sources.secrets())), Arrays.toString(draws(sources.secrets())),
                "SDP's draws do not repeat SCTP's");
    }
}
