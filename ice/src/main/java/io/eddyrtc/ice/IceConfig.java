package io.eddyrtc.ice;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Timers, limits and choices of the agent. Defaults follow str0m's figures (50 ms pacing, 250 ms first
 * retransmission doubling to 3 s, 9 transmits) and RFC 7675 §5.1 (a consent check every 5 s randomised to
 * 0.8..1.2, so 4 to 6 s apart, each sent once; consent lost after 30 s).
 *
 * @param consentIntervalNanos the base interval between consent checks on the selected pair, each randomised
 *     to 0.8..1.2 of it. Default 5 s, RFC 7675's: the RFC forbids checks less than 4 s apart, so a shorter
 *     interval is for tests that want consent lost quickly. With ten thousand peers on a server, checks and
 *     their answers are most of what an idle peer costs, and 5 s costs 40 % less than the 3 s some stacks use
 *     (perf/results/density.md)
 * @param consentTimeoutNanos no answer on the selected pair for this long and consent is lost (RFC 7675
 *     §5.1): the agent goes DISCONNECTED and application data stops
 * @param failAfterDisconnectedNanos how long DISCONNECTED may last before the agent gives up: FAILED, no
 *     more datagrams to the peer, and only {@link IceAgent#restart()} brings it back. Default 10 s, so a
 *     vanished peer is let go at most 40 s after its last answer. Browsers give up after about as long:
 *     Firefox fails when consent expires (30 s after the last answer), libwebrtc once every connection
 *     has gone unanswered for its write timeout (CONNECTION_WRITE_TIMEOUT, 15 s), Pion after 5 + 25 s
 *     without traffic. The 10 s beyond consent expiry let a path that comes back (an
 *     outage just over 30 s) recover without an ICE restart.
 * @param checkingTimeoutNanos how long the agent may stay CHECKING without selecting a pair before it
 *     gives up (FAILED), whatever keeps the checks going: a peer that answers but never nominates, or
 *     one whose checks keep reviving pairs our checks never get through on. Default 60 s, twice the
 *     consent timeout: ordinary failures come sooner (every pair fails 18.75 s after its first check,
 *     FAILED follows at once after end-of-candidates or after the trickle grace). {@code Long.MAX_VALUE}
 *     checks for as long as there is something to check
 * @param maxPairs the check list's length; pairs beyond it are not formed (counted as
 *     {@link IceDropReason#PAIR_LIMIT})
 * @param maxRemoteCandidates signalled remote candidates kept; more are dropped (counted as
 *     {@link IceDropReason#REMOTE_CANDIDATE_LIMIT}). Default 50: browsers signal a few per interface
 * @param maxPeerReflexiveCandidates peer-reflexive candidates learnt on each side (remote ones from the
 *     peer's checks, local ones from its answers); checks from further new addresses are dropped
 *     unanswered, further mapped addresses ignored (both counted as
 *     {@link IceDropReason#PEER_REFLEXIVE_LIMIT}). Default 20: one per NAT mapping is the usual count
 * @param trickleGraceNanos once every pair has failed, how long to wait for more remote candidates
 *     before declaring FAILED when the peer never sends end-of-candidates (many don't);
 *     {@code Long.MAX_VALUE} waits for end-of-candidates strictly
 * @param maxTcpConnections ICE-TCP connections the peer may check us on through our passive candidates (one
 *     pair each); a check on a further connection is dropped unanswered ({@link IceDropReason#TCP_CONNECTION_LIMIT}),
 *     so the caller's listener, which closes connections no agent took, closes it. Default 8: a browser opens one
 *     per interface it has
 * @param turnServers the TURN servers to allocate relayed candidates on (RFC 8656), from every UDP host candidate
 *     of the server's address family; empty for none
 * @param relayOnly use relayed candidates only, as a browser's {@code iceTransportPolicy: "relay"}: host
 *     candidates are the bases TURN allocations are made from, but are neither paired nor answered on, and
 *     {@link IceAgent#localCandidates()} lists only the relayed ones
 * @param maxRelayPeers peers (remote transport addresses) each TURN allocation keeps a permission and channel for;
 *     pairs of a relayed candidate with further remote candidates are not formed
 *     ({@link IceDropReason#RELAY_PEER_LIMIT}). Default 16
 */
public record IceConfig(
        long checkIntervalNanos,
        long initialRtoNanos,
        long maxRtoNanos,
        int maxTransmits,
        long consentIntervalNanos,
        long consentTimeoutNanos,
        long failAfterDisconnectedNanos,
        long checkingTimeoutNanos,
        long regularNominationWaitNanos,
        long staleSelectedPairNanos,
        Nomination nomination,
        boolean lite,
        int maxPairs,
        int maxRemoteCandidates,
        int maxPeerReflexiveCandidates,
        long trickleGraceNanos,
        int maxTcpConnections,
        List<TurnServer> turnServers,
        boolean relayOnly,
        int maxRelayPeers) {

    private static final long MS = 1_000_000L;

    public IceConfig {
        if (checkIntervalNanos <= 0 || initialRtoNanos <= 0 || maxRtoNanos < initialRtoNanos || maxTransmits < 1
                || consentIntervalNanos <= 0 || consentTimeoutNanos <= consentIntervalNanos || failAfterDisconnectedNanos < 0
                || checkingTimeoutNanos <= 0 || trickleGraceNanos < 0) {
            throw new IllegalArgumentException("IceConfig needs positive timers, maxRto >= initialRto, "
                    + "consentTimeout > consentInterval and at least one transmit; start from IceConfig.defaults()");
        }
        if (maxPairs < 1 || maxRemoteCandidates < 1 || maxPeerReflexiveCandidates < 0) {
            throw new IllegalArgumentException("IceConfig needs room for at least one pair and one remote candidate; "
                    + "start from IceConfig.defaults() and change the limits with withLimits");
        }
        if (maxTcpConnections < 0 || maxRelayPeers < 1) {
            throw new IllegalArgumentException("IceConfig needs maxTcpConnections >= 0 and maxRelayPeers >= 1; "
                    + "start from IceConfig.defaults()");
        }
        turnServers = List.copyOf(Objects.requireNonNull(turnServers, "turnServers: List.of() for none"));
        if (relayOnly && turnServers.isEmpty()) {
            throw new IllegalArgumentException("relayOnly needs at least one TURN server (withTurnServers): "
                    + "without one there would be no candidate at all");
        }
        if (nomination == null) {
            throw new IllegalArgumentException("nomination must be REGULAR or AGGRESSIVE");
        }
    }

    public static IceConfig defaults() {
        return new IceConfig(50 * MS, 250 * MS, 3000 * MS, 9, 5000 * MS, 30_000 * MS, 10_000 * MS, 60_000 * MS,
                300 * MS, 7_500 * MS, Nomination.REGULAR, false, 100, 50, 20, 10_000 * MS, 8, List.of(), false, 16);
    }

    public IceConfig withLite(boolean value) {
        return edit(c -> c.lite = value);
    }

    public IceConfig withNomination(Nomination value) {
        return edit(c -> c.nomination = value);
    }

    public IceConfig withRetransmission(long initialRto, long maxRto, int transmits) {
        return edit(c -> {
            c.initialRtoNanos = initialRto;
            c.maxRtoNanos = maxRto;
            c.maxTransmits = transmits;
        });
    }

    /** Consent checks every {@code interval} (randomised ±20 %), consent lost after {@code timeout} without an answer. */
    public IceConfig withConsent(long interval, long timeout) {
        return edit(c -> {
            c.consentIntervalNanos = interval;
            c.consentTimeoutNanos = timeout;
        });
    }

    public IceConfig withCheckInterval(long nanos) {
        return edit(c -> c.checkIntervalNanos = nanos);
    }

    public IceConfig withTrickleGrace(long nanos) {
        return edit(c -> c.trickleGraceNanos = nanos);
    }

    /** How long DISCONNECTED may last before FAILED; {@code 0} fails as soon as consent is lost. */
    public IceConfig withFailAfterDisconnected(long nanos) {
        return edit(c -> c.failAfterDisconnectedNanos = nanos);
    }

    /** How long the agent may check without selecting a pair; {@code Long.MAX_VALUE} for no bound. */
    public IceConfig withCheckingTimeout(long nanos) {
        return edit(c -> c.checkingTimeoutNanos = nanos);
    }

    /** The caps on what a peer can make the agent hold: pairs, signalled and peer-reflexive candidates. */
    public IceConfig withLimits(int pairs, int remoteCandidates, int peerReflexiveCandidates) {
        return edit(c -> {
            c.maxPairs = pairs;
            c.maxRemoteCandidates = remoteCandidates;
            c.maxPeerReflexiveCandidates = peerReflexiveCandidates;
        });
    }

    /** How many ICE-TCP connections the peer may check us on (through our passive candidates). */
    public IceConfig withTcpConnectionLimit(int connections) {
        return edit(c -> c.maxTcpConnections = connections);
    }

    /** The TURN servers to allocate relayed candidates on. */
    public IceConfig withTurnServers(List<TurnServer> servers) {
        return edit(c -> c.turnServers = servers);
    }

    /** Relayed candidates only (a browser's {@code iceTransportPolicy: "relay"}); needs TURN servers. */
    public IceConfig withRelayOnly(boolean value) {
        return edit(c -> c.relayOnly = value);
    }

    /** How many peers each TURN allocation keeps a permission and a channel for. */
    public IceConfig withRelayPeerLimit(int peers) {
        return edit(c -> c.maxRelayPeers = peers);
    }

    private IceConfig edit(Consumer<Values> change) {
        Values v = new Values(this);
        change.accept(v);
        return v.build();
    }

    /** A mutable copy, so each {@code with...} names only what it changes. */
    private static final class Values {
        long checkIntervalNanos;
        long initialRtoNanos;
        long maxRtoNanos;
        int maxTransmits;
        long consentIntervalNanos;
        long consentTimeoutNanos;
        long failAfterDisconnectedNanos;
        long checkingTimeoutNanos;
        long regularNominationWaitNanos;
        long staleSelectedPairNanos;
        Nomination nomination;
        boolean lite;
        int maxPairs;
        int maxRemoteCandidates;
        int maxPeerReflexiveCandidates;
        long trickleGraceNanos;
        int maxTcpConnections;
        List<TurnServer> turnServers;
        boolean relayOnly;
        int maxRelayPeers;

        Values(IceConfig c) {
            checkIntervalNanos = c.checkIntervalNanos;
            initialRtoNanos = c.initialRtoNanos;
            maxRtoNanos = c.maxRtoNanos;
            maxTransmits = c.maxTransmits;
            consentIntervalNanos = c.consentIntervalNanos;
            consentTimeoutNanos = c.consentTimeoutNanos;
            failAfterDisconnectedNanos = c.failAfterDisconnectedNanos;
            checkingTimeoutNanos = c.checkingTimeoutNanos;
            regularNominationWaitNanos = c.regularNominationWaitNanos;
            staleSelectedPairNanos = c.staleSelectedPairNanos;
            nomination = c.nomination;
            lite = c.lite;
            maxPairs = c.maxPairs;
            maxRemoteCandidates = c.maxRemoteCandidates;
            maxPeerReflexiveCandidates = c.maxPeerReflexiveCandidates;
            trickleGraceNanos = c.trickleGraceNanos;
            maxTcpConnections = c.maxTcpConnections;
            turnServers = c.turnServers;
            relayOnly = c.relayOnly;
            maxRelayPeers = c.maxRelayPeers;
        }

        IceConfig build() {
            return new IceConfig(checkIntervalNanos, initialRtoNanos, maxRtoNanos, maxTransmits, consentIntervalNanos,
                    consentTimeoutNanos, failAfterDisconnectedNanos, checkingTimeoutNanos, regularNominationWaitNanos,
                    staleSelectedPairNanos, nomination, lite, maxPairs, maxRemoteCandidates, maxPeerReflexiveCandidates,
                    trickleGraceNanos, maxTcpConnections, turnServers, relayOnly, maxRelayPeers);
        }
    }
}
