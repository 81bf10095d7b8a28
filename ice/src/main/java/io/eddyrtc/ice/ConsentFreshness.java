package io.eddyrtc.ice;

import java.util.random.RandomGenerator;

/**
 * Consent freshness (RFC 7675) of the pair media uses: which pair that is (the selected one, or during
 * an ICE restart the previous generation's, until the new one nominates), when its next consent check
 * is due, and when its consent runs out.
 */
final class ConsentFreshness {
    private final IceConfig config;
    private final RandomGenerator jitter;
    private CandidatePair selected;
    /** During an ICE restart: the pair media keeps using until the new generation nominates one. */
    private CandidatePair previous;
    private long nextCheckAt = Long.MAX_VALUE;

    ConsentFreshness(IceConfig config, RandomGenerator jitter) {
        this.config = config;
        this.jitter = jitter;
    }

    CandidatePair selected() {
        return selected;
    }

    /** The pair media goes on: the selected one, else the previous generation's during a restart, else null. */
    CandidatePair mediaPair() {
        return selected != null ? selected : previous;
    }

    void select(long now, CandidatePair pair) {
        selected = pair;
        previous = null;
        nextCheckAt = now + jitteredInterval();
    }

    /** A consent check on the selected pair is due (full agents only; a lite agent never sends one). */
    boolean checkDue(long now) {
        return selected != null && now >= nextCheckAt;
    }

    /**
     * Schedules the next consent check after one was sent: a jittered interval later, whether or not the last
     * was answered. RFC 7675 §5.1 sends each check once (a fresh transaction, never retransmitted) and never
     * sooner than 0.8 of the interval; with the default 5 s, six checks fit the 30 s consent timeout, so only
     * six lost round trips in a row cost consent.
     */
    void scheduleNext(long now) {
        nextCheckAt = now + jitteredInterval();
    }

    /** When the next consent check is due; {@code Long.MAX_VALUE} with no selected pair. */
    long nextCheckAt() {
        return selected != null ? nextCheckAt : Long.MAX_VALUE;
    }

    /**
     * When consent on {@code pair} runs out: the consent timeout after the peer's last answer (a full
     * agent) or last check (a lite agent, which sends none); {@code Long.MAX_VALUE} before the first.
     */
    long expiresAt(CandidatePair pair) {
        long last = config.lite() ? pair.lastRequestAt() : pair.lastResponseAt();
        return last == Long.MIN_VALUE ? Long.MAX_VALUE : last + config.consentTimeoutNanos();
    }

    /**
     * An ICE restart: media stays on the selected pair until the new generation nominates one. That pair
     * cannot be consent-checked any more (its credentials are gone), so its consent simply runs out if the
     * new generation never gets nominated.
     */
    void restart() {
        if (selected != null) {
            previous = selected;
        }
        selected = null;
        nextCheckAt = Long.MAX_VALUE;
    }

    void clear() {
        selected = null;
        previous = null;
        nextCheckAt = Long.MAX_VALUE;
    }

    /** RFC 7675 §5.1: the interval randomised to 0.8..1.2 of the base. */
    private long jitteredInterval() {
        long base = config.consentIntervalNanos();
        return base * 8 / 10 + (long) (jitter.nextDouble() * base * 4 / 10);
    }
}
