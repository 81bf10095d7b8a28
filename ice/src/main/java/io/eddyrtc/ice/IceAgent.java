package io.eddyrtc.ice;

import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
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
 * (RFC 8838), consent freshness (RFC 7675), ICE-TCP (RFC 6544), a TURN client (RFC 8656) and mDNS candidates
 * resolved by the caller.
 *
 * <p>Drive it with {@link #handleReceive}, {@link #handleTimeout} at {@link #nextDeadline()}, and
 * drain {@link #pollTransmit()} and {@link #pollEvent()} after each call. Time is the caller's
 * {@code now} in nanoseconds. Randomness comes from two sources the caller passes in: one for secrets
 * (credentials, tie-breaker, transaction ids), one for the consent jitter (see the constructor).
 *
 * <p>Network input never throws; whatever is not accepted is counted by {@link IceDropReason}.
 *
 * <p>This file is long because it is the agent's public API and the dispatch of each STUN message to the part that
 * owns it; the parts themselves are classes of their own ({@code Candidates}, {@code CheckList},
 * {@code CheckScheduler}, {@code Nominator}, {@code ConsentFreshness}, {@code FailureTimers}, {@code Relays},
 * {@code PendingMdns}), so what is left here is the state they share and the order they are asked in.
 */
public final class IceAgent {
    private static final byte[] REASON_ROLE_CONFLICT = "Role Conflict".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REASON_UNKNOWN_ATTRIBUTE = "Unknown Attribute".getBytes(StandardCharsets.US_ASCII);

    private final IceConfig config;
    private final RandomGenerator secrets;

    private final IceRole role;
    private final Credentials credentials = new Credentials();
    private boolean remoteEndOfCandidates;

    private final Candidates candidates;
    private final CheckList checks;
    private final ConsentFreshness consent;
    private final FailureTimers failure;
    private final Nominator nominator;
    private final CheckScheduler scheduler;
    private final Relays relays;
    private final PendingMdns mdns;

    private IceConnectionState state = IceConnectionState.NEW;
    private long lastNow = Long.MIN_VALUE;
    /** Counts changes to what {@link #routeKeys()} holds, so a router re-reads them only when they changed. */
    private long routeVersion;

    private final ArrayDeque<IceEvent> events = new ArrayDeque<>();
    private final StunMessage message = new StunMessage();
    private final HmacSha1 mac = new HmacSha1();
    private final StunOutbox outbox = new StunOutbox(mac);
    private final int[] unknownScratch = new int[StunMessage.MAX_UNKNOWN];
    private final byte[] mappedScratch = new byte[16];
    private final DropCounter<IceDropReason> drops =
            new DropCounter<>(IceDropReason.class, System.getLogger(IceAgent.class.getName()), "ICE");

    /**
     * @param controlling our initial role (the offerer is usually controlling; a lite agent never is)
     * @param secrets the source of what protects the call: the ICE password and ufrag, the tie-breaker
     *     and STUN transaction ids. The tie-breaker and transaction ids go out in the clear in every
     *     check, so this must be a CSPRNG, a {@link java.security.SecureRandom}: with a seeded PRNG an
     *     observer can work back from them to the password. Pass a seeded generator only in tests that
     *     need a run to repeat.
     * @param jitter the source of the consent interval's randomisation (RFC 7675 §5.1), which guards
     *     nothing; a seeded generator is fine and makes timing reproducible
     */
    public IceAgent(IceConfig config, boolean controlling, RandomGenerator secrets, RandomGenerator jitter) {
        this.config = Objects.requireNonNull(config, "config");
        this.secrets = Objects.requireNonNull(secrets, "secrets: pass a SecureRandom");
        Objects.requireNonNull(jitter, "jitter: any RandomGenerator, e.g. a SplittableRandom");
        if (config.lite() && controlling) {
            throw new IllegalArgumentException("an ICE-lite agent is always controlled (RFC 8445 §6.1.1); pass controlling=false");
        }
        this.candidates = new Candidates(config);
        this.checks = new CheckList(config.maxPairs());
        this.consent = new ConsentFreshness(config, jitter);
        this.failure = new FailureTimers(config);
        this.nominator = new Nominator(config, checks, consent);
        this.role = new IceRole(controlling, secrets.nextLong());
        this.scheduler = new CheckScheduler(config, checks, credentials, role, outbox, failure, drops,
                new TransactionIds(secrets, mac));
        if (config.lite() && !config.turnServers().isEmpty()) {
            throw new IllegalArgumentException("an ICE-lite agent has host candidates only (RFC 8445 §2.5); "
                    + "leave turnServers empty or run a full agent");
        }
        this.relays = new Relays(config, outbox, mac, secrets, drops, events::add, this::allocated);
        outbox.relayThrough(relays);
        this.mdns = new PendingMdns(config.maxRemoteCandidates());
        credentials.generateLocal(secrets);
    }

    // ---------------------------------------------------------------- configuration

    public String localUfrag() {
        return new String(credentials.localUfrag(), StandardCharsets.UTF_8);
    }

    public String localPassword() {
        return new String(credentials.localPwd(), StandardCharsets.UTF_8);
    }

    /** Replaces the generated local credentials (e.g. to match an SDP already sent). */
    public void setLocalCredentials(String ufrag, String pwd) {
        credentials.setLocal(ufrag, pwd);
        routeVersion++;
    }

    /** The peer's ice-ufrag and ice-pwd; checks start once these and a remote candidate are known. */
    public void setRemoteCredentials(String ufrag, String pwd) {
        credentials.setRemote(ufrag, pwd);
        if (state == IceConnectionState.NEW && !checks.isEmpty()) {
            setState(IceConnectionState.CHECKING);
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
        if (!role.set(nowControlling)) {
            return false;
        }
        checks.reorder(nowControlling);
        return true;
    }

    public boolean isControlling() {
        return role.controlling();
    }

    public boolean isLite() {
        return config.lite();
    }

    /** Overrides the random tie-breaker (tests of role conflict use this). */
    public void setTieBreaker(long value) {
        role.setTieBreaker(value);
    }

    /**
     * Adds a local candidate (trickle: any time). Its base is where checks are sent from. A UDP host candidate is
     * also the base the configured TURN servers are asked for relayed candidates from ({@link IceEvent.CandidateGathered}
     * announces each); with {@link IceConfig#relayOnly()} that is all it is.
     */
    public void addLocalCandidate(Candidate candidate) {
        if (candidate.base() == null) {
            throw new IllegalArgumentException("local candidates need a base; build them with Candidate.host/"
                    + "tcpPassive/tcpActive/serverReflexive/relayed, not Candidate.parse");
        }
        if (config.relayOnly() && candidate.type() != CandidateType.RELAYED) {
            relays.baseAdded(candidate);
            return;
        }
        if (candidates.addLocal(candidate)) {
            if (Candidates.isBase(candidate)) {
                for (int i = 0; i < candidates.remoteCount(); i++) {
                    addPair(candidate, candidates.remote(i), false);
                }
            }
            relays.baseAdded(candidate);
        }
    }

    /** An allocation succeeded: its relayed candidate (and the address the server saw, if new) joins ours. */
    private void allocated(TurnAllocation allocation) {
        Candidate relayed = Candidate.relayed(allocation.relayed(), allocation.relayed(), allocation.server.address());
        addLocalCandidate(relayed);
        events.add(new IceEvent.CandidateGathered(relayed));
        InetSocketAddress mapped = allocation.mapped();
        if (!config.relayOnly() && mapped != null && !mapped.equals(allocation.base)
                && allocation.server.transport() == Transport.UDP) {
            Candidate reflexive = Candidate.serverReflexive(mapped, allocation.base, allocation.server.address());
            if (candidates.addLocal(reflexive)) {
                events.add(new IceEvent.CandidateGathered(reflexive));
            }
        }
    }

    /**
     * Adds a remote candidate (from SDP or trickled); it is paired with every local base at once. Beyond
     * {@link IceConfig#maxRemoteCandidates()} it is dropped and counted; once FAILED it is ignored (only
     * {@link #restart()} starts a new check list).
     */
    public void addRemoteCandidate(Candidate candidate) {
        if (candidate.component() != 1 || state == IceConnectionState.FAILED) {
            return; // one component (rtcp-mux); a FAILED agent checks nothing more
        }
        if (candidate.isMdns()) {
            switch (mdns.add(candidate)) {
                case ASK -> events.add(new IceEvent.ResolveMdns(candidate.address().getHostString()));
                case WAIT -> { }
                case KNOWN -> addResolvedRemote(mdns.known(candidate));
                case OVER_LIMIT -> drops.count(IceDropReason.REMOTE_CANDIDATE_LIMIT, candidate.address().getHostString());
            }
            return;
        }
        if (candidate.address().isUnresolved()) {
            return; // a DNS name other than mDNS: resolving it is the caller's (RFC 8839 allows only addresses here)
        }
        addResolvedRemote(candidate);
    }

    /**
     * The caller resolved {@code hostname} (from {@link IceEvent.ResolveMdns}) to {@code address}: the candidates that
     * named it are checked from now on. An answer for a name the agent did not ask for is ignored.
     */
    public void mdnsResolved(String hostname, java.net.InetAddress address) {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(address, "address: the resolved IP (mdnsUnresolvable when there is none)");
        if (state == IceConnectionState.FAILED || state == IceConnectionState.CLOSED) {
            return;
        }
        for (Candidate c : mdns.resolve(hostname, address)) {
            addResolvedRemote(c);
        }
    }

    /** {@code hostname} (from {@link IceEvent.ResolveMdns}) could not be resolved: the candidates that named it are dropped. */
    public void mdnsUnresolvable(String hostname) {
        mdns.unresolvable(Objects.requireNonNull(hostname, "hostname"));
    }

    private void addResolvedRemote(Candidate candidate) {
        switch (candidates.addSignalled(candidate)) {
            case KNOWN -> {
                return;
            }
            case OVER_LIMIT -> {
                drops.count(IceDropReason.REMOTE_CANDIDATE_LIMIT, candidate.address());
                return;
            }
            case ADDED -> {
                failure.remoteCandidateSignalled();
                routeVersion++;
            }
        }
        for (int i = 0; i < candidates.localCount(); i++) {
            if (Candidates.isBase(candidates.local(i))) {
                addPair(candidates.local(i), candidate, false);
            }
        }
    }

    /** The peer sent end-of-candidates: once every pair has failed we may now declare FAILED. */
    public void endOfRemoteCandidates() {
        remoteEndOfCandidates = true;
    }

    /**
     * Pairs {@code local} with {@code remote}, or finds the pair. A pair made for a check that arrived
     * ({@code fromCheck}) skips the rules of who may check whom, since the check proves the path works.
     */
    private CandidatePair addPair(Candidate local, Candidate remote, boolean fromCheck) {
        if (state == IceConnectionState.FAILED) {
            return null; // nothing is checked any more
        }
        if (local.transport() != remote.transport()) {
            return null;
        }
        if (local.address().getAddress() != null && remote.address().getAddress() != null
                && local.address().getAddress().getAddress().length != remote.address().getAddress().getAddress().length) {
            return null; // IPv4 never pairs with IPv6
        }
        if (!fromCheck && local.transport() == TransportProtocol.TCP
                && !(local.tcpType() == TcpType.ACTIVE && remote.tcpType() == TcpType.PASSIVE)) {
            // RFC 6544 §6.2: we open connections from active candidates to passive ones; a passive candidate of ours
            // pairs when the peer connects and checks (simultaneous-open is not supported)
            return null;
        }
        CandidatePair existing = checks.find(local.base(), remote.address(), local.transport());
        if (existing != null) {
            return existing;
        }
        if (checks.isFull()) {
            drops.count(IceDropReason.PAIR_LIMIT, remote.address());
            return null;
        }
        if (relays.owns(local) && !relays.permit(local, remote.address())) {
            return null; // the allocation holds all the permissions it may (counted)
        }
        CandidatePair pair = checks.insert(local, remote, role.controlling());
        if (state == IceConnectionState.NEW && credentials.hasRemote()) {
            setState(IceConnectionState.CHECKING);
        }
        return pair;
    }

    /**
     * ICE restart (RFC 8445 §9): new local credentials, a fresh check list. Media keeps flowing on
     * the current pair ({@link #dataDestination()}) until the new generation nominates one, unless that
     * pair has lost consent (DISCONNECTED, FAILED): then the agent starts over from NEW. Send the new
     * credentials to the peer, then give its new ones to {@link #setRemoteCredentials}. The way back
     * from FAILED.
     */
    public void restart() {
        if (state == IceConnectionState.CLOSED) {
            throw new IllegalStateException("the agent is closed; make a new IceAgent instead of restarting this one");
        }
        credentials.generateLocal(secrets);
        credentials.forgetRemote();
        remoteEndOfCandidates = false;
        if (state == IceConnectionState.DISCONNECTED || state == IceConnectionState.FAILED) {
            consent.clear();
        } else {
            consent.restart();
        }
        checks.clear();
        candidates.clearRemote();
        mdns.clearWaiting();
        nominator.restart();
        routeVersion++;
        if (consent.mediaPair() == null) {
            setState(IceConnectionState.NEW);
        }
    }

    /**
     * Stops everything; later input is dropped. TURN allocations are released: the Refresh that says so waits in
     * {@link #pollTransmit()}, the last datagrams the agent gives.
     */
    public void close() {
        setState(IceConnectionState.CLOSED);
        checks.clear();
        consent.clear();
        outbox.discardPending();
        relays.releaseAll(lastNow);
        routeVersion++;
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

    /**
     * Where application data goes now, or null if nowhere yet (or consent was lost, or the agent failed). On a pair
     * of one of our relayed candidates ({@link #dataRelayed()}) this is the peer; send with {@link #relay}, which
     * addresses the TURN server.
     */
    public InetSocketAddress dataDestination() {
        CandidatePair p = consent.mediaPair();
        if (p == null || state == IceConnectionState.DISCONNECTED || isOver()) {
            return null;
        }
        return p.remote.address();
    }

    /** The local address application data is sent from, or null. */
    public InetSocketAddress dataSource() {
        CandidatePair p = consent.mediaPair();
        return p == null || isOver() ? null : p.local.base();
    }

    /** How application data travels on the pair in use: UDP or an ICE-TCP connection (a relayed pair's is UDP to the peer). */
    public Transport dataTransport() {
        CandidatePair p = consent.mediaPair();
        return p == null ? Transport.UDP : p.transport();
    }

    /** Whether the pair in use leaves from one of our TURN allocations: application data then goes through {@link #relay}. */
    public boolean dataRelayed() {
        CandidatePair p = consent.mediaPair();
        return p != null && !isOver() && relays.owns(p.local);
    }

    /**
     * Application data for the peer through our TURN allocation ({@link #dataRelayed()}): {@code length} bytes of
     * {@code segment} framed for the server (ChannelData, or a Send indication until the channel is bound) into a
     * transmit of the agent's own, addressed and transported to the server, valid until the next call into the
     * agent. One copy; nothing allocated. Null when there is no relayed pair or the datagram cannot go (counted as
     * {@link IceDropReason#RELAY_UNSENDABLE}).
     */
    public StunTransmit relay(MemorySegment segment, long offset, int length) {
        CandidatePair p = consent.mediaPair();
        if (p == null || isOver() || !relays.owns(p.local)) {
            return null;
        }
        return relays.relay(p, segment, offset, length);
    }

    /**
     * Whether {@code source} is the TURN server of one of our allocations made from {@code destination}: feed what
     * it sends to {@link #receiveFromRelay} instead of {@link #handleReceive}. Allocation-free.
     */
    public boolean isRelayServer(InetSocketAddress source, InetSocketAddress destination) {
        return relays.isServer(source, destination);
    }

    /**
     * Whether {@code source} is the TURN server of one of our allocations, from whichever base: for routing among agents
     * that share a socket (a server allocates once per 5-tuple, so no two of them can hold one on the same server).
     */
    public boolean isRelayServer(InetSocketAddress source) {
        return relays.isServer(source, null);
    }

    /**
     * A datagram from one of our TURN servers ({@link #isRelayServer}), over {@code transport} (UDP or
     * {@link Transport#TURN_TCP}). An answer to the TURN client is handled here; data a peer sent to our relayed
     * address comes back as a view of the datagram to feed on (to {@link #handleReceive} if it is STUN) as a UDP
     * datagram from its peer to the relayed address; anything else is dropped and counted. Null unless data.
     * Never throws on the datagram's content; allocation-free.
     */
    public RelayedDatagram receiveFromRelay(long now, Transport transport, InetSocketAddress source, InetSocketAddress destination,
                                            MemorySegment segment, long offset, int length) {
        outbox.recyclePolled();
        advanceClock(now);
        if (isOver()) {
            drops.count(state == IceConnectionState.CLOSED ? IceDropReason.CLOSED : IceDropReason.FAILED, source);
            return null;
        }
        return relays.receive(now, source, destination, segment, offset, length);
    }

    /** FAILED or CLOSED: nothing more is sent or answered. */
    private boolean isOver() {
        return state == IceConnectionState.FAILED || state == IceConnectionState.CLOSED;
    }

    public CandidatePair selectedPair() {
        return consent.selected();
    }

    public List<CandidatePair> pairs() {
        return checks.snapshot();
    }

    public List<Candidate> remoteCandidates() {
        return candidates.remoteSnapshot();
    }

    /** Whether a wrapped STUN message's USERNAME begins with our ufrag, as a check sent to us must. */
    public boolean isAddressedToUs(StunMessage message) {
        return message.usernameStartsWith(credentials.localUfrag());
    }

    /**
     * Whether {@code address} is where one of the remote candidates (signalled or peer-reflexive) sends
     * from: a cheap, allocation-free test for routing a non-STUN datagram to this agent's peer connection.
     */
    public boolean isRemoteAddress(InetSocketAddress address) {
        return candidates.remoteByAddress(address) != null;
    }

    /**
     * Whether a datagram that is not STUN (DTLS, SRTP) from {@code address} comes from the peer: the remote
     * address of the pair application data uses (the selected pair, or during an ICE restart the previous
     * generation's until the new one selects), or of a pair the peer proved its own by an authenticated check
     * or answer — before any pair is selected any such pair, after only one the peer also nominated
     * (USE-CANDIDATE) and has not left silent for {@link IceConfig#staleSelectedPairNanos()}: a peer sends
     * from the pair it chose, and Chromium may choose and nominate a pair of lower priority than the one we
     * keep selected, while an address the peer moved away from is soon no longer its own. A signalled
     * candidate the peer never proved does not count: anyone can send from it. Allocation-free.
     */
    public boolean isVerifiedAddress(InetSocketAddress address) {
        return isVerifiedAddress(Transport.UDP, address);
    }

    /**
     * {@link #isVerifiedAddress(InetSocketAddress)} for a datagram that came over {@code transport}: a path is the
     * peer's on the transport it was proved on (data relayed to us is UDP from the peer). Allocation-free.
     */
    public boolean isVerifiedAddress(Transport transport, InetSocketAddress address) {
        CandidatePair media = consent.mediaPair();
        if (media != null && media.transport() == transport && media.remote.address().equals(address)) {
            return true;
        }
        for (int i = 0; i < checks.size(); i++) {
            CandidatePair pair = checks.get(i);
            boolean chosen = media == null || pair.remoteNominated() && !pair.isStale(lastNow, config.staleSelectedPairNanos());
            if (pair.provenByPeer() && chosen && pair.transport() == transport && pair.remote.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the peer proved a path to {@code address} over {@code transport} with an authenticated check or answer:
     * a listener keeps an ICE-TCP connection open once this holds for it, and closes connections no agent takes.
     */
    public boolean hasProvenPath(Transport transport, InetSocketAddress address) {
        for (int i = 0; i < checks.size(); i++) {
            CandidatePair pair = checks.get(i);
            if (pair.provenByPeer() && pair.transport() == transport && pair.remote.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Counts changes to {@link #routeKeys()}: our ufrag, the peer's candidates, the addresses it proved and the
     * one media uses. A router compares it after each call and takes a new snapshot only when it moved.
     */
    public long routeVersion() {
        return routeVersion;
    }

    /**
     * Our ufrag and the peer's addresses, proven and only signalled, for a router that sends each datagram on a
     * shared socket to its agent (see {@link RouteKeys}). Allocates: take it when {@link #routeVersion()} moved.
     */
    public RouteKeys routeKeys() {
        if (state == IceConnectionState.CLOSED) {
            return new RouteKeys(routeVersion, localUfrag(), List.of(), List.of()); // nothing is for a closed agent
        }
        List<InetSocketAddress> proven = new ArrayList<>();
        CandidatePair media = consent.mediaPair();
        if (media != null && !isOver()) {
            proven.add(media.remote.address());
        }
        for (int i = 0; i < checks.size(); i++) {
            CandidatePair pair = checks.get(i);
            if (pair.provenByPeer() && !proven.contains(pair.remote.address())) {
                proven.add(pair.remote.address());
            }
        }
        List<InetSocketAddress> signalled = new ArrayList<>();
        for (int i = 0; i < candidates.remoteCount(); i++) {
            Candidate c = candidates.remote(i);
            if (proven.contains(c.address())) {
                continue;
            }
            if (c.type() == CandidateType.PEER_REFLEXIVE) {
                proven.add(c.address()); // learnt from an authenticated check, though its pair may not fit the list
            } else {
                signalled.add(c.address());
            }
        }
        return new RouteKeys(routeVersion, localUfrag(), proven, signalled);
    }

    public List<Candidate> localCandidates() {
        return candidates.localSnapshot();
    }

    public long dropped(IceDropReason reason) {
        return drops.dropped(reason);
    }

    public long droppedTotal() {
        return drops.total();
    }

    public IceEvent pollEvent() {
        return events.poll();
    }

    /** The next datagram to send, or null. Valid until the next call into the agent. */
    public StunTransmit pollTransmit() {
        return outbox.poll();
    }

    /** When {@link #handleTimeout} wants to run next; {@code Long.MAX_VALUE} if never. */
    public long nextDeadline() {
        if (isOver()) {
            return Long.MAX_VALUE;
        }
        long d = Long.MAX_VALUE;
        if (!config.lite()) {
            d = Math.min(scheduler.nextDeadline(lastNow), consent.nextCheckAt());
            if (role.controlling() && config.nomination() == Nomination.REGULAR) {
                d = Math.min(d, nominator.regularWaitEndsAt(lastNow));
            }
            d = Math.min(d, Math.max(relays.nextDeadline(), lastNow));
        }
        CandidatePair media = consent.mediaPair();
        if (media != null && state != IceConnectionState.DISCONNECTED) {
            d = Math.min(d, consent.expiresAt(media));
        }
        long fail = failDeadline();
        if (fail != Long.MAX_VALUE) {
            d = Math.min(d, Math.max(fail, lastNow));
        }
        return d;
    }

    private void advanceClock(long now) {
        lastNow = Math.max(lastNow, now);
        failure.clockAdvanced(lastNow);
    }

    // ---------------------------------------------------------------- input

    public boolean handleReceive(long now, InetSocketAddress source, InetSocketAddress destination, MemorySegment segment) {
        return handleReceive(now, Transport.UDP, source, destination, segment, 0, (int) Math.min(segment.byteSize(), Integer.MAX_VALUE));
    }

    /** A UDP datagram: {@link #handleReceive(long, Transport, InetSocketAddress, InetSocketAddress, MemorySegment, long, int)}. */
    public boolean handleReceive(long now, InetSocketAddress source, InetSocketAddress destination,
                                 MemorySegment segment, long offset, int length) {
        return handleReceive(now, Transport.UDP, source, destination, segment, offset, length);
    }

    /**
     * Feeds a datagram that came over {@code transport} (from an ICE-TCP connection: one RFC 4571 frame, with the
     * connection's addresses). Returns true if it was STUN (consumed, even if dropped), false if it is not the
     * agent's and belongs to DTLS/RTP. What a TURN server sends goes to {@link #receiveFromRelay} instead. Never
     * throws on the datagram's content.
     */
    public boolean handleReceive(long now, Transport transport, InetSocketAddress source, InetSocketAddress destination,
                                 MemorySegment segment, long offset, int length) {
        outbox.recyclePolled();
        advanceClock(now);
        if (!Stun.looksLikeStun(segment, offset, length)) {
            return false;
        }
        if (state == IceConnectionState.CLOSED) {
            drops.count(IceDropReason.CLOSED, source);
            return true;
        }
        if (state == IceConnectionState.FAILED) {
            drops.count(IceDropReason.FAILED, source);
            return true;
        }
        if (!message.wrap(segment, offset, length)) {
            drops.count(IceDropReason.MALFORMED, source);
            return true;
        }
        if (message.method() != 1) {
            drops.count(IceDropReason.NOT_BINDING, source);
            return true;
        }
        if (message.hasFingerprint() && !message.verifyFingerprint()) {
            drops.count(IceDropReason.BAD_FINGERPRINT, source);
            return true;
        }
        if (message.isRequest()) {
            onRequest(now, transport, source, destination);
        } else if (message.isSuccessResponse() || message.isErrorResponse()) {
            onResponse(now, transport, source, destination);
        } else {
            drops.count(IceDropReason.INDICATION, source); // Binding indications are keepalives: nothing to do
        }
        message.unwrap();
        return true;
    }

    private void onRequest(long now, Transport transport, InetSocketAddress source, InetSocketAddress destination) {
        if (!message.usernameStartsWith(credentials.localUfrag())) {
            drops.count(IceDropReason.WRONG_USERNAME, source);
            return;
        }
        if (!message.hasMessageIntegrity()) {
            drops.count(IceDropReason.MISSING_INTEGRITY, source);
            return;
        }
        if (!message.verifyIntegrity(mac, credentials.localPwd())) {
            drops.count(IceDropReason.BAD_INTEGRITY, source);
            return;
        }
        TransportProtocol protocol = transport.protocol();
        Candidate local = transport == Transport.TURN_TCP ? null : candidates.localByBase(destination, protocol);
        if (local == null) {
            drops.count(IceDropReason.UNKNOWN_DESTINATION, source);
            return;
        }
        int unknown = message.unknownComprehensionRequiredCount();
        if (unknown > 0) {
            for (int i = 0; i < unknown; i++) {
                unknownScratch[i] = message.unknownComprehensionRequired(i);
            }
            answerError(transport, source, destination, Stun.ERROR_UNKNOWN_ATTRIBUTE, REASON_UNKNOWN_ATTRIBUTE, unknown);
            drops.count(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED, source);
            return;
        }
        switch (role.settle(message, config.lite())) {
            case KEEP -> { }
            case SWITCH -> switchRole(!role.controlling());
            case REJECT -> {
                answerError(transport, source, destination, Stun.ERROR_ROLE_CONFLICT, REASON_ROLE_CONFLICT, 0);
                drops.count(IceDropReason.ROLE_CONFLICT, source);
                return;
            }
        }

        CandidatePair pair = checks.find(destination, source, protocol);
        if (pair == null) {
            if (isPassiveTcp(local) && checks.passiveTcpPairs() >= config.maxTcpConnections()) {
                drops.count(IceDropReason.TCP_CONNECTION_LIMIT, source); // unanswered: the listener closes the connection
                return;
            }
            Candidate remote = candidates.remoteByAddress(source, protocol);
            if (remote == null) {
                // RFC 8445 §7.3.1.3: an authenticated check from an unknown address is a peer-reflexive candidate;
                // over TCP (RFC 6544 §7.2) one of the other direction than the candidate it reached.
                long prio = message.hasPriority() ? message.priority() : Candidate.priority(110, 65535, 1);
                TcpType tcpType = protocol != TransportProtocol.TCP ? null
                        : local.tcpType() == TcpType.PASSIVE ? TcpType.ACTIVE : TcpType.PASSIVE;
                remote = Candidate.remotePeerReflexive(source, prio, 1, protocol, tcpType);
                if (candidates.learnRemote(remote) == Candidates.Outcome.OVER_LIMIT) {
                    drops.count(IceDropReason.PEER_REFLEXIVE_LIMIT, source);
                    return;
                }
                failure.remoteCandidateLearnt(now);
                routeVersion++;
                events.add(new IceEvent.NewPeerReflexiveCandidate(remote));
            }
            pair = addPair(local, remote, true);
        }

        byte[] ip = pair != null ? pair.remoteIp : source.getAddress().getAddress();
        if (!outbox.writeSuccess(destination, source, transport, message, ip, credentials.localPwd())) {
            drops.count(IceDropReason.TRANSMIT_QUEUE_FULL, source);
        }
        if (pair == null) {
            return; // check list full: answered, but not tracked
        }
        if (!pair.provenByPeer()) {
            routeVersion++;
        }
        pair.checkedByPeer(now);
        boolean useCandidate = message.useCandidate() && !role.controlling();
        if (config.lite()) {
            // A lite agent's pairs are valid as soon as a check arrives (§6.1.1 / §7.3.1.4).
            pair.succeeded();
            if (useCandidate) {
                pair.markRemoteNominated();
                nominate(now, pair);
            }
            refreshConsent(now, pair);
            return;
        }
        if (useCandidate) {
            pair.markRemoteNominated();
            if (pair.isSucceeded()) {
                nominate(now, pair);
            }
        }
        // Triggered check (§7.3.1.4): unless one is already underway or it already worked.
        if (pair.isWaiting() || pair.isFailed()) {
            pair.waiting();
            checks.trigger(pair);
        }
        if (role.controlling() && config.nomination() == Nomination.REGULAR) {
            // A pair whose nominating check went unanswered, and which had gone quiet by then, is fresh again:
            // nominate it now rather than wait for a timer that may be the checking timeout.
            nominator.considerRegular(now);
        }
    }

    private static boolean isPassiveTcp(Candidate local) {
        return local.transport() == TransportProtocol.TCP && local.tcpType() == TcpType.PASSIVE;
    }

    private void answerError(Transport transport, InetSocketAddress source, InetSocketAddress destination, int code, byte[] reason,
                             int unknown) {
        if (!outbox.writeError(destination, source, transport, message, code, reason, unknownScratch, unknown, credentials.localPwd())) {
            drops.count(IceDropReason.TRANSMIT_QUEUE_FULL, source);
        }
    }

    private void switchRole(boolean nowControlling) {
        if (applyRole(nowControlling)) {
            events.add(new IceEvent.RoleChanged(nowControlling));
        }
    }

    private void onResponse(long now, Transport transport, InetSocketAddress source, InetSocketAddress destination) {
        int txHigh = message.transactionHigh();
        long txLow = message.transactionLow();
        CandidatePair pair = checks.byTransaction(txHigh, txLow);
        if (pair == null) {
            drops.count(checks.isEndedTransaction(txHigh, txLow) ? IceDropReason.LATE_RESPONSE : IceDropReason.UNKNOWN_TRANSACTION, source);
            return;
        }
        boolean isConsent = !pair.isCheckTransaction(txHigh, txLow);
        if (!message.hasMessageIntegrity()) {
            drops.count(IceDropReason.MISSING_INTEGRITY, source);
            return;
        }
        if (!credentials.hasRemote() || !message.verifyIntegrity(mac, credentials.remotePwd())) {
            drops.count(IceDropReason.BAD_INTEGRITY, source);
            return;
        }
        if (!source.equals(pair.remote.address()) || !destination.equals(pair.local.base()) || transport != pair.transport()) {
            // §7.2.5.2.1: non-symmetric transport addresses fail the check.
            drops.count(IceDropReason.ASYMMETRIC_RESPONSE, source);
            if (!isConsent) {
                failCheck(pair);
            }
            return;
        }
        if (message.isErrorResponse()) {
            if (message.errorCode() == Stun.ERROR_ROLE_CONFLICT) {
                // §7.2.5.1: switch to the other role than the one the check claimed, and retry.
                switchRole(!pair.sentControlling());
                pair.endCheck();
                pair.endConsent();
                pair.waiting();
                checks.trigger(pair);
            } else {
                drops.count(IceDropReason.ERROR_RESPONSE, source);
                if (!isConsent) {
                    failCheck(pair);
                    maybeFail();
                }
            }
            return;
        }
        boolean wasNominating = pair.checkCarriesUseCandidate() && !isConsent;
        if (isConsent) {
            pair.endConsent();
        } else {
            pair.endCheck();
        }
        pair.succeeded();
        if (!isConsent && message.hasXorMappedAddress()) {
            // Connectivity checks only, not consent, so this stays off the steady-state path.
            int n = message.mappedAddress(mappedScratch);
            if (candidates.learnLocal(mappedScratch, n, message.mappedPort(), pair.local) == Candidates.Outcome.OVER_LIMIT) {
                drops.count(IceDropReason.PEER_REFLEXIVE_LIMIT, pair.remote.address());
            }
        }
        refreshConsent(now, pair);
        nominator.checkSucceeded(now);
        if (role.controlling() ? wasNominating || pair.nominated() : pair.remoteNominated()) {
            nominate(now, pair);
        }
        if (role.controlling() && config.nomination() == Nomination.REGULAR) {
            nominator.considerRegular(now);
        }
    }

    private void failCheck(CandidatePair pair) {
        pair.endCheck();
        pair.failed();
        failure.pairFailed(lastNow);
    }

    private void refreshConsent(long now, CandidatePair pair) {
        if (!pair.provenByPeer()) {
            routeVersion++;
        }
        pair.answered(now);
        if (pair == consent.selected() && state == IceConnectionState.DISCONNECTED) {
            setState(IceConnectionState.CONNECTED);
        }
    }

    private void nominate(long now, CandidatePair pair) {
        if (!nominator.nominate(now, pair)) {
            return;
        }
        routeVersion++;
        events.add(new IceEvent.SelectedPairChanged(pair.local, pair.remote));
        if (state != IceConnectionState.CONNECTED && state != IceConnectionState.COMPLETED) {
            setState(IceConnectionState.CONNECTED);
        }
    }

    // ---------------------------------------------------------------- timers

    public void handleTimeout(long now) {
        outbox.recyclePolled();
        advanceClock(now);
        if (isOver()) {
            return;
        }
        CandidatePair media = consent.mediaPair();
        if (media != null && state != IceConnectionState.DISCONNECTED && now >= consent.expiresAt(media)) {
            setState(IceConnectionState.DISCONNECTED);
        }
        if (maybeFail()) {
            return;
        }
        relays.handleTimeout(now);
        if (!config.lite()) {
            scheduler.retransmit(now);
            if (role.controlling() && config.nomination() == Nomination.REGULAR) {
                nominator.considerRegular(now);
            }
            scheduler.sendNext(now);
            if (consent.checkDue(now)) {
                scheduler.sendConsent(consent.selected());
                consent.scheduleNext(now);
            }
        }
        if (consent.selected() != null && state == IceConnectionState.CONNECTED && remoteEndOfCandidates
                && !checks.checksPending()) {
            setState(IceConnectionState.COMPLETED);
        }
        maybeFail();
    }

    /** Goes FAILED if its time has come; true if so. */
    private boolean maybeFail() {
        if (failDeadline() <= lastNow) {
            setState(IceConnectionState.FAILED);
            return true;
        }
        return false;
    }

    /**
     * When FAILED is due ({@code Long.MAX_VALUE} while it is not): in CHECKING, the checking timeout, or
     * sooner once every pair has failed (see {@link FailureTimers}); in DISCONNECTED, the end of
     * {@link IceConfig#failAfterDisconnectedNanos()}.
     */
    private long failDeadline() {
        return switch (state) {
            case CHECKING -> {
                long d = consent.mediaPair() == null ? failure.checkingDeadline() : Long.MAX_VALUE;
                if (!config.lite() && !checks.isEmpty() && checks.allFailed()) {
                    d = Math.min(d, failure.allPairsFailedDeadline(remoteEndOfCandidates));
                }
                yield d;
            }
            case DISCONNECTED -> failure.disconnectedDeadline();
            case NEW, CONNECTED, COMPLETED, FAILED, CLOSED -> Long.MAX_VALUE;
        };
    }

    // ---------------------------------------------------------------- plumbing

    private void setState(IceConnectionState next) {
        if (next == state) {
            return;
        }
        IceConnectionState prev = state;
        state = next;
        if (next == IceConnectionState.CHECKING) {
            failure.checkingStarted();
        } else if (next == IceConnectionState.DISCONNECTED) {
            failure.disconnected(lastNow);
        }
        events.add(new IceEvent.StateChanged(prev, next));
    }

    @Override
    public String toString() {
        return "IceAgent[" + (role.controlling() ? "controlling" : "controlled") + (config.lite() ? ", lite" : "") + ", " + state
                + ", pairs=" + checks.size() + ", selected=" + consent.selected() + "]";
    }
}
