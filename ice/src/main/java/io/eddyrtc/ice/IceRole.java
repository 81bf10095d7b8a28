package io.eddyrtc.ice;

import io.eddyrtc.ice.stun.StunMessage;

/**
 * Our role (controlling or controlled) and tie-breaker, and how a check from a peer that claims the
 * same role is settled (RFC 8445 §7.3.1.1): the larger tie-breaker controls.
 */
final class IceRole {
    /** What a check's ICE-CONTROLLING/ICE-CONTROLLED attribute means for us. */
    enum Verdict {
        /** No conflict. */
        KEEP,
        /** We take the other role and process the check. */
        SWITCH,
        /** The peer must switch: we answer 487 Role Conflict and drop the check. */
        REJECT
    }

    private boolean controlling;
    private long tieBreaker;

    IceRole(boolean controlling, long tieBreaker) {
        this.controlling = controlling;
        this.tieBreaker = tieBreaker;
    }

    boolean controlling() {
        return controlling;
    }

    long tieBreaker() {
        return tieBreaker;
    }

    void setTieBreaker(long value) {
        tieBreaker = value;
    }

    /** Takes {@code value} as our role; false if it already was. */
    boolean set(boolean value) {
        if (controlling == value) {
            return false;
        }
        controlling = value;
        return true;
    }

    /** A lite agent is controlled for good (RFC 8445 §6.1.1): a controlled peer must switch. */
    Verdict settle(StunMessage check, boolean lite) {
        if (lite) {
            return check.hasIceControlled() ? Verdict.REJECT : Verdict.KEEP;
        }
        if (controlling && check.hasIceControlling()) {
            return Long.compareUnsigned(tieBreaker, check.iceControlling()) >= 0 ? Verdict.REJECT : Verdict.SWITCH;
        }
        if (!controlling && check.hasIceControlled()) {
            return Long.compareUnsigned(tieBreaker, check.iceControlled()) >= 0 ? Verdict.SWITCH : Verdict.REJECT;
        }
        return Verdict.KEEP;
    }
}
