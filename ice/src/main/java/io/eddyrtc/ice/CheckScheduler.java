package io.eddyrtc.ice;

import io.eddyrtc.buffers.DropCounter;

/**
 * Sends the agent's connectivity checks (RFC 8445 §6.1.4): one new check per pacing interval
 * (triggered ones first), retransmissions on each pair's own RTO until its transmits run out, and
 * the consent checks {@link ConsentFreshness} asks for. Transaction ids come from {@link TransactionIds}, keyed
 * from the secrets source: RFC 8489 §6 wants them unpredictable.
 */
final class CheckScheduler {
    private final IceConfig config;
    private final CheckList checks;
    private final Credentials credentials;
    private final IceRole role;
    private final StunOutbox outbox;
    private final FailureTimers failure;
    private final DropCounter<IceDropReason> drops;
    private final TransactionIds ids;
    private long nextCheckAt = Long.MIN_VALUE;

    CheckScheduler(IceConfig config, CheckList checks, Credentials credentials, IceRole role, StunOutbox outbox,
                   FailureTimers failure, DropCounter<IceDropReason> drops, TransactionIds ids) {
        this.config = config;
        this.checks = checks;
        this.credentials = credentials;
        this.role = role;
        this.outbox = outbox;
        this.failure = failure;
        this.drops = drops;
        this.ids = ids;
    }

    /** Retransmits every check whose RTO ran out; a check out of transmits gives its pair up. */
    void retransmit(long now) {
        for (int i = 0; i < checks.size(); i++) {
            CandidatePair p = checks.get(i);
            if (!p.retransmitDue(now)) {
                continue;
            }
            if (p.transmitsExhausted(config.maxTransmits())) {
                if (p.giveUpCheck()) {
                    failure.pairFailed(now);
                }
                continue;
            }
            p.backOff(now, config.maxRtoNanos());
            writeCheck(p);
        }
    }

    /** Sends the next check if the pacing interval has passed and one is waiting. */
    void sendNext(long now) {
        if (!credentials.hasRemote() || now < nextCheckAt || !checks.hasWaitingWork()) {
            return;
        }
        CandidatePair p = checks.nextToCheck();
        if (p != null) {
            if (role.controlling() && config.nomination() == Nomination.AGGRESSIVE) {
                p.startNominating();
            }
            ids.next();
            p.beginCheck(now, ids.high(), ids.low(), config.initialRtoNanos());
            writeCheck(p);
        }
        nextCheckAt = now + config.checkIntervalNanos();
    }

    /** A consent check on the selected pair: a fresh transaction each time, never retransmitted (RFC 7675 §5.1). */
    void sendConsent(CandidatePair p) {
        if (!credentials.hasRemote()) {
            return;
        }
        ids.next();
        p.beginConsent(ids.high(), ids.low());
        // The controlling side repeats USE-CANDIDATE so a peer that lost track (or whose path moved) follows us.
        boolean controlling = role.controlling();
        if (outbox.writeCheck(p, p.consentTxHigh(), p.consentTxLow(), credentials, controlling, role.tieBreaker(),
                controlling && p.nominated())) {
            p.consentWritten(controlling);
        } else {
            drops.count(IceDropReason.TRANSMIT_QUEUE_FULL, p.remote.address());
        }
    }

    /** When a new check or a retransmission is due; {@code Long.MAX_VALUE} if none. */
    long nextDeadline(long lastNow) {
        long d = credentials.hasRemote() && checks.hasWaitingWork() ? Math.max(nextCheckAt, lastNow) : Long.MAX_VALUE;
        return Math.min(d, checks.nextRetransmitAt());
    }

    /** Writes {@code p}'s connectivity check (first transmit or retransmission). */
    private void writeCheck(CandidatePair p) {
        boolean controlling = role.controlling();
        if (outbox.writeCheck(p, p.checkTxHigh(), p.checkTxLow(), credentials, controlling, role.tieBreaker(), p.nominating())) {
            p.checkWritten(controlling, p.nominating());
        } else {
            drops.count(IceDropReason.TRANSMIT_QUEUE_FULL, p.remote.address());
        }
    }
}
