package io.eddyrtc.ice;

import java.net.InetSocketAddress;

/**
 * A local/remote candidate pair with its check state (RFC 8445 §6.1.2) and its own schedule, as
 * str0m's pair keeps it: the connectivity check it waits on (transaction id, transmits so far, RTO,
 * when the next retransmission is due, whether it carried USE-CANDIDATE and which role sent it), the
 * consent check it waits on, its nomination state, and when the peer last answered or checked it.
 * The agent decides which pair to check next; the pair knows where its own checks stand.
 *
 * <p>There is no Frozen state: like str0m every pair is Waiting at once, and pacing keeps the rate
 * down. Mutable, owned by the agent; callers only read it.
 */
public final class CandidatePair {
    /** RFC 8445 §6.1.2.6 states without Frozen. */
    public enum State { WAITING, IN_PROGRESS, SUCCEEDED, FAILED }

    private static final long NEVER = Long.MIN_VALUE;

    final Candidate local;
    final Candidate remote;
    /** The remote address's bytes, for XOR-MAPPED-ADDRESS in our answers without a lookup per check. */
    final byte[] remoteIp;
    private long priority;
    private State state = State.WAITING;

    /** Our nomination succeeded on this pair, or the peer's USE-CANDIDATE met a successful check. */
    private boolean nominated;
    /** The controlled side saw USE-CANDIDATE for this pair. */
    private boolean remoteNominated;
    /** Our checks on this pair carry USE-CANDIDATE until one of them is answered. */
    private boolean nominating;
    /** Waiting in the agent's triggered-check queue; kept by {@link CheckList} so a pair is queued once. */
    boolean queuedAsTriggered;

    private int checkTxHigh;
    private long checkTxLow;
    private boolean checkInFlight;
    private int transmits;
    private long rto;
    private long nextRetransmitAt = Long.MAX_VALUE;
    /** The role our last check or consent check on this pair claimed; a 487 tells us to take the other. */
    private boolean sentControlling;
    /** The connectivity check in flight carried USE-CANDIDATE. */
    private boolean checkCarriesUseCandidate;

    private int consentTxHigh;
    private long consentTxLow;
    private boolean consentInFlight;
    private boolean consentBegun;

    private long lastResponseAt = NEVER;
    private long lastRequestAt = NEVER;

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

    boolean joins(InetSocketAddress localBase, InetSocketAddress remoteAddress, TransportProtocol protocol) {
        return remote.address().equals(remoteAddress) && local.base().equals(localBase) && local.transport() == protocol;
    }

    /**
     * How this pair's checks travel from the local candidate: UDP (a relayed candidate's too: the relay wraps them
     * for its server on the way out) or an ICE-TCP connection.
     */
    Transport transport() {
        return local.transport() == TransportProtocol.TCP ? Transport.TCP : Transport.UDP;
    }

    // ---------------------------------------------------------------- the connectivity check

    /** Starts a new check transaction: first transmit now, the first retransmission one RTO later. */
    void beginCheck(long now, int txHigh, long txLow, long initialRto) {
        checkTxHigh = txHigh;
        checkTxLow = txLow;
        checkInFlight = true;
        transmits = 1;
        rto = initialRto;
        nextRetransmitAt = now + rto;
        if (state != State.SUCCEEDED) {
            state = State.IN_PROGRESS;
        }
    }

    boolean retransmitDue(long now) {
        return checkInFlight && now >= nextRetransmitAt;
    }

    boolean transmitsExhausted(int maxTransmits) {
        return transmits >= maxTransmits;
    }

    /** One more transmit of the same transaction, the RTO doubled up to {@code maxRto}. */
    void backOff(long now, long maxRto) {
        rto = Math.min(rto * 2, maxRto);
        nextRetransmitAt = now + rto;
        transmits++;
    }

    /**
     * The check ran out of transmits. A nominating re-check of a pair that already worked leaves the
     * pair SUCCEEDED (the nomination is simply not confirmed); anything else fails it.
     *
     * @return whether the pair failed
     */
    boolean giveUpCheck() {
        endCheck();
        state = lastResponseAt != NEVER && nominating ? State.SUCCEEDED : State.FAILED;
        nominating = false;
        return state == State.FAILED;
    }

    void endCheck() {
        checkInFlight = false;
        nextRetransmitAt = Long.MAX_VALUE;
    }

    /** {@code Long.MAX_VALUE} while no check is waiting for an answer. */
    long nextRetransmitAt() {
        return nextRetransmitAt;
    }

    boolean checkInFlight() {
        return checkInFlight;
    }

    boolean isCheckTransaction(int txHigh, long txLow) {
        return checkInFlight && checkTxHigh == txHigh && checkTxLow == txLow;
    }

    /** {@code tx} is this pair's last check or consent transaction, and that one has ended. */
    boolean isEndedTransaction(int txHigh, long txLow) {
        boolean check = transmits > 0 && !checkInFlight && checkTxHigh == txHigh && checkTxLow == txLow;
        boolean consent = consentBegun && !consentInFlight && consentTxHigh == txHigh && consentTxLow == txLow;
        return check || consent;
    }

    int checkTxHigh() {
        return checkTxHigh;
    }

    long checkTxLow() {
        return checkTxLow;
    }

    /** A check transaction was written out (first transmit or retransmission) claiming this role. */
    void checkWritten(boolean controlling, boolean useCandidate) {
        sentControlling = controlling;
        checkCarriesUseCandidate = controlling && useCandidate;
    }

    boolean checkCarriesUseCandidate() {
        return checkCarriesUseCandidate;
    }

    boolean sentControlling() {
        return sentControlling;
    }

    // ---------------------------------------------------------------- consent (RFC 7675)

    void beginConsent(int txHigh, long txLow) {
        consentTxHigh = txHigh;
        consentTxLow = txLow;
        consentInFlight = true;
        consentBegun = true;
    }

    void consentWritten(boolean controlling) {
        sentControlling = controlling;
    }

    boolean isConsentTransaction(int txHigh, long txLow) {
        return consentInFlight && consentTxHigh == txHigh && consentTxLow == txLow;
    }

    void endConsent() {
        consentInFlight = false;
    }

    int consentTxHigh() {
        return consentTxHigh;
    }

    long consentTxLow() {
        return consentTxLow;
    }

    // ---------------------------------------------------------------- state and nomination

    void succeeded() {
        state = State.SUCCEEDED;
    }

    void failed() {
        state = State.FAILED;
    }

    /** A check from the peer brings a pair back to WAITING (RFC 8445 §7.3.1.4), so it is checked again. */
    void waiting() {
        state = State.WAITING;
    }

    boolean isWaiting() {
        return state == State.WAITING;
    }

    /** Waiting or in progress: a check may still decide this pair. */
    boolean isPending() {
        return state == State.WAITING || state == State.IN_PROGRESS;
    }

    boolean isSucceeded() {
        return state == State.SUCCEEDED;
    }

    boolean isFailed() {
        return state == State.FAILED;
    }

    void markNominated() {
        nominated = true;
    }

    boolean remoteNominated() {
        return remoteNominated;
    }

    void markRemoteNominated() {
        remoteNominated = true;
    }

    boolean nominating() {
        return nominating;
    }

    void startNominating() {
        nominating = true;
    }

    // ---------------------------------------------------------------- liveness

    void answered(long now) {
        lastResponseAt = now;
    }

    void checkedByPeer(long now) {
        lastRequestAt = now;
    }

    /** When the peer last answered one of our checks on this pair, or {@code Long.MIN_VALUE}. */
    long lastResponseAt() {
        return lastResponseAt;
    }

    /** When the peer last sent a check on this pair, or {@code Long.MIN_VALUE}. */
    long lastRequestAt() {
        return lastRequestAt;
    }

    /**
     * The peer has shown this pair's remote address is its own: it answered one of our checks or sent
     * one, either authenticated with the credentials only the two of us share.
     */
    boolean provenByPeer() {
        return lastResponseAt != NEVER || lastRequestAt != NEVER;
    }

    /** Silent both ways for longer than {@code staleNanos}, or never heard from. */
    boolean isStale(long now, long staleNanos) {
        long last = Math.max(lastResponseAt, lastRequestAt);
        return last == NEVER || now - last > staleNanos;
    }

    // ---------------------------------------------------------------- public view

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
