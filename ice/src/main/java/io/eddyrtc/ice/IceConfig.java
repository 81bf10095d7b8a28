package io.eddyrtc.ice;

/**
 * Timers and choices of the agent. Defaults follow str0m's figures (50 ms pacing, 250 ms first
 * retransmission doubling to 3 s, 9 transmits) and RFC 7675 (consent checks randomised to 0.8..1.2
 * of the interval, here 3 s like browsers; consent lost after 30 s).
 *
 * @param trickleGraceNanos once every pair has failed, how long to wait for more remote candidates
 *     before declaring FAILED when the peer never sends end-of-candidates (many don't);
 *     {@code Long.MAX_VALUE} waits for end-of-candidates strictly
 */
public record IceConfig(
        long checkIntervalNanos,
        long initialRtoNanos,
        long maxRtoNanos,
        int maxTransmits,
        long consentIntervalNanos,
        long consentTimeoutNanos,
        long regularNominationWaitNanos,
        long staleSelectedPairNanos,
        Nomination nomination,
        boolean lite,
        int maxPairs,
        long trickleGraceNanos) {

    private static final long MS = 1_000_000L;

    public IceConfig {
        if (checkIntervalNanos <= 0 || initialRtoNanos <= 0 || maxRtoNanos < initialRtoNanos || maxTransmits < 1
                || consentIntervalNanos <= 0 || consentTimeoutNanos <= consentIntervalNanos || maxPairs < 1
                || trickleGraceNanos < 0) {
            throw new IllegalArgumentException("IceConfig needs positive timers, maxRto >= initialRto, "
                    + "consentTimeout > consentInterval and at least one transmit and pair; start from IceConfig.defaults()");
        }
        if (nomination == null) {
            throw new IllegalArgumentException("nomination must be REGULAR or AGGRESSIVE");
        }
    }

    public static IceConfig defaults() {
        return new IceConfig(50 * MS, 250 * MS, 3000 * MS, 9, 3000 * MS, 30_000 * MS, 300 * MS, 7_500 * MS,
                Nomination.REGULAR, false, 100, 10_000 * MS);
    }

    public IceConfig withLite(boolean value) {
        return new IceConfig(checkIntervalNanos, initialRtoNanos, maxRtoNanos, maxTransmits, consentIntervalNanos,
                consentTimeoutNanos, regularNominationWaitNanos, staleSelectedPairNanos, nomination, value, maxPairs,
                trickleGraceNanos);
    }

    public IceConfig withNomination(Nomination value) {
        return new IceConfig(checkIntervalNanos, initialRtoNanos, maxRtoNanos, maxTransmits, consentIntervalNanos,
                consentTimeoutNanos, regularNominationWaitNanos, staleSelectedPairNanos, value, lite, maxPairs,
                trickleGraceNanos);
    }

    public IceConfig withRetransmission(long initialRto, long maxRto, int transmits) {
        return new IceConfig(checkIntervalNanos, initialRto, maxRto, transmits, consentIntervalNanos,
                consentTimeoutNanos, regularNominationWaitNanos, staleSelectedPairNanos, nomination, lite, maxPairs,
                trickleGraceNanos);
    }

    public IceConfig withConsent(long interval, long timeout) {
        return new IceConfig(checkIntervalNanos, initialRtoNanos, maxRtoNanos, maxTransmits, interval, timeout,
                regularNominationWaitNanos, staleSelectedPairNanos, nomination, lite, maxPairs, trickleGraceNanos);
    }

    public IceConfig withCheckInterval(long nanos) {
        return new IceConfig(nanos, initialRtoNanos, maxRtoNanos, maxTransmits, consentIntervalNanos,
                consentTimeoutNanos, regularNominationWaitNanos, staleSelectedPairNanos, nomination, lite, maxPairs,
                trickleGraceNanos);
    }

    public IceConfig withTrickleGrace(long nanos) {
        return new IceConfig(checkIntervalNanos, initialRtoNanos, maxRtoNanos, maxTransmits, consentIntervalNanos,
                consentTimeoutNanos, regularNominationWaitNanos, staleSelectedPairNanos, nomination, lite, maxPairs,
                nanos);
    }
}
