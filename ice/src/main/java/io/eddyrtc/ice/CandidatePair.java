package io.eddyrtc.ice;

import java.net.InetSocketAddress;

/**
 * A local/remote candidate pair and its check state (RFC 8445 §6.1.2). There is no Frozen state:
 * like str0m we unfreeze everything at once, and pacing keeps the rate down. Mutable, owned by the agent.
 */
public final class CandidatePair {
    /** RFC 8445 §6.1.2.6 states without Frozen. */
    public enum State { WAITING, IN_PROGRESS, SUCCEEDED, FAILED }

    final Candidate local;
    final Candidate remote;
    final byte[] remoteIp;
    long priority;
    State state = State.WAITING;
    boolean nominated;
    /** The controlled side saw USE-CANDIDATE for this pair. */
    boolean remoteNominated;
    /** Our in-flight check carries USE-CANDIDATE. */
    boolean nominating;
    boolean triggered;

    int txHigh;
    long txLow;
    boolean inFlight;
    int transmits;
    long rto;
    long nextRetransmitAt = Long.MAX_VALUE;
    boolean sentControlling;
    /** The in-flight check (not a consent check) carried USE-CANDIDATE. */
    boolean inFlightUseCandidate;

    int consentTxHigh;
    long consentTxLow;
    boolean consentInFlight;
    long lastResponseAt = Long.MIN_VALUE;
    long lastRequestAt = Long.MIN_VALUE;

    CandidatePair(Candidate local, Candidate remote, boolean controlling) {
        this.local = local;
        this.remote = remote;
        this.remoteIp = remote.address().isUnresolved() ? new byte[4] : remote.address().getAddress().getAddress();
        computePriority(controlling);
    }

    /** RFC 8445 §6.1.2.3: 2^32*min(G,D) + 2*max(G,D) + (G>D ? 1 : 0), G the controlling side's. */
    void computePriority(boolean controlling) {
        long g = controlling ? local.priority() : remote.priority();
        long d = controlling ? remote.priority() : local.priority();
        priority = (Math.min(g, d) << 32) + 2 * Math.max(g, d) + (g > d ? 1 : 0);
    }

    InetSocketAddress localBase() {
        return local.base();
    }

    public Candidate local() {
        return local;
    }

    public Candidate remote() {
        return remote;
    }

    public long priority() {
        return priority;
    }

    public State state() {
        return state;
    }

    public boolean nominated() {
        return nominated;
    }

    @Override
    public String toString() {
        return "Pair[" + local.address() + " -> " + remote.address() + " " + remote.type().sdpName() + " " + state
                + (nominated ? " nominated" : "") + "]";
    }
}
