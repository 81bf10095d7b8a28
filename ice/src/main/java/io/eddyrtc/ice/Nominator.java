package io.eddyrtc.ice;

/**
 * Decides which pair is selected. The controlling side nominates (RFC 8445 §8.1.1): regular nomination
 * re-checks the best succeeded pair with USE-CANDIDATE once nothing better is pending (or it waited
 * {@code regularNominationWaitNanos} after the first success), aggressive nomination puts USE-CANDIDATE
 * on every check. The controlled side follows USE-CANDIDATE (§7.3.1.5). A better pair that succeeds
 * later takes over, and so does any nominated pair once the selected one has gone stale.
 */
final class Nominator {
    private final IceConfig config;
    private final CheckList checks;
    private final ConsentFreshness consent;
    private long firstSuccessAt = Long.MAX_VALUE;

    Nominator(IceConfig config, CheckList checks, ConsentFreshness consent) {
        this.config = config;
        this.checks = checks;
        this.consent = consent;
    }

    /** A check succeeded at {@code now}; the regular-nomination wait runs from the first. */
    void checkSucceeded(long now) {
        if (firstSuccessAt == Long.MAX_VALUE) {
            firstSuccessAt = now;
        }
    }

    /**
     * {@code pair} is nominated; it becomes the selected one if it beats the current choice (or the
     * current one went stale).
     *
     * @return whether the selected pair changed
     */
    boolean nominate(long now, CandidatePair pair) {
        pair.markNominated();
        CandidatePair selected = consent.selected();
        if (pair == selected) {
            return false;
        }
        boolean better = selected == null || Long.compareUnsigned(pair.priority(), selected.priority()) > 0
                || selected.isStale(now, config.staleSelectedPairNanos());
        if (!better) {
            return false;
        }
        consent.select(now, pair);
        return true;
    }

    /** Regular nomination: queue a nominating check on the best succeeded pair, when it is time to. */
    void considerRegular(long now) {
        CandidatePair best = null;
        boolean betterPending = false;
        for (int i = 0; i < checks.size(); i++) {
            CandidatePair p = checks.get(i);
            if (p.isSucceeded() && !p.isStale(now, config.staleSelectedPairNanos())) {
                best = p;
                break;
            }
            if (p.isPending()) {
                betterPending = true;
            }
        }
        if (best == null || best.nominated() || best.nominating()) {
            return;
        }
        CandidatePair selected = consent.selected();
        if (selected != null && !selected.isStale(now, config.staleSelectedPairNanos())
                && Long.compareUnsigned(best.priority(), selected.priority()) <= 0) {
            return;
        }
        if (betterPending && now < firstSuccessAt + config.regularNominationWaitNanos()) {
            return;
        }
        best.startNominating();
        checks.triggerFirst(best);
    }

    /** When the regular-nomination wait ends, if it is still running; {@code Long.MAX_VALUE} otherwise. */
    long regularWaitEndsAt(long lastNow) {
        if (firstSuccessAt == Long.MAX_VALUE || firstSuccessAt + config.regularNominationWaitNanos() <= lastNow) {
            return Long.MAX_VALUE;
        }
        return firstSuccessAt + config.regularNominationWaitNanos();
    }

    /** An ICE restart starts the wait over. */
    void restart() {
        firstSuccessAt = Long.MAX_VALUE;
    }
}
