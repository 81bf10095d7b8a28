package io.eddyrtc.engine.internal;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Where one {@code Rtc}'s randomness comes from. {@link #secrets()} feeds whatever a peer or an on-path
 * observer could use to predict, forge or link: ICE credentials, tie-breaker and transaction ids, SSRCs, RTP
 * sequence and timestamp starts, SDP session and msid ids, SCTP verification tags, initial TSNs and cookie
 * key. Those values go out in the clear, and a seeded PRNG's outputs give its seed (and so every other
 * value) away, so in production it is a {@link SecureRandom}. {@link #jitter()} only times retransmissions
 * and consent checks, which guard nothing, and is a fast seeded generator. With a seed (a test or a
 * simulation asked for one) both come from it, so a run repeats exactly.
 */
public final class RandomSources {
    private final SecureRandom secure;
    private final SplittableRandom seeded;
    private final SplittableRandom jitter;

    private RandomSources(SecureRandom secure, SplittableRandom seeded, SplittableRandom jitter) {
        this.secure = secure;
        this.seeded = seeded;
        this.jitter = jitter;
    }

    /** Production: secrets from a {@link SecureRandom}, jitter seeded from it. */
    public static RandomSources secure() {
        SecureRandom secure = new SecureRandom();
        return new RandomSources(secure, null, new SplittableRandom(secure.nextLong()));
    }

    /** Everything from {@code seed}: reproducible, and for tests only. */
    public static RandomSources seeded(long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        return new RandomSources(null, root.split(), root.split());
    }

    /** A source for values that protect the call: the shared {@link SecureRandom}, or a split of the seed. */
    public RandomGenerator secrets() {
        return seeded != null ? seeded.split() : secure;
    }

    /** A source for timer jitter: a split of the seeded generator, one per user. */
    public RandomGenerator jitter() {
        return jitter.split();
    }

    /** True when a seed was given: nothing drawn here is secret. */
    public boolean isSeeded() {
        return seeded != null;
    }
}
