package io.eddyrtc.engine.sdp;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.IceCredentials;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The offer/answer state of one peer connection (JSEP, RFC 8829), without I/O or any knowledge of the
 * engine: our ICE credentials and fingerprint, the DTLS role, and every m-line with its mid, direction,
 * payload types, header extensions, SSRCs, rids and msid.
 *
 * <p>Descriptions move it forward in transactions. As offerer: {@link #sdpApi()}, change things,
 * {@link SdpApi#apply()}, send the offer, then {@link #acceptAnswer} (or {@link #rollback}). As answerer:
 * {@link #acceptOffer} returns the answer. After each accepted description, {@link #pollChange()} yields
 * what changed, in the order the engine should apply it. A description the session refuses throws
 * {@link SdpParseException} and leaves the session exactly as it was.
 *
 * <p>Renegotiation keeps mids, PTs and SSRCs; stopped m-lines are recycled for new media of their kind.
 * eddy always bundles (max-bundle) and needs DTLS-SRTP, rtcp-mux and mids.
 */
public final class SdpSession {
    private final SdpConfig config;
    private final Fingerprint localFingerprint;
    private final LocalIds ids;
    private final String cname;
    private final Negotiator negotiator;
    private final long sessionId;
    private long version;
    private SessionState state = new SessionState();
    private SdpPendingOffer pending;
    private final ArrayDeque<SdpChange> changes = new ArrayDeque<>();
    private List<String> localCandidates = List.of();
    private boolean localEndOfCandidates;

    /**
     * @param localIce         our ICE credentials, as the agent has them
     * @param localFingerprint our DTLS certificate's fingerprint
     * @param random           a seeded source for SSRCs, msids and restarted ICE credentials
     */
    public SdpSession(SdpConfig config, IceCredentials localIce, Fingerprint localFingerprint, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config").copy();
        this.localFingerprint = Objects.requireNonNull(localFingerprint, "localFingerprint");
        this.ids = new LocalIds(Objects.requireNonNull(random, "random"));
        this.cname = ids.id(16);
        this.negotiator = new Negotiator(this.config, ids, cname);
        this.sessionId = ids.sessionId();
        state.localIce = Objects.requireNonNull(localIce, "localIce");
    }

    /**
     * Starts a transaction. Only one offer can be pending at a time.
     *
     * @throws IllegalStateException if an offer is pending: accept its answer or roll it back first
     */
    public SdpApi sdpApi() {
        return new SdpApi(this, state.copy());
    }

    /**
     * Accepts a peer's offer and returns our answer; then {@link #pollChange()} tells what changed.
     *
     * @throws SdpParseException     if the offer cannot be negotiated (the session is unchanged)
     * @throws IllegalStateException if we have an offer pending (glare): roll it back first
     */
    public SdpAnswer acceptOffer(SdpOffer offer) {
        Objects.requireNonNull(offer, "offer");
        requireNoPending("accept an offer");
        config.limits().check(offer.description());
        SessionState next = state.copy();
        List<SdpChange> found = new ArrayList<>();
        negotiator.acceptOffer(next, offer.description(), found);
        Setup setup = next.dtlsActive == null || next.dtlsActive ? Setup.ACTIVE : Setup.PASSIVE;
        SessionDescription answer = DescriptionWriter.write(next, context(next, setup),
                offer.description());
        state = next;
        changes.addAll(found);
        return new SdpAnswer(answer);
    }

    /**
     * Accepts the peer's answer to our pending offer.
     *
     * @throws SdpParseException     if the answer does not fit the offer (the offer stays pending)
     * @throws IllegalStateException if {@code pending} is not this session's pending offer
     */
    public void acceptAnswer(SdpPendingOffer pending, SdpAnswer answer) {
        Objects.requireNonNull(answer, "answer");
        requirePending(pending);
        config.limits().check(answer.description());
        SessionState next = pending.proposed.copy();
        List<SdpChange> found = new ArrayList<>();
        negotiator.acceptAnswer(next, state, pending.offer, answer.description(), found);
        state = next;
        this.pending = null;
        changes.addAll(found);
    }

    /**
     * Forgets our pending offer: the session is as it was before {@link SdpApi#apply()}.
     *
     * @throws IllegalStateException if {@code pending} is not this session's pending offer
     */
    public void rollback(SdpPendingOffer pending) {
        requirePending(pending);
        this.pending = null;
    }

    /** The next change to apply, oldest first; {@code null} when there is none. */
    public SdpChange pollChange() {
        return changes.poll();
    }

    /**
     * The local candidates and end-of-candidates flag to write into the descriptions we make from now on
     * (trickled candidates need not be here). Each as {@code io.eddyrtc.ice.Candidate.toSdpString()} writes
     * it, {@code candidate:...}; a leading {@code a=} is allowed.
     */
    public void setLocalCandidates(List<String> candidates, boolean endOfCandidates) {
        List<String> values = new ArrayList<>();
        for (String c : candidates) {
            String v = c.strip();
            v = v.startsWith("a=") ? v.substring(2) : v;
            v = v.startsWith("candidate:") ? v.substring("candidate:".length()) : v;
            if (v.isEmpty() || v.contains("\r") || v.contains("\n")) {
                throw new IllegalArgumentException("candidate '" + c + "' is empty or spans lines; pass Candidate.toSdpString()");
            }
            values.add(v);
        }
        this.localCandidates = List.copyOf(values);
        this.localEndOfCandidates = endOfCandidates;
    }

    public Optional<SdpPendingOffer> pendingOffer() {
        return Optional.ofNullable(pending);
    }

    public IceCredentials localIceCredentials() {
        return state.localIce;
    }

    public Fingerprint localFingerprint() {
        return localFingerprint;
    }

    /** The negotiated, live audio and video m-lines, in m-line order. */
    public List<NegotiatedMedia> media() {
        return state.lines.stream().filter(l -> l.isMedia() && l.negotiated && !l.stopped).map(l -> l.info(cname)).toList();
    }

    /** Our RTCP CNAME, the same for every stream we send. */
    public String cname() {
        return cname;
    }

    // --- for SdpApi ---

    LocalIds ids() {
        return ids;
    }

    Negotiator negotiator() {
        return negotiator;
    }

    Optional<SdpApi.Offer> apply(SessionState work, boolean changed, List<ChannelConfig> channels) {
        requireNoPending("apply a change");
        channels.forEach(c -> changes.add(new SdpChange.OpenChannel(c)));
        if (!changed) {
            return Optional.empty();
        }
        SessionDescription offer = DescriptionWriter.write(work, context(work, Setup.ACTPASS), null);
        pending = new SdpPendingOffer(this, work, offer);
        return Optional.of(new SdpApi.Offer(new SdpOffer(offer), pending));
    }

    /** Every description we write gets the next o= version (RFC 8866 §5.2), starting at 1. */
    private DescriptionWriter.Context context(SessionState s, Setup setup) {
        return new DescriptionWriter.Context(sessionId, ++version, s.localIce, localFingerprint, setup, config.iceLite(),
                localCandidates, localEndOfCandidates, cname, config);
    }

    private void requireNoPending(String what) {
        if (pending != null) {
            throw new IllegalStateException("cannot " + what + " while our offer is pending: acceptAnswer(pending, answer) "
                    + "or rollback(pending) first");
        }
    }

    private void requirePending(SdpPendingOffer p) {
        Objects.requireNonNull(p, "pending");
        if (p.session != this) {
            throw new IllegalStateException("that pending offer belongs to another SdpSession");
        }
        if (p != pending) {
            throw new IllegalStateException(pending == null ? "this session has no pending offer (it was answered or rolled back)"
                    : "that pending offer is not the current one; use the SdpPendingOffer of the latest apply()");
        }
    }
}
