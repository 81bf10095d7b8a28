package io.eddyrtc.ice;

/**
 * When the agent gives up (FAILED): once every pair has failed, at once if the peer sent
 * end-of-candidates, else after the trickle grace since the last remote candidate or failed pair (many
 * peers never send end-of-candidates); after {@link IceConfig#checkingTimeoutNanos()} of CHECKING
 * without a selected pair, whatever keeps the checks going; and after
 * {@link IceConfig#failAfterDisconnectedNanos()} of DISCONNECTED.
 */
final class FailureTimers {
    private final IceConfig config;
    /** When CHECKING began; {@code Long.MAX_VALUE} until it has been stamped by a clock reading. */
    private long checkingSince = Long.MAX_VALUE;
    /** CHECKING began between clock readings; stamp it with the next {@code now}. */
    private boolean checkingUnstamped;
    private long disconnectedSince = Long.MAX_VALUE;
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
        if (checkingUnstamped) {
            checkingSince = now;
            checkingUnstamped = false;
        }
    }

    /** The agent went CHECKING (API calls and datagrams can do that; the next clock reading stamps it). */
    void checkingStarted() {
        checkingUnstamped = true;
    }

    /** The agent went DISCONNECTED at {@code now} (always on a timer, so {@code now} is current). */
    void disconnected(long now) {
        disconnectedSince = now;
    }

    /**
     * When CHECKING without a selected pair has lasted too long; {@code Long.MIN_VALUE} (at once) while its
     * start waits for a clock reading, so the caller comes back with one.
     */
    long checkingDeadline() {
        return checkingUnstamped ? Long.MIN_VALUE : plus(checkingSince, config.checkingTimeoutNanos());
    }

    long disconnectedDeadline() {
        return plus(disconnectedSince, config.failAfterDisconnectedNanos());
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
        return plus(Math.max(lastRemoteCandidateAt, lastPairFailedAt), config.trickleGraceNanos());
    }

    /** {@code at + nanos}; {@code Long.MAX_VALUE} (never) for an endless {@code nanos} or where the sum overflows. */
    private static long plus(long at, long nanos) {
        return nanos == Long.MAX_VALUE || at > Long.MAX_VALUE - nanos ? Long.MAX_VALUE : at + nanos;
    }
}
