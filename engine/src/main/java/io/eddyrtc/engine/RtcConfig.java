package io.eddyrtc.engine;

import io.eddyrtc.ice.IceConfig;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * How an {@link Rtc} is set up; built with {@link Rtc#builder()}. Immutable, so one config can build
 * thousands of peers.
 *
 * @param ice         ICE timers, nomination and lite mode
 * @param randomSeed  seed for ICE credentials, tie-breaker and transaction ids; {@code null} means a
 *                    seed from {@link SecureRandom} (production); tests pass one to be deterministic
 */
public record RtcConfig(IceConfig ice, Long randomSeed) {

    public RtcConfig {
        Objects.requireNonNull(ice, "ice: use IceConfig.defaults()");
    }

    /** The random source for one new Rtc. */
    RandomGenerator newRandom() {
        return new SplittableRandom(randomSeed != null ? randomSeed : new SecureRandom().nextLong());
    }

    /** Collects settings; every setter has a sensible default. */
    public static final class Builder {
        private IceConfig ice = IceConfig.defaults();
        private Long randomSeed;

        Builder() {
        }

        /** ICE-lite (RFC 8445 §2.5): answer checks only, never send any; for servers on a public address. */
        public Builder iceLite(boolean lite) {
            this.ice = ice.withLite(lite);
            return this;
        }

        /** Replaces the whole ICE configuration (timers, nomination). */
        public Builder ice(IceConfig config) {
            this.ice = Objects.requireNonNull(config, "config: use IceConfig.defaults()");
            return this;
        }

        /** Makes credentials, tie-breakers and transaction ids reproducible (tests, simulations). */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        public RtcConfig config() {
            return new RtcConfig(ice, randomSeed);
        }

        public Rtc build() {
            return new Rtc(config());
        }
    }
}
