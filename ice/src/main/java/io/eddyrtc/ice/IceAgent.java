package io.eddyrtc.ice;

import static java.lang.System.Logger.Level.DEBUG;

import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A sans-I/O ICE agent (RFC 8445) for one component (rtcp-mux, bundle), full or lite, with trickle
 * (RFC 8838) and consent freshness (RFC 7675).
 *
 * <p>Drive it with {@link #handleReceive}, {@link #handleTimeout} at {@link #nextDeadline()}, and
 * drain {@link #pollTransmit()} and {@link #pollEvent()} after each call. Time is the caller's
 * {@code now} in nanoseconds; randomness (credentials, tie-breaker, transaction ids, consent jitter)
 * comes from the generator passed in, so a seeded generator makes a run reproducible.
 *
 * <p>Network input never throws; whatever is not accepted is counted by {@link IceDropReason}.
 */
public final class IceAgent {
    private static final System.Logger LOG = System.getLogger(IceAgent.class.getName());
    /** Datagrams that can wait for {@link #pollTransmit()}; slots are allocated on first use, then reused. */
    private static final int TRANSMIT_SLOTS = 32;
    private static final byte[] REASON_ROLE_CONFLICT = "Role Conflict".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REASON_UNKNOWN_ATTRIBUTE = "Unknown Attribute".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private final IceConfig config;
    private final RandomGenerator random;
    private final Arena arena = Arena.ofAuto();

    private boolean controlling;
    private long tieBreaker;
    private byte[] localUfrag;
    private byte[] localPwd;
    private byte[] remoteUfrag;
    private byte[] remotePwd;
    private boolean remoteEndOfCandidates;

    private final List<Candidate> localCandidates = new ArrayList<>();
    private final List<Candidate> remoteCandidates = new ArrayList<>();
    private final List<CandidatePair> pairs = new ArrayList<>();
    private final ArrayDeque<CandidatePair> triggered = new ArrayDeque<>();

    private CandidatePair selected;
    /** During an ICE restart: the pair media keeps using until the new generation nominates one. */
    private CandidatePair previousSelected;
    private IceConnectionState state = IceConnectionState.NEW;
    private long nextCheckAt = Long.MIN_VALUE;
    private long firstSuccessAt = Long.MAX_VALUE;
    private long nextConsentAt = Long.MAX_VALUE;
    private long lastNow = Long.MIN_VALUE;
    /** When the check list last grew with a remote candidate; the trickle grace runs from here. */
    private long lastRemoteCandidateAt;
    /** A remote candidate arrived between clock readings; stamp it with the next {@code now}. */
    private boolean remoteCandidateUnstamped;
    /** When a pair last failed; with the above, where the trickle grace starts. */
    private long lastPairFailedAt = Long.MIN_VALUE;

    private final ArrayDeque<IceEvent> events = new ArrayDeque<>();
    private int transmitSlotsAllocated;
    private final ArrayDeque<Transmit> freeTransmits = new ArrayDeque<>(TRANSMIT_SLOTS);
    private final ArrayDeque<Transmit> pendingTransmits = new ArrayDeque<>(TRANSMIT_SLOTS);
    private Transmit lastPolled;

    private final StunMessage message = new StunMessage();
    private final StunWriter writer = new StunWriter();
    private final HmacSha1 mac = new HmacSha1();
    private final int[] unknownScratch = new int[StunMessage.MAX_UNKNOWN];
    private final byte[] mappedScratch = new byte[16];
    private final long[] drops = new long[IceDropReason.values().length];

    /**
     * @param controlling our initial role (the offerer is usually controlling; a lite agent never is)
     * @param random seeded source for credentials, tie-breaker, transaction ids and consent jitter
     */
    public IceAgent(IceConfig config, boolean controlling, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        if (config.lite() && controlling) {
            throw new IllegalArgumentException("an ICE-lite agent is always controlled (RFC 8445 §6.1.1); pass controlling=false");
        }
        this.controlling = controlling;
        this.tieBreaker = random.nextLong();
        this.localUfrag = randomIceString(8);
        this.localPwd = randomIceString(24);
    }

    private byte[] randomIceString(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = ICE_CHARS[random.nextInt(ICE_CHARS.length)];
        }
        return b;
    }

    // ---------------------------------------------------------------- configuration

    public String localUfrag() {
        return new String(localUfrag, StandardCharsets.US_ASCII);
    }

    public String localPassword() {
        return new String(localPwd, StandardCharsets.US_ASCII);
    }

    /** Replaces the generated local credentials (e.g. to match an SDP already sent). */
    public void setLocalCredentials(String ufrag, String pwd) {
        checkCredentials(ufrag, pwd);
        localUfrag = ufrag.getBytes(StandardCharsets.UTF_8);
        localPwd = pwd.getBytes(StandardCharsets.UTF_8);
    }

    /** The peer's ice-ufrag and ice-pwd; checks start once these and a remote candidate are known. */
    public void setRemoteCredentials(String ufrag, String pwd) {
        checkCredentials(ufrag, pwd);
        remoteUfrag = ufrag.getBytes(StandardCharsets.UTF_8);
        remotePwd = pwd.getBytes(StandardCharsets.UTF_8);
        if (state == IceConnectionState.NEW && !pairs.isEmpty()) {
            setState(IceConnectionState.CHECKING);
        }
    }

    private static void checkCredentials(String ufrag, String pwd) {
        if (ufrag == null || pwd == null || ufrag.length() < 4 || pwd.length() < 22 || ufrag.indexOf(':') >= 0) {
            throw new IllegalArgumentException("ICE ufrag needs >= 4 chars without ':' and pwd >= 22 chars "
                    + "(RFC 8839 §5.4); use the values from the peer's SDP");
        }
    }

    /**
     * The peer declared {@code a=ice-lite}: a full agent must then be controlling (RFC 8445 §6.1.1),
     * whatever the offer/answer roles said.
     */
    public void setRemoteLite(boolean remoteLite) {
        if (!remoteLite) {
            return;
        }
        if (config.lite()) {
            throw new IllegalStateException("both sides are ICE-lite: nobody would send checks; "
                    + "run one side as a full agent (IceConfig.withLite(false))");
        }
        switchRole(true);
    }

    /**
     * Sets our role before or during checks (the offerer is controlling, the answerer controlled, unless
     * the signalling says otherwise). Pair priorities are recomputed; a later 487 may still switch it.
     */
    public void setControlling(boolean value) {
        if (config.lite() && value) {
            throw new IllegalArgumentException("an ICE-lite agent is always controlled (RFC 8445 §6.1.1); keep it controlled");
        }
        applyRole(value);
    }

    /** Switches the role and re-sorts the check list by the pair priorities of the new role; false if unchanged. */
    private boolean applyRole(boolean nowControlling) {
        if (controlling == nowControlling) {
            return false;
        }
        controlling = nowControlling;
        for (CandidatePair p : pairs) {
            p.computePriority(controlling);
        }
        pairs.sort((a, b) -> Long.compareUnsigned(b.priority, a.priority));
        return true;
    }

    public boolean isControlling() {
        return controlling;
    }

    public boolean isLite() {
        return config.lite();
    }

    public long tieBreaker() {
        return tieBreaker;
    }

    /** Overrides the random tie-breaker (tests of role conflict use this). */
    public void setTieBreaker(long value) {
        tieBreaker = value;
    }

    /** Adds a local candidate (trickle: any time). Its base is where checks are sent from. */
    public void addLocalCandidate(Candidate candidate) {
        if (candidate.base() == null) {
            throw new IllegalArgumentException("local candidates need a base; build them with Candidate.host/"
                    + "serverReflexive/relayed, not Candidate.parse");
        }
        for (Candidate c : localCandidates) {
            if (c.address().equals(candidate.address()) && c.base().equals(candidate.base())) {
                return;
            }
        }
        localCandidates.add(candidate);
        // Pairs are formed from bases (§6.1.2.4: a srflx local pairs like its base), so only bases pair.
        if (candidate.type() == CandidateType.HOST || candidate.type() == CandidateType.RELAYED) {
            for (Candidate r : remoteCandidates) {
                addPair(candidate, r);
            }
        }
    }

    /** Adds a remote candidate (from SDP or trickled); it is paired with every local base at once. */
    public void addRemoteCandidate(Candidate candidate) {
        if (candidate.component() != 1 || candidate.transport() != TransportProtocol.UDP
                || candidate.address().isUnresolved()) {
            // Only component 1 over UDP with a literal address can be checked here (rtcp-mux,
            // no TCP candidates, mDNS resolution belongs to the caller).
            return;
        }
        for (Candidate c : remoteCandidates) {
            if (c.address().equals(candidate.address())) {
                return;
            }
        }
        remoteCandidates.add(candidate);
        remoteCandidateUnstamped = true;
        for (Candidate l : localCandidates) {
            if (l.type() == CandidateType.HOST || l.type() == CandidateType.RELAYED) {
                addPair(l, candidate);
            }
        }
        if (state == IceConnectionState.FAILED) {
            setState(IceConnectionState.CHECKING);
        }
    }

    /** The peer sent end-of-candidates: once every pair has failed we may now declare FAILED. */
    public void endOfRemoteCandidates() {
        remoteEndOfCandidates = true;
    }

    private CandidatePair addPair(Candidate local, Candidate remote) {
        if (local.address().getAddress() != null && remote.address().getAddress() != null
                && local.address().getAddress().getAddress().length != remote.address().getAddress().getAddress().length) {
            return null; // IPv4 never pairs with IPv6
        }
        for (CandidatePair p : pairs) {
            if (p.local.base().equals(local.base()) && p.remote.address().equals(remote.address())) {
                return p;
            }
        }
        if (pairs.size() >= config.maxPairs()) {
            return null;
        }
        CandidatePair pair = new CandidatePair(local, remote, controlling);
        int at = 0;
        while (at < pairs.size() && pairs.get(at).priority >= pair.priority) {
            at++;
        }
        pairs.add(at, pair);
        if (state == IceConnectionState.NEW && remotePwd != null) {
            setState(IceConnectionState.CHECKING);
        }
        return pair;
    }

    /**
     * ICE restart (RFC 8445 §9): new local credentials, a fresh check list. Media keeps flowing on
     * the current pair ({@link #dataDestination()}) until the new generation nominates one. Send
     * the new credentials to the peer, then give its new ones to {@link #setRemoteCredentials}.
     */
    public void restart() {
        localUfrag = randomIceString(8);
        localPwd = randomIceString(24);
        remoteUfrag = null;
        remotePwd = null;
        remoteEndOfCandidates = false;
        if (selected != null) {
            previousSelected = selected;
        }
        selected = null;
        pairs.clear();
        triggered.clear();
        remoteCandidates.clear();
        firstSuccessAt = Long.MAX_VALUE;
        nextConsentAt = Long.MAX_VALUE;
        if (previousSelected == null) {
            setState(IceConnectionState.NEW);
        }
    }

    /** Stops everything; later input is dropped. */
    public void close() {
        setState(IceConnectionState.CLOSED);
        pairs.clear();
        triggered.clear();
        selected = null;
        previousSelected = null;
    }

    // ---------------------------------------------------------------- queries

    /** RFC 7983 + magic cookie: is this datagram STUN (and so the agent's)? Cheap and allocation-free. */
    public static boolean accepts(MemorySegment segment, long offset, int length) {
        return Stun.looksLikeStun(segment, offset, length);
    }

    public static boolean accepts(MemorySegment segment) {
        return Stun.looksLikeStun(segment, 0, (int) Math.min(segment.byteSize(), Integer.MAX_VALUE));
    }

    public IceConnectionState state() {
        return state;
    }

    /** Where application data goes now, or null if nowhere yet (or consent was lost). */
    public InetSocketAddress dataDestination() {
        CandidatePair p = selected != null ? selected : previousSelected;
        if (p == null || state == IceConnectionState.DISCONNECTED || state == IceConnectionState.CLOSED) {
            return null;
        }
        return p.remote.address();
    }

    /** The local address application data is sent from, or null. */
    public InetSocketAddress dataSource() {
        CandidatePair p = selected != null ? selected : previousSelected;
        return p == null || state == IceConnectionState.CLOSED ? null : p.local.base();
    }

    public CandidatePair selectedPair() {
        return selected;
    }

    public List<CandidatePair> pairs() {
        return List.copyOf(pairs);
    }

    public List<Candidate> remoteCandidates() {
        return List.copyOf(remoteCandidates);
    }

    /** Whether a wrapped STUN message's USERNAME begins with our ufrag, as a check sent to us must. */
    public boolean isAddressedToUs(StunMessage message) {
        return message.usernameStartsWith(localUfrag);
    }

    /**
     * Whether {@code address} is where one of the remote candidates (signalled or peer-reflexive) sends
     * from: a cheap, allocation-free test for routing a non-STUN datagram to this agent's peer connection.
     */
    public boolean isRemoteAddress(InetSocketAddress address) {
        for (int i = 0, n = remoteCandidates.size(); i < n; i++) {
            if (remoteCandidates.get(i).address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    public List<Candidate> localCandidates() {
        return List.copyOf(localCandidates);
    }

    public long dropped(IceDropReason reason) {
        return drops[reason.ordinal()];
    }

    public long droppedTotal() {
        long sum = 0;
        for (long d : drops) {
            sum += d;
        }
        return sum;
    }

    public IceEvent pollEvent() {
        return events.poll();
    }

    /** The next datagram to send, or null. Valid until the next call into the agent. */
    public Transmit pollTransmit() {
        recyclePolled();
        lastPolled = pendingTransmits.poll();
        return lastPolled;
    }

    private void recyclePolled() {
        if (lastPolled != null) {
            freeTransmits.add(lastPolled);
            lastPolled = null;
        }
    }

    /** When {@link #handleTimeout} wants to run next; {@code Long.MAX_VALUE} if never. */
    public long nextDeadline() {
        if (state == IceConnectionState.CLOSED) {
            return Long.MAX_VALUE;
        }
        long d = Long.MAX_VALUE;
        if (!config.lite() && remotePwd != null && hasWaitingWork()) {
            d = Math.max(nextCheckAt, lastNow);
        }
        for (int i = 0; i < pairs.size(); i++) {
            CandidatePair p = pairs.get(i);
            if (p.inFlight) {
                d = Math.min(d, p.nextRetransmitAt);
            }
        }
        if (selected != null) {
            if (!config.lite()) {
                d = Math.min(d, nextConsentAt);
            }
            if (state != IceConnectionState.DISCONNECTED) {
                d = Math.min(d, consentExpiresAt(selected));
            }
        } else if (previousSelected != null && state != IceConnectionState.DISCONNECTED) {
            d = Math.min(d, consentExpiresAt(previousSelected));
        }
        long fail = failDeadline();
        if (fail != Long.MAX_VALUE) {
            d = Math.min(d, Math.max(fail, lastNow));
        }
        if (controlling && !config.lite() && config.nomination() == Nomination.REGULAR && firstSuccessAt != Long.MAX_VALUE
                && firstSuccessAt + config.regularNominationWaitNanos() > lastNow) {
            d = Math.min(d, firstSuccessAt + config.regularNominationWaitNanos());
        }
        return d;
    }

    private void advanceClock(long now) {
        lastNow = Math.max(lastNow, now);
        if (remoteCandidateUnstamped) {
            lastRemoteCandidateAt = lastNow;
            remoteCandidateUnstamped = false;
        }
    }

    private boolean hasWaitingWork() {
        if (!triggered.isEmpty()) {
            return true;
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).state == CandidatePair.State.WAITING) {
                return true;
            }
        }
        return false;
    }

    private long consentExpiresAt(CandidatePair p) {
        long last = config.lite() ? p.lastRequestAt : p.lastResponseAt;
        return last == Long.MIN_VALUE ? Long.MAX_VALUE : last + config.consentTimeoutNanos();
    }

    // ---------------------------------------------------------------- input

    public boolean handleReceive(long now, InetSocketAddress source, InetSocketAddress destination, MemorySegment segment) {
        return handleReceive(now, source, destination, segment, 0, (int) Math.min(segment.byteSize(), Integer.MAX_VALUE));
    }

    /**
     * Feeds a datagram. Returns true if it was STUN (consumed, even if dropped), false if it is not
     * the agent's and belongs to DTLS/RTP. Never throws on the datagram's content.
     */
    public boolean handleReceive(long now, InetSocketAddress source, InetSocketAddress destination,
                                 MemorySegment segment, long offset, int length) {
        recyclePolled();
        advanceClock(now);
        if (!Stun.looksLikeStun(segment, offset, length)) {
            return false;
        }
        if (state == IceConnectionState.CLOSED) {
            drop(IceDropReason.CLOSED, source);
            return true;
        }
        if (!message.wrap(segment, offset, length)) {
            drop(IceDropReason.MALFORMED, source);
            return true;
        }
        if (message.method() != 1) {
            drop(IceDropReason.NOT_BINDING, source);
            return true;
        }
        if (message.hasFingerprint() && !message.verifyFingerprint()) {
            drop(IceDropReason.BAD_FINGERPRINT, source);
            return true;
        }
        if (message.isRequest()) {
            onRequest(now, source, destination);
        } else if (message.isSuccessResponse() || message.isErrorResponse()) {
            onResponse(now, source, destination);
        } else {
            drop(IceDropReason.INDICATION, source); // Binding indications are keepalives: nothing to do
        }
        message.unwrap();
        return true;
    }

    private void onRequest(long now, InetSocketAddress source, InetSocketAddress destination) {
        if (!message.usernameStartsWith(localUfrag)) {
            drop(IceDropReason.WRONG_USERNAME, source);
            return;
        }
        if (!message.hasMessageIntegrity()) {
            drop(IceDropReason.MISSING_INTEGRITY, source);
            return;
        }
        if (!message.verifyIntegrity(mac, localPwd)) {
            drop(IceDropReason.BAD_INTEGRITY, source);
            return;
        }
        Candidate local = localByBase(destination);
        if (local == null) {
            drop(IceDropReason.UNKNOWN_DESTINATION, source);
            return;
        }
        if (message.unknownComprehensionRequiredCount() > 0) {
            int n = message.unknownComprehensionRequiredCount();
            for (int i = 0; i < n; i++) {
                unknownScratch[i] = message.unknownComprehensionRequired(i);
            }
            Transmit t = startTransmit(destination, source);
            if (t != null) {
                writer.begin(t.segment, 0, Transmit.CAPACITY, Stun.BINDING_ERROR, message.transactionHigh(), message.transactionLow())
                        .addErrorCode(Stun.ERROR_UNKNOWN_ATTRIBUTE, REASON_UNKNOWN_ATTRIBUTE)
                        .addUnknownAttributes(unknownScratch, n)
                        .addMessageIntegrity(mac, localPwd)
                        .addFingerprint();
                finishTransmit(t);
            }
            drop(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED, source);
            return;
        }
        // RFC 8445 §7.3.1.1 role conflict. A lite agent is controlled for good (§6.1.1).
        if (config.lite() && message.hasIceControlled()) {
            sendRoleConflict(source, destination);
            return;
        }
        if (controlling && message.hasIceControlling()) {
            if (Long.compareUnsigned(tieBreaker, message.iceControlling()) >= 0) {
                sendRoleConflict(source, destination);
                return;
            }
            switchRole(false);
        } else if (!controlling && message.hasIceControlled()) {
            if (Long.compareUnsigned(tieBreaker, message.iceControlled()) >= 0) {
                switchRole(true);
            } else {
                sendRoleConflict(source, destination);
                return;
            }
        }

        CandidatePair pair = pairFor(destination, source);
        if (pair == null) {
            Candidate remote = remoteByAddress(source);
            if (remote == null) {
                long prio = message.hasPriority() ? message.priority() : Candidate.priority(110, 65535, 1);
                remote = Candidate.remotePeerReflexive(source, prio, 1);
                remoteCandidates.add(remote);
                lastRemoteCandidateAt = now;
                events.add(new IceEvent.NewPeerReflexiveCandidate(remote));
            }
            pair = addPair(local, remote);
        }

        // Success response: XOR-MAPPED-ADDRESS is where the request came from.
        Transmit t = startTransmit(destination, source);
        if (t != null) {
            byte[] ip = pair != null ? pair.remoteIp : source.getAddress().getAddress();
            writer.begin(t.segment, 0, Transmit.CAPACITY, Stun.BINDING_SUCCESS, message.transactionHigh(), message.transactionLow())
                    .addXorMappedAddress(ip, source.getPort())
                    .addMessageIntegrity(mac, localPwd)
                    .addFingerprint();
            finishTransmit(t);
        }
        if (pair == null) {
            return; // check list full: answered, but not tracked
        }
        pair.lastRequestAt = now;
        boolean useCandidate = message.useCandidate() && !controlling;
        if (config.lite()) {
            // A lite agent's pairs are valid as soon as a check arrives (§6.1.1 / §7.3.1.4).
            pair.state = CandidatePair.State.SUCCEEDED;
            if (useCandidate) {
                pair.remoteNominated = true;
                nominate(now, pair);
            }
            refreshConsent(now, pair);
            return;
        }
        if (useCandidate) {
            pair.remoteNominated = true;
            if (pair.state == CandidatePair.State.SUCCEEDED) {
                nominate(now, pair);
            }
        }
        // Triggered check (§7.3.1.4): unless one is already underway or it already worked.
        if (pair.state == CandidatePair.State.WAITING || pair.state == CandidatePair.State.FAILED
                || (pair.state == CandidatePair.State.SUCCEEDED && pair.remoteNominated && !pair.nominated)) {
            if (pair.state == CandidatePair.State.FAILED) {
                pair.state = CandidatePair.State.WAITING;
            }
            if (!pair.triggered && pair.state == CandidatePair.State.WAITING) {
                pair.triggered = true;
                triggered.add(pair);
            }
        }
        if (state == IceConnectionState.FAILED) {
            setState(IceConnectionState.CHECKING);
        }
    }

    private void sendRoleConflict(InetSocketAddress source, InetSocketAddress destination) {
        Transmit t = startTransmit(destination, source);
        if (t != null) {
            writer.begin(t.segment, 0, Transmit.CAPACITY, Stun.BINDING_ERROR, message.transactionHigh(), message.transactionLow())
                    .addErrorCode(Stun.ERROR_ROLE_CONFLICT, REASON_ROLE_CONFLICT)
                    .addMessageIntegrity(mac, localPwd)
                    .addFingerprint();
            finishTransmit(t);
        }
        drop(IceDropReason.ROLE_CONFLICT, source);
    }

    private void switchRole(boolean nowControlling) {
        if (applyRole(nowControlling)) {
            events.add(new IceEvent.RoleChanged(controlling));
        }
    }

    private void onResponse(long now, InetSocketAddress source, InetSocketAddress destination) {
        int txHigh = message.transactionHigh();
        long txLow = message.transactionLow();
        CandidatePair pair = null;
        boolean consent = false;
        for (int i = 0; i < pairs.size() && pair == null; i++) {
            CandidatePair p = pairs.get(i);
            if (p.inFlight && p.txHigh == txHigh && p.txLow == txLow) {
                pair = p;
            } else if (p.consentInFlight && p.consentTxHigh == txHigh && p.consentTxLow == txLow) {
                pair = p;
                consent = true;
            }
        }
        if (pair == null) {
            drop(IceDropReason.UNKNOWN_TRANSACTION, source);
            return;
        }
        if (!message.hasMessageIntegrity()) {
            drop(IceDropReason.MISSING_INTEGRITY, source);
            return;
        }
        if (remotePwd == null || !message.verifyIntegrity(mac, remotePwd)) {
            drop(IceDropReason.BAD_INTEGRITY, source);
            return;
        }
        if (!source.equals(pair.remote.address()) || !destination.equals(pair.local.base())) {
            // §7.2.5.2.1: non-symmetric transport addresses fail the check.
            drop(IceDropReason.ASYMMETRIC_RESPONSE, source);
            if (!consent) {
                finishCheck(pair);
                pair.state = CandidatePair.State.FAILED;
                lastPairFailedAt = lastNow;
            }
            return;
        }
        if (message.isErrorResponse()) {
            int code = message.errorCode();
            if (code == Stun.ERROR_ROLE_CONFLICT) {
                // §7.2.5.1: switch to the other role than the one the check claimed, and retry.
                switchRole(!pair.sentControlling);
                finishCheck(pair);
                pair.consentInFlight = false;
                pair.state = CandidatePair.State.WAITING;
                if (!pair.triggered) {
                    pair.triggered = true;
                    triggered.add(pair);
                }
            } else {
                drop(IceDropReason.ERROR_RESPONSE, source);
                if (!consent) {
                    finishCheck(pair);
                    pair.state = CandidatePair.State.FAILED;
                    lastPairFailedAt = lastNow;
                    maybeFail();
                }
            }
            return;
        }
        boolean wasNominating = pair.inFlightUseCandidate && !consent;
        if (consent) {
            pair.consentInFlight = false;
        } else {
            finishCheck(pair);
        }
        pair.state = CandidatePair.State.SUCCEEDED;
        if (!consent && message.hasXorMappedAddress()) {
            learnLocalPeerReflexive(pair);
        }
        refreshConsent(now, pair);
        if (firstSuccessAt == Long.MAX_VALUE) {
            firstSuccessAt = now;
        }
        if (controlling && (wasNominating || pair.nominated)) {
            nominate(now, pair);
        } else if (!controlling && pair.remoteNominated) {
            nominate(now, pair);
        }
        if (controlling && config.nomination() == Nomination.REGULAR) {
            considerNomination(now);
        }
    }

    /**
     * RFC 8445 §7.2.5.3.1: a mapped address that is none of our candidates is a local peer-reflexive
     * candidate (we are behind a NAT the peer sees). It is recorded, not signalled; checks keep
     * leaving from its base. Runs for connectivity checks only, not for consent, so it stays off the
     * steady-state path.
     */
    private void learnLocalPeerReflexive(CandidatePair pair) {
        int n = message.mappedAddress(mappedScratch);
        if (n != 4 && n != 16) {
            return;
        }
        InetSocketAddress mapped;
        try {
            mapped = new InetSocketAddress(java.net.InetAddress.getByAddress(java.util.Arrays.copyOf(mappedScratch, n)),
                    message.mappedPort());
        } catch (java.net.UnknownHostException impossible) {
            return;
        }
        for (int i = 0; i < localCandidates.size(); i++) {
            if (localCandidates.get(i).address().equals(mapped)) {
                return;
            }
        }
        localCandidates.add(Candidate.localPeerReflexive(mapped, pair.local));
    }

    private void refreshConsent(long now, CandidatePair pair) {
        pair.lastResponseAt = now;
        if (pair == selected && state == IceConnectionState.DISCONNECTED) {
            setState(IceConnectionState.CONNECTED);
        }
    }

    private void finishCheck(CandidatePair pair) {
        pair.inFlight = false;
        pair.nextRetransmitAt = Long.MAX_VALUE;
    }

    /** Makes {@code pair} the selected one if it beats the current choice (or the current one went stale). */
    private void nominate(long now, CandidatePair pair) {
        pair.nominated = true;
        if (pair == selected) {
            return;
        }
        boolean better = selected == null || Long.compareUnsigned(pair.priority, selected.priority) > 0
                || isStale(now, selected);
        if (!better) {
            return;
        }
        selected = pair;
        previousSelected = null;
        nextConsentAt = now + jitteredConsentInterval();
        events.add(new IceEvent.SelectedPairChanged(pair.local, pair.remote));
        if (state != IceConnectionState.CONNECTED && state != IceConnectionState.COMPLETED) {
            setState(IceConnectionState.CONNECTED);
        }
    }

    private boolean isStale(long now, CandidatePair p) {
        long last = Math.max(p.lastResponseAt, p.lastRequestAt);
        return last == Long.MIN_VALUE || now - last > config.staleSelectedPairNanos();
    }

    /** Regular nomination: pick the best succeeded pair once nothing better is pending (or we waited enough). */
    private void considerNomination(long now) {
        CandidatePair best = null;
        boolean betterPending = false;
        for (CandidatePair p : pairs) {
            if (p.state == CandidatePair.State.SUCCEEDED && !isStale(now, p)) {
                best = p;
                break;
            }
            if (p.state == CandidatePair.State.WAITING || p.state == CandidatePair.State.IN_PROGRESS) {
                betterPending = true;
            }
        }
        if (best == null || best.nominated || best.nominating) {
            return;
        }
        if (selected != null && !isStale(now, selected) && Long.compareUnsigned(best.priority, selected.priority) <= 0) {
            return;
        }
        if (betterPending && now < firstSuccessAt + config.regularNominationWaitNanos()) {
            return;
        }
        best.nominating = true;
        if (!best.triggered) {
            best.triggered = true;
            triggered.addFirst(best);
        }
    }

    // ---------------------------------------------------------------- timers

    public void handleTimeout(long now) {
        recyclePolled();
        advanceClock(now);
        if (state == IceConnectionState.CLOSED) {
            return;
        }
        if (!config.lite()) {
            retransmit(now);
            if (controlling && config.nomination() == Nomination.REGULAR) {
                considerNomination(now);
            }
            if (remotePwd != null && now >= nextCheckAt && hasWaitingWork()) {
                sendNextCheck(now);
                nextCheckAt = now + config.checkIntervalNanos();
            }
            if (selected != null && now >= nextConsentAt) {
                // An unanswered consent check is not retransmitted (RFC 7675 §5.1 wants a fresh
                // transaction), but the next one comes sooner, so loss alone cannot expire consent.
                boolean lastUnanswered = selected.consentInFlight;
                sendConsent(now, selected);
                long interval = jitteredConsentInterval();
                nextConsentAt = now + (lastUnanswered ? Math.min(interval, 2 * config.initialRtoNanos()) : interval);
            }
        }
        // During a restart the old pair carries media but cannot be consent-checked (its credentials
        // are gone), so its consent simply runs out if the new generation never gets nominated.
        CandidatePair consented = selected != null ? selected : previousSelected;
        if (consented != null && state != IceConnectionState.DISCONNECTED && now >= consentExpiresAt(consented)) {
            setState(IceConnectionState.DISCONNECTED);
        }
        if (selected != null && state == IceConnectionState.CONNECTED && remoteEndOfCandidates && !checksPending()) {
            setState(IceConnectionState.COMPLETED);
        }
        maybeFail();
    }

    private boolean checksPending() {
        for (CandidatePair p : pairs) {
            if (p.state == CandidatePair.State.WAITING || p.state == CandidatePair.State.IN_PROGRESS) {
                return true;
            }
        }
        return false;
    }

    private void maybeFail() {
        if (failDeadline() <= lastNow) {
            setState(IceConnectionState.FAILED);
        }
    }

    /**
     * When FAILED is due: now if every pair failed and the peer sent end-of-candidates, else after the
     * trickle grace since the last remote candidate; {@code Long.MAX_VALUE} while anything can still work.
     */
    private long failDeadline() {
        if (selected != null || previousSelected != null || pairs.isEmpty() || state == IceConnectionState.FAILED
                || state == IceConnectionState.CLOSED || config.lite()) {
            return Long.MAX_VALUE;
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).state != CandidatePair.State.FAILED) {
                return Long.MAX_VALUE;
            }
        }
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

    private long jitteredConsentInterval() {
        // RFC 7675 §5.1: randomise the interval to 0.8..1.2 of the base.
        long base = config.consentIntervalNanos();
        return base * 8 / 10 + (long) (random.nextDouble() * base * 4 / 10);
    }

    private void retransmit(long now) {
        for (int i = 0; i < pairs.size(); i++) {
            CandidatePair p = pairs.get(i);
            if (!p.inFlight || now < p.nextRetransmitAt) {
                continue;
            }
            if (p.transmits >= config.maxTransmits()) {
                finishCheck(p);
                p.state = p.lastResponseAt != Long.MIN_VALUE && p.nominating ? CandidatePair.State.SUCCEEDED
                        : CandidatePair.State.FAILED;
                p.nominating = false;
                if (p.state == CandidatePair.State.FAILED) {
                    lastPairFailedAt = now;
                }
                continue;
            }
            p.rto = Math.min(p.rto * 2, config.maxRtoNanos());
            p.nextRetransmitAt = now + p.rto;
            p.transmits++;
            writeCheck(p, p.txHigh, p.txLow, p.nominating);
        }
    }

    private void sendNextCheck(long now) {
        CandidatePair p = null;
        while (!triggered.isEmpty() && p == null) {
            CandidatePair t = triggered.poll();
            t.triggered = false;
            if (pairs.contains(t)) {
                p = t;
            }
        }
        if (p == null) {
            for (CandidatePair c : pairs) {
                if (c.state == CandidatePair.State.WAITING && !c.inFlight) {
                    p = c;
                    break;
                }
            }
        }
        if (p == null) {
            return;
        }
        if (controlling && config.nomination() == Nomination.AGGRESSIVE) {
            p.nominating = true;
        }
        p.txHigh = random.nextInt();
        p.txLow = random.nextLong();
        p.inFlight = true;
        p.transmits = 1;
        p.rto = config.initialRtoNanos();
        p.nextRetransmitAt = now + p.rto;
        if (p.state != CandidatePair.State.SUCCEEDED) {
            p.state = CandidatePair.State.IN_PROGRESS;
        }
        writeCheck(p, p.txHigh, p.txLow, p.nominating);
    }

    private void sendConsent(long now, CandidatePair p) {
        if (remotePwd == null) {
            return;
        }
        p.consentTxHigh = random.nextInt();
        p.consentTxLow = random.nextLong();
        p.consentInFlight = true;
        // The controlling side repeats USE-CANDIDATE so a peer that lost track (or whose path moved) follows us.
        writeCheck(p, p.consentTxHigh, p.consentTxLow, controlling && p.nominated);
    }

    private void writeCheck(CandidatePair p, int txHigh, long txLow, boolean useCandidate) {
        Transmit t = startTransmit(p.local.base(), p.remote.address());
        if (t == null) {
            return;
        }
        p.sentControlling = controlling;
        if (txHigh == p.txHigh && txLow == p.txLow) {
            p.inFlightUseCandidate = controlling && useCandidate;
        }
        writer.begin(t.segment, 0, Transmit.CAPACITY, Stun.BINDING_REQUEST, txHigh, txLow)
                .addUsername(remoteUfrag, localUfrag)
                .addPriority(p.local.peerReflexivePriority());
        if (controlling) {
            writer.addIceControlling(tieBreaker);
            if (useCandidate) {
                writer.addUseCandidate();
            }
        } else {
            writer.addIceControlled(tieBreaker);
        }
        writer.addMessageIntegrity(mac, remotePwd).addFingerprint();
        finishTransmit(t);
    }

    // ---------------------------------------------------------------- plumbing

    private Transmit startTransmit(InetSocketAddress from, InetSocketAddress to) {
        Transmit t = freeTransmits.poll();
        if (t == null && transmitSlotsAllocated < TRANSMIT_SLOTS) {
            t = new Transmit(arena);
            transmitSlotsAllocated++;
        }
        if (t == null) {
            drop(IceDropReason.TRANSMIT_QUEUE_FULL, to);
            return null;
        }
        t.source = from;
        t.destination = to;
        return t;
    }

    private void finishTransmit(Transmit t) {
        t.length = writer.length();
        pendingTransmits.add(t);
    }

    private Candidate localByBase(InetSocketAddress destination) {
        for (int i = 0; i < localCandidates.size(); i++) {
            Candidate c = localCandidates.get(i);
            if (c.base().equals(destination)) {
                return c.type() == CandidateType.HOST || c.type() == CandidateType.RELAYED ? c : hostFor(c.base());
            }
        }
        return null;
    }

    private Candidate hostFor(InetSocketAddress base) {
        for (Candidate c : localCandidates) {
            if (c.base().equals(base) && (c.type() == CandidateType.HOST || c.type() == CandidateType.RELAYED)) {
                return c;
            }
        }
        return null;
    }

    private Candidate remoteByAddress(InetSocketAddress address) {
        for (int i = 0; i < remoteCandidates.size(); i++) {
            if (remoteCandidates.get(i).address().equals(address)) {
                return remoteCandidates.get(i);
            }
        }
        return null;
    }

    private CandidatePair pairFor(InetSocketAddress localBase, InetSocketAddress remote) {
        for (int i = 0; i < pairs.size(); i++) {
            CandidatePair p = pairs.get(i);
            if (p.remote.address().equals(remote) && p.local.base().equals(localBase)) {
                return p;
            }
        }
        return null;
    }

    private void setState(IceConnectionState next) {
        if (next == state) {
            return;
        }
        IceConnectionState prev = state;
        state = next;
        events.add(new IceEvent.StateChanged(prev, next));
    }

    private void drop(IceDropReason reason, InetSocketAddress source) {
        drops[reason.ordinal()]++;
        if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, "ICE dropped a datagram from {0}: {1}", source, reason);
        }
    }

    @Override
    public String toString() {
        return "IceAgent[" + (controlling ? "controlling" : "controlled") + (config.lite() ? ", lite" : "") + ", " + state
                + ", pairs=" + pairs.size() + ", selected=" + selected + "]";
    }
}
