package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.SansIoNode;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two agents on the virtual-time network, in the situations calls actually meet. */
@ExtendWith(SeedExtension.class)
class IceAgentScenarioTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;

    static InetSocketAddress addr(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    static final InetSocketAddress A1 = addr("10.0.0.1", 5000);
    static final InetSocketAddress B1 = addr("10.0.1.1", 6000);

    VirtualNetwork net;
    IceNode a;
    IceNode b;

    void setUp(long seed, IceConfig ca, boolean aControlling, IceConfig cb, boolean bControlling) {
        Random r = new Random(seed);
        net = new VirtualNetwork(seed);
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(20));
        a = new IceNode("A", IceNode.seededAgent(ca, aControlling, r.nextLong()));
        b = new IceNode("B", IceNode.seededAgent(cb, bControlling, r.nextLong()));
    }

    void setUp(long seed) {
        setUp(seed, IceConfig.defaults(), true, IceConfig.defaults(), false);
    }

    void exchangeCredentials() {
        a.agent.setRemoteCredentials(b.agent.localUfrag(), b.agent.localPassword());
        b.agent.setRemoteCredentials(a.agent.localUfrag(), a.agent.localPassword());
    }

    void host(IceNode node, InetSocketAddress... addresses) {
        net.attach(node, addresses);
        for (InetSocketAddress x : addresses) {
            node.agent.addLocalCandidate(Candidate.host(x));
        }
    }

    /** Signals every local candidate of {@code from} to {@code to}, through SDP text like a real app. */
    static void signal(IceNode from, IceNode to) {
        for (Candidate c : from.agent.localCandidates()) {
            to.agent.addRemoteCandidate(Candidate.parse("a=" + c.toSdpString()));
        }
    }

    boolean bothConnected() {
        return a.connected() && b.connected();
    }

    void assertPaired() {
        assertEquals(a.agent.dataSource(), b.agent.dataDestination(), "B sends where A listens");
        assertEquals(b.agent.dataSource(), a.agent.dataDestination(), "A sends where B listens");
    }

    @Test
    void hostOnlyConnects(@Seed long seed) {
        setUp(seed);
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, 2 * S), () -> "not connected: " + a + " / " + b);
        assertTrue(a.connectedAt < 500 * MS, "connected late: " + a.connectedAt / MS + " ms");
        assertPaired();
        assertEquals(A1, b.agent.dataDestination());
        assertEquals(0, a.agent.droppedTotal() - a.agent.dropped(IceDropReason.INDICATION));
        // The connection stays up over a minute of consent checks.
        net.runFor(60 * S);
        assertTrue(bothConnected());
        assertEquals(-1, a.disconnectedAt);
    }

    @Test
    void manyCandidatesSomeUnreachableStillPickAWorkingPairAndComplete(@Seed long seed) {
        setUp(seed);
        InetSocketAddress a2 = addr("192.168.1.2", 5001);
        InetSocketAddress a3 = addr("172.16.0.2", 5002);
        InetSocketAddress b2 = addr("192.168.9.9", 6001);
        InetSocketAddress b3 = addr("172.17.0.3", 6002);
        host(a, a2, a3, A1);
        host(b, b2, B1, b3);
        // Everything is blocked except A1 <-> B1 and a3 <-> b3.
        net.defaultConditions(LinkConditions.perfect().withBlocked(true));
        net.conditionsBothWays(A1, B1, LinkConditions.perfect().withLatencyMillis(30));
        net.conditionsBothWays(a3, b3, LinkConditions.perfect().withLatencyMillis(80));
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        a.agent.endOfRemoteCandidates();
        b.agent.endOfRemoteCandidates();
        assertEquals(9, a.agent.pairs().size());
        assertTrue(net.runUntil(this::bothConnected, 5 * S), () -> a + " / " + b);
        assertPaired();
        InetSocketAddress used = a.agent.dataSource();
        assertTrue(used.equals(A1) || used.equals(a3), "a blocked path was selected: " + used);
        assertTrue(net.runUntil(() -> a.agent.state() == IceConnectionState.COMPLETED
                && b.agent.state() == IceConnectionState.COMPLETED, 60 * S), () -> a + " / " + b);
        long failed = a.agent.pairs().stream().filter(p -> p.state() == CandidatePair.State.FAILED).count();
        assertEquals(7, failed, () -> a.agent.pairs().toString());
    }

    @Test
    void peerReflexiveDiscoveryWhenTheControlledSideKnowsNoCandidates(@Seed long seed) {
        setUp(seed);
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(b, a); // A knows B; B learns A only from A's checks
        assertTrue(net.runUntil(this::bothConnected, 3 * S), () -> a + " / " + b);
        assertEquals(1, b.count(IceEvent.NewPeerReflexiveCandidate.class));
        assertEquals(CandidateType.PEER_REFLEXIVE, b.agent.selectedPair().remote().type());
        assertPaired();
    }

    @Test
    void peerReflexiveDiscoveryWhenTheControllingSideKnowsNoCandidates(@Seed long seed) {
        setUp(seed);
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(a, b); // only B knows A
        assertTrue(net.runUntil(this::bothConnected, 3 * S), () -> a + " / " + b);
        assertEquals(1, a.count(IceEvent.NewPeerReflexiveCandidate.class));
        assertPaired();
    }

    @Test
    void roleConflictBothControllingIsResolvedByTheTieBreaker(@Seed long seed) {
        setUp(seed, IceConfig.defaults(), true, IceConfig.defaults(), true);
        a.agent.setTieBreaker(10);
        b.agent.setTieBreaker(20);
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, 3 * S), () -> a + " / " + b);
        assertFalse(a.agent.isControlling(), "the lower tie-breaker yields");
        assertTrue(b.agent.isControlling());
        assertEquals(1, a.count(IceEvent.RoleChanged.class));
        assertPaired();
    }

    @Test
    void roleConflictBothControlledIsResolvedByTheTieBreaker(@Seed long seed) {
        setUp(seed, IceConfig.defaults(), false, IceConfig.defaults(), false);
        a.agent.setTieBreaker(Long.MIN_VALUE); // unsigned comparison: this is the larger one
        b.agent.setTieBreaker(5);
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, 3 * S), () -> a + " / " + b);
        assertTrue(a.agent.isControlling(), "the higher tie-breaker takes control");
        assertFalse(b.agent.isControlling());
        assertPaired();
    }

    @Test
    void liteServerWithFullClient(@Seed long seed) {
        setUp(seed, IceConfig.defaults(), true, IceConfig.defaults().withLite(true), false);
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(b, a); // a lite server's candidates are in its answer; it learns the client from checks
        assertTrue(net.runUntil(this::bothConnected, 3 * S), () -> a + " / " + b);
        assertPaired();
        // The lite side never sends a request: everything it sent is a response.
        net.runFor(40 * S);
        assertTrue(bothConnected(), () -> a + " / " + b);
        assertTrue(b.agent.isLite());
    }

    @Test
    void aFullAgentAnsweringALitePeerTakesControl(@Seed long seed) {
        // B is lite; A was the answerer (controlled) but must control against a lite peer.
        setUp(seed, IceConfig.defaults(), false, IceConfig.defaults().withLite(true), false);
        a.agent.setRemoteLite(true);
        assertTrue(a.agent.isControlling());
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, 3 * S), () -> a + " / " + b);
        assertPaired();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> b.agent.setRemoteLite(true));
    }

    @Test
    void liteServerGoesDisconnectedThenFailedWhenTheClientStopsChecking(@Seed long seed) {
        setUp(seed, IceConfig.defaults(), true, IceConfig.defaults().withLite(true), false);
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, 3 * S));
        net.conditionsBothWays(A1, B1, LinkConditions.perfect().withBlocked(true));
        long blockedAt = net.now();
        assertTrue(net.runUntil(() -> b.agent.state() == IceConnectionState.DISCONNECTED, blockedAt + 40 * S));
        assertTrue(b.disconnectedAt - blockedAt <= 30 * S + 50 * MS, "lite noticed after " + (b.disconnectedAt - blockedAt) / MS);
        assertTrue(net.runUntil(() -> b.agent.state() == IceConnectionState.FAILED, b.disconnectedAt + 20 * S), b::toString);
        assertEquals(10 * S, b.failedAt - b.disconnectedAt, "FAILED after failAfterDisconnected (10 s)");
        assertEquals(Long.MAX_VALUE, b.agent.nextDeadline(), "a failed server-side agent holds no timers");
    }

    @Test
    void aPeerThatVanishesIsLetGoAndOnlyARestartBringsItBack(@Seed long seed) {
        setUp(seed);
        InetSocketAddress a2 = addr("10.0.0.2", 5001);
        host(a, A1, a2);
        host(b, B1);
        long lastGood = connectThenCutOff(); // B is gone, as after kill -9
        assertTrue(net.runUntil(() -> a.agent.state() == IceConnectionState.FAILED
                && b.agent.state() == IceConnectionState.FAILED, lastGood + 60 * S), () -> a + " / " + b);
        for (IceNode n : new IceNode[] {a, b}) {
            // Consent expires 30 s after the last answer (at most one jittered interval, 6 s, before the
            // block): DISCONNECTED; FAILED follows failAfterDisconnected (10 s) later.
            long after = n.failedAt - lastGood;
            assertTrue(after >= 40 * S - 6 * S && after <= 40 * S + 50 * MS, n.name + " failed after " + after / MS + " ms");
            assertEquals(10 * S, n.failedAt - n.disconnectedAt, n.name);
            assertNull(n.agent.dataDestination(), "no data to a failed peer");
            assertEquals(Long.MAX_VALUE, n.agent.nextDeadline(), "no timers once failed");
        }
        long sent = net.totals().sent;
        net.runFor(300 * S);
        assertEquals(sent, net.totals().sent, "not one datagram on any pair after FAILED");
        // The peer comes back and checks again: a failed agent neither answers nor checks.
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(20));
        net.conditionsBothWays(A1, B1, LinkConditions.perfect().withLatencyMillis(20));
        b.agent.restart();
        b.agent.setRemoteCredentials(a.agent.localUfrag(), a.agent.localPassword());
        signal(a, b);
        long fromA = net.stats(A1, B1).sent + net.stats(a2, B1).sent;
        net.runFor(10 * S);
        assertEquals(IceConnectionState.FAILED, a.agent.state());
        assertEquals(fromA, net.stats(A1, B1).sent + net.stats(a2, B1).sent, "A sent B nothing");
        assertTrue(a.agent.dropped(IceDropReason.FAILED) > 0, "B's checks were dropped and counted");
        // Only an ICE restart brings A back.
        a.agent.restart();
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, net.now() + 5 * S), () -> a + " / " + b);
        assertPaired();
    }

    @Test
    void trickledCandidatesArrivingLate(@Seed long seed) {
        setUp(seed);
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        net.runFor(700 * MS); // credentials known, no candidates yet
        assertEquals(IceConnectionState.NEW, a.agent.state());
        signal(a, b);
        net.runFor(300 * MS);
        signal(b, a);
        a.agent.endOfRemoteCandidates();
        b.agent.endOfRemoteCandidates();
        assertTrue(net.runUntil(this::bothConnected, 4 * S), () -> a + " / " + b);
        assertPaired();
    }

    @Test
    void connectsWithTwentyPercentLoss(@Seed long seed) {
        lossy(seed, 0.2, 5 * S);
    }

    @Test
    void connectsWithFiftyPercentLoss(@Seed long seed) {
        // a check round trip gets through one time in four, and a transaction gives up after 9 transmits (18.75 s),
        // so the nominating check may need a second transaction: within the 60 s checking timeout
        lossy(seed, 0.5, 60 * S);
    }

    @Test
    void connectsThroughDuplicationReorderingAndBurstyLoss(@Seed long seed) {
        setUp(seed);
        host(a, A1);
        host(b, B1);
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(60).withJitterMillis(30)
                .withDuplicate(0.3).withReorder(0.3, 100).withBursts(new io.eddyrtc.buffers.testkit.GilbertElliott(0.05, 0.3, 0.0, 0.9)));
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, 10 * S), () -> a + " / " + b);
        assertPaired();
        net.runFor(120 * S);
        assertTrue(bothConnected(), () -> a + " / " + b);
    }

    @Test
    void aNominationWhoseAnswersWereLostIsMadeAgainOnceThePeerIsHeardFrom(@Seed long seed) {
        setUp(seed);
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(() -> succeeded(a) && succeeded(b) && !a.connected(), 2 * S), () -> a + " / " + b);
        // Both checks worked; A now nominates. B follows the USE-CANDIDATE, but nothing of B reaches A for 20 s, so
        // A's nominating check runs out of transmits (18.75 s) and the pair has gone quiet by then.
        net.conditions(B1, A1, LinkConditions.perfect().withBlocked(true));
        long cut = net.now();
        net.runFor(20 * S);
        assertTrue(b.connected(), () -> b.toString());
        assertFalse(a.connected(), () -> "A never heard the answer: " + a);
        net.conditions(B1, A1, LinkConditions.perfect().withLatencyMillis(20));
        // B's next consent check (at most 6 s away) shows A the pair is alive: A nominates again, long before its
        // 60 s checking timeout would end it
        assertTrue(net.runUntil(this::bothConnected, cut + 27 * S), () -> a + " / " + b);
        assertPaired();
    }

    private static boolean succeeded(IceNode node) {
        return node.agent.pairs().stream().anyMatch(p -> p.state() == CandidatePair.State.SUCCEEDED);
    }

    private void lossy(long seed, double loss, long within) {
        setUp(seed);
        InetSocketAddress a2 = addr("10.0.0.2", 5001);
        host(a, A1, a2);
        host(b, B1);
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(40).withJitterMillis(10).withLoss(loss));
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, within), () -> a + " / " + b);
        assertPaired();
        // Then the path settles to 5 % loss, and consent holds over a few minutes. (Under the heavy loss itself it
        // need not: RFC 7675 sends a check every 4 to 6 s, each once, so five or six lost round trips in a row,
        // likely enough at 20 % loss each way, end consent 30 s after the last answer.)
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(40).withJitterMillis(10).withLoss(0.05));
        net.runFor(180 * S);
        assertTrue(bothConnected(), () -> a + " / " + b);
        assertEquals(-1, a.disconnectedAt, () -> a.toString());
        assertEquals(-1, b.disconnectedAt, () -> b.toString());
    }

    @Test
    void consentTimersAreConfigurableAndFailingCanFollowConsentLossAtOnce(@Seed long seed) {
        IceConfig quick = IceConfig.defaults().withConsent(1000 * MS, 4000 * MS).withFailAfterDisconnected(0);
        setUp(seed, quick, true, quick, false);
        host(a, A1);
        host(b, B1);
        long lastGood = connectThenCutOff();
        assertTrue(net.runUntil(() -> a.agent.state() == IceConnectionState.FAILED, lastGood + 10 * S), () -> a.toString());
        long after = a.failedAt - lastGood;
        assertTrue(after >= 4000 * MS - 1200 * MS && after <= 4000 * MS + 50 * MS, "failed " + after / MS + " ms after the cut");
        assertEquals(a.disconnectedAt, a.failedAt, "DISCONNECTED and FAILED at the same instant");
    }

    /** Connects, runs ten seconds, then blocks every path between the two; returns when that happened. */
    private long connectThenCutOff() {
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, 2 * S));
        net.runFor(10 * S);
        net.defaultConditions(LinkConditions.perfect().withBlocked(true));
        net.conditionsBothWays(A1, B1, LinkConditions.perfect().withBlocked(true));
        return net.now();
    }

    @Test
    void consentLossLeadsToDisconnectedWithinTheTimeoutAndRecovers(@Seed long seed) {
        setUp(seed);
        host(a, A1);
        host(b, B1);
        long lastGood = connectThenCutOff();
        assertTrue(net.runUntil(() -> a.agent.state() == IceConnectionState.DISCONNECTED
                && b.agent.state() == IceConnectionState.DISCONNECTED, lastGood + 40 * S), () -> a + " / " + b);
        // The last response was at most one jittered consent interval (<= 6 s) before the block.
        for (IceNode n : new IceNode[] {a, b}) {
            long after = n.disconnectedAt - lastGood;
            assertTrue(after >= 30 * S - 6 * S && after <= 30 * S + 50 * MS, n.name + " after " + after / MS + " ms");
            assertNull(n.agent.dataDestination(), "no data after consent is lost");
        }
        net.conditionsBothWays(A1, B1, LinkConditions.perfect().withLatencyMillis(20));
        assertTrue(net.runUntil(this::bothConnected, net.now() + 10 * S), () -> a + " / " + b);
        assertEquals(-1, a.failedAt, "back within failAfterDisconnected (10 s): never FAILED");
        assertEquals(-1, b.failedAt);
    }

    @Test
    void everyPairFailingLeadsToFailed(@Seed long seed) {
        setUp(seed);
        InetSocketAddress a2 = addr("10.0.0.2", 5001);
        host(a, A1, a2);
        host(b, B1);
        net.defaultConditions(LinkConditions.perfect().withBlocked(true));
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        a.agent.endOfRemoteCandidates();
        b.agent.endOfRemoteCandidates();
        assertTrue(net.runUntil(() -> a.agent.state() == IceConnectionState.FAILED
                && b.agent.state() == IceConnectionState.FAILED, 60 * S), () -> a + " / " + b);
        // 9 transmits: 250+500+1000+2000+3000*4 ms after the last check is paced out, plus the last RTO.
        assertTrue(a.failedAt <= 25 * S && a.failedAt >= 15 * S, "failed at " + a.failedAt / MS + " ms");
        assertNull(a.agent.dataDestination());
    }

    @Test
    void withoutEndOfCandidatesFailedComesAfterTheTrickleGrace(@Seed long seed) {
        setUp(seed);
        host(a, A1);
        host(b, B1);
        net.defaultConditions(LinkConditions.perfect().withBlocked(true));
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        // The last pair fails at 18.75 s (9 transmits); the default grace is 10 s more.
        assertTrue(net.runUntil(() -> a.agent.state() == IceConnectionState.FAILED, 60 * S), () -> a.toString());
        assertTrue(a.failedAt >= 28 * S && a.failedAt <= 30 * S, "failed at " + a.failedAt / MS + " ms");
        // FAILED is final: a candidate arriving afterwards is not checked...
        InetSocketAddress b2 = addr("10.0.1.2", 6001);
        host(b, b2);
        net.conditionsBothWays(A1, b2, LinkConditions.perfect().withLatencyMillis(10));
        a.agent.addRemoteCandidate(Candidate.host(b2));
        net.runFor(5 * S);
        assertEquals(IceConnectionState.FAILED, a.agent.state());
        assertEquals(0, net.stats(A1, b2).sent, "no check after FAILED");
        // ...until an ICE restart starts a new check list.
        a.agent.restart();
        b.agent.restart();
        exchangeCredentials();
        a.agent.addRemoteCandidate(Candidate.host(b2));
        assertTrue(net.runUntil(this::bothConnected, net.now() + 5 * S), () -> a + " / " + b);
        assertEquals(b2, a.agent.dataDestination());
    }

    /** Both sides wait for end-of-candidates strictly (no trickle grace), and no check gets through. */
    private void strictTrickleOverABlockedNetwork(long seed) {
        IceConfig strict = IceConfig.defaults().withTrickleGrace(Long.MAX_VALUE);
        setUp(seed, strict, true, strict, false);
        host(a, A1);
        host(b, B1);
        net.defaultConditions(LinkConditions.perfect().withBlocked(true));
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
    }

    @Test
    void withoutEndOfCandidatesAndNoGraceFailureWaitsForMoreCandidates(@Seed long seed) {
        strictTrickleOverABlockedNetwork(seed);
        net.runFor(45 * S);
        assertEquals(IceConnectionState.CHECKING, a.agent.state(), "trickle: more candidates may come");
        // A late candidate that works rescues the call.
        InetSocketAddress b2 = addr("10.0.1.2", 6001);
        host(b, b2);
        net.conditionsBothWays(A1, b2, LinkConditions.perfect().withLatencyMillis(10));
        a.agent.addRemoteCandidate(Candidate.host(b2));
        assertTrue(net.runUntil(this::bothConnected, net.now() + 5 * S), () -> a + " / " + b);
        assertEquals(b2, a.agent.dataDestination());
    }

    @Test
    void iceRestartKeepsMediaOnTheOldPairUntilTheNewOneIsNominated(@Seed long seed) {
        setUp(seed);
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, 2 * S));
        String oldUfrag = a.agent.localUfrag();
        long changesBefore = a.count(IceEvent.SelectedPairChanged.class);
        a.agent.restart();
        b.agent.restart();
        assertNotEquals(oldUfrag, a.agent.localUfrag());
        assertEquals(B1, a.agent.dataDestination(), "media stays on the old pair during the restart");
        net.runFor(1 * S); // signalling takes a while
        assertEquals(B1, a.agent.dataDestination());
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(() -> a.agent.selectedPair() != null && b.agent.selectedPair() != null, net.now() + 3 * S));
        assertEquals(changesBefore + 1, a.count(IceEvent.SelectedPairChanged.class));
        assertPaired();
        net.runFor(40 * S);
        assertTrue(bothConnected(), () -> a + " / " + b);
    }

    @Test
    void onlyAnAddressThePeerProvedIsVerifiedAndOnceSelectedOnlyThePairsRemote(@Seed long seed) {
        setUp(seed);
        InetSocketAddress b2 = addr("10.0.1.2", 6000); // signalled, never reachable
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        a.agent.addRemoteCandidate(Candidate.host(b2));
        assertFalse(a.agent.isVerifiedAddress(B1), "a signalled candidate is not verified before the peer proves it");
        assertTrue(net.runUntil(() -> a.agent.isVerifiedAddress(B1), 2 * S), "B's authenticated check or answer proves B1");
        assertTrue(net.runUntil(this::bothConnected, 2 * S));
        assertTrue(a.agent.isVerifiedAddress(B1) && b.agent.isVerifiedAddress(A1));
        assertFalse(a.agent.isVerifiedAddress(b2), "a signalled address the peer never sent from");
        assertFalse(a.agent.isVerifiedAddress(addr("10.0.1.1", 6001)), "another port of the peer's host");

        a.agent.restart();
        b.agent.restart();
        assertTrue(a.agent.isVerifiedAddress(B1), "during a restart the pair media stays on is still the peer's");
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(() -> a.agent.selectedPair() != null && b.agent.selectedPair() != null, net.now() + 3 * S));
        assertTrue(a.agent.isVerifiedAddress(B1) && b.agent.isVerifiedAddress(A1));
    }

    @Test
    void aRestartThatNeverCompletesEndsInDisconnectedWhenOldConsentRunsOut(@Seed long seed) {
        setUp(seed);
        host(a, A1);
        host(b, B1);
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, 2 * S));
        long restartedAt = net.now();
        a.agent.restart(); // the new credentials never reach B
        assertTrue(net.runUntil(() -> a.agent.state() == IceConnectionState.DISCONNECTED, restartedAt + 40 * S), () -> a.toString());
        assertTrue(a.disconnectedAt - restartedAt <= 30 * S, "took " + (a.disconnectedAt - restartedAt) / MS + " ms");
        assertNull(a.agent.dataDestination());
    }

    @Test
    void followsTheRemoteWhenItsAddressChangesMidCall(@Seed long seed) {
        setUp(seed);
        InetSocketAddress bLocal = addr("192.168.0.10", 6000);
        InetSocketAddress p1 = addr("203.0.113.5", 40000);
        InetSocketAddress p2 = addr("203.0.113.5", 41111);
        host(a, A1);
        net.attach(b, p1);
        b.agent.addLocalCandidate(Candidate.host(bLocal));
        b.nat.put(bLocal, p1);
        exchangeCredentials();
        signal(a, b);
        signal(b, a); // B's private host candidate is unreachable; A learns p1 as peer-reflexive
        assertTrue(net.runUntil(this::bothConnected, 3 * S), () -> a + " / " + b);
        assertEquals(p1, a.agent.dataDestination());
        assertTrue(b.agent.localCandidates().stream().anyMatch(c -> c.type() == CandidateType.PEER_REFLEXIVE
                && c.address().equals(p1) && c.base().equals(bLocal)), () -> "B learned its NAT mapping: " + b.agent.localCandidates());
        net.runFor(5 * S);
        // B's NAT rebinds: p1 disappears, B now appears as p2.
        net.detach(p1);
        net.attach(b, p2);
        b.nat.put(bLocal, p2);
        long movedAt = net.now();
        assertTrue(net.runUntil(() -> p2.equals(a.agent.dataDestination()), movedAt + 20 * S), () -> a + " / " + b);
        assertTrue(net.now() - movedAt < 15 * S, "took " + (net.now() - movedAt) / MS + " ms");
        assertTrue(bothConnected(), () -> a + " / " + b);
        net.runFor(40 * S);
        assertTrue(bothConnected(), () -> a + " / " + b);
        assertEquals(p2, a.agent.dataDestination());
    }

    @Test
    void controlledSideFollowsWhenTheControllingPeerMoves(@Seed long seed) {
        setUp(seed);
        InetSocketAddress aLocal = addr("192.168.0.20", 5000);
        InetSocketAddress p1 = addr("198.51.100.7", 30000);
        InetSocketAddress p2 = addr("198.51.100.8", 30001); // e.g. Wi-Fi to LTE: a new public address
        net.attach(a, p1);
        a.agent.addLocalCandidate(Candidate.host(aLocal));
        a.nat.put(aLocal, p1);
        host(b, B1);
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, 3 * S), () -> a + " / " + b);
        assertEquals(p1, b.agent.dataDestination());
        net.runFor(4 * S);
        net.detach(p1);
        net.attach(a, p2);
        a.nat.put(aLocal, p2);
        long movedAt = net.now();
        assertTrue(net.runUntil(() -> p2.equals(b.agent.dataDestination()), movedAt + 20 * S), () -> a + " / " + b);
        assertTrue(net.now() - movedAt < 15 * S, "took " + (net.now() - movedAt) / MS + " ms");
        assertTrue(b.agent.isVerifiedAddress(p2), "the rule follows the selected pair");
        assertFalse(b.agent.isVerifiedAddress(p1), "the old address is no longer the peer's");
        net.runFor(40 * S);
        assertTrue(bothConnected(), () -> a + " / " + b);
        assertEquals(p2, b.agent.dataDestination());
    }

    @Test
    void waitingForEndOfCandidatesStillStopsAtTheCheckingTimeout(@Seed long seed) {
        strictTrickleOverABlockedNetwork(seed);
        assertTrue(net.runUntil(() -> a.agent.state() == IceConnectionState.FAILED
                && b.agent.state() == IceConnectionState.FAILED, 120 * S), () -> a + " / " + b);
        for (IceNode n : new IceNode[] {a, b}) {
            assertTrue(n.failedAt >= 60 * S && n.failedAt <= 60 * S + 100 * MS, n.name + " failed at " + n.failedAt / MS + " ms");
        }
        long sent = net.totals().sent;
        net.runFor(120 * S);
        assertEquals(sent, net.totals().sent, "nothing is sent once both have failed");
    }

    @Test
    void aPeerThatAnswersButNeverNominatesIsGivenUpOn(@Seed long seed) {
        // A answers the offer (controlled). Its peer answers every check but never nominates one, so
        // without a bound A would stay CHECKING, answering and holding its pairs, for good.
        setUp(seed, IceConfig.defaults(), false, IceConfig.defaults(), false);
        AnsweringPeer peer = new AnsweringPeer();
        host(a, A1);
        net.attach(peer, B1);
        a.agent.setRemoteCredentials(AnsweringPeer.UFRAG, AnsweringPeer.PWD);
        a.agent.addRemoteCandidate(Candidate.host(B1));
        net.runFor(5 * S);
        assertEquals(CandidatePair.State.SUCCEEDED, a.agent.pairs().getFirst().state(), "the check worked");
        assertEquals(IceConnectionState.CHECKING, a.agent.state(), "but nothing was nominated");
        assertTrue(net.runUntil(() -> a.agent.state() == IceConnectionState.FAILED, 120 * S), () -> a.toString());
        assertTrue(a.failedAt >= 60 * S && a.failedAt <= 60 * S + 100 * MS, "failed at " + a.failedAt / MS + " ms");
        assertEquals(Long.MAX_VALUE, a.agent.nextDeadline());
    }

    /** A peer that answers every Binding request with a signed success and never checks or nominates. */
    static final class AnsweringPeer implements SansIoNode {
        static final String UFRAG = "peer";
        static final String PWD = "peerpasswordpeerpassword";

        private record Answer(InetSocketAddress from, InetSocketAddress to, byte[] datagram) {}

        private final ArrayDeque<Answer> out = new ArrayDeque<>();
        private final StunMessage request = new StunMessage();
        private final HmacSha1 mac = new HmacSha1();

        @Override
        public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
            if (!request.wrap(MemorySegment.ofArray(datagram)) || !request.isRequest()) {
                return;
            }
            byte[] answer = new byte[128];
            int length = new StunWriter()
                    .begin(MemorySegment.ofArray(answer), 0, answer.length, Stun.BINDING_SUCCESS,
                            request.transactionHigh(), request.transactionLow())
                    .addXorMappedAddress(source.getAddress().getAddress(), source.getPort())
                    .addMessageIntegrity(mac, PWD.getBytes(StandardCharsets.US_ASCII))
                    .addFingerprint()
                    .length();
            out.add(new Answer(destination, source, Arrays.copyOf(answer, length)));
        }

        @Override
        public void timeout(long now) {
        }

        @Override
        public long nextDeadline() {
            return Long.MAX_VALUE;
        }

        @Override
        public void drainTransmits(long now, Transmitter transmitter) {
            for (Answer d; (d = out.poll()) != null; ) {
                transmitter.send(d.from(), d.to(), d.datagram());
            }
        }
    }

    @Test
    void aggressiveNominationConnects(@Seed long seed) {
        setUp(seed, IceConfig.defaults().withNomination(Nomination.AGGRESSIVE), true, IceConfig.defaults(), false);
        InetSocketAddress a2 = addr("10.0.0.2", 5001);
        host(a, A1, a2);
        host(b, B1);
        exchangeCredentials();
        signal(a, b);
        signal(b, a);
        assertTrue(net.runUntil(this::bothConnected, 2 * S), () -> a + " / " + b);
        net.runFor(2 * S);
        assertPaired();
    }
}
