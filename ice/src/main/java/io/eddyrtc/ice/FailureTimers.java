package io.eddyrtc.ice;

/**
 * When the agent gives up on a check list in which every pair has failed: at once if the peer sent
 * end-of-candidates, else after the trickle grace since the last remote candidate or failed pair
 * (many peers never send end-of-candidates).
 */
final class FailureTimers {
    private final IceConfig config;
    /** When the check list last grew with a remote candidate; the trickle grace runs from here. */
    private long lastRemoteCandidateAt;
    /** A remote candidate arrived between clock readings; stamp it with the next {@code now}. */
    private boolean remoteCandidateUnstamped;
    /** When a pair last failed; with the above, where the trickle grace starts. */
    private long lastPairFailedAt = Long.MIN_VALUE;

    FailureTimers(IceConfig config) {
        this.config = config;
    }

    /** A signalled remote candidate arrived (outside the clock: it is stamped by the next reading). */
    void remoteCandidateSignalled() {
        remoteCandidateUnstamped = true;
    }

    /** A peer-reflexive remote candidate was learnt from a check at {@code now}. */
    void remoteCandidateLearnt(long now) {
        lastRemoteCandidateAt = now;
    }

    void pairFailed(long now) {
        lastPairFailedAt = now;
    }

    void clockAdvanced(long now) {
        if (remoteCandidateUnstamped) {
            lastRemoteCandidateAt = now;
            remoteCandidateUnstamped = false;
        }
    }

    /**
     * When FAILED is due once every pair has failed: {@code Long.MIN_VALUE} (now) after end-of-candidates,
     * else the trickle grace after the later of the last remote candidate and the last failed pair;
     * {@code Long.MAX_VALUE} for never (or not yet known).
     */
    long allPairsFailedDeadline(boolean remoteEndOfCandidates) {
        if (remoteEndOfCandidates) {
            return Long.MIN_VALUE;
        }
        if (remoteCandidateUnstamped) {
            return Long.MAX_VALUE;
        }
        long grace = config.trickleGraceNanos();
        long from = Math.max(lastRemoteCandidateAt, lastPairFailedAt);
        return grace == Long.MAX_VALUE || from > Long.MAX_VALUE - grace ? Long.MAX_VALUE : from + grace;
    }
}
