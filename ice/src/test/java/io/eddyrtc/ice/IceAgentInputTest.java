package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Hostile and odd input to one agent: each case is dropped or answered as RFC 8445/8489 say, and counted. */
class IceAgentInputTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress REMOTE = new InetSocketAddress("10.0.0.2", 6000);
    static final InetSocketAddress STRANGER = new InetSocketAddress("10.9.9.9", 7777);
    static final String LUFRAG = "locl";
    static final String LPWD = "localpasswordlocalpassword";
    static final String RUFRAG = "remo";
    static final String RPWD = "remotepasswordremotepassword";

    final IceAgent agent = IceNode.seededAgent(IceConfig.defaults(), false, 1);
    final HmacSha1 mac = new HmacSha1();
    final StunMessage parsed = new StunMessage();

    IceAgentInputTest() {
        agent.setLocalCredentials(LUFRAG, LPWD);
        agent.setRemoteCredentials(RUFRAG, RPWD);
        agent.addLocalCandidate(Candidate.host(LOCAL));
        agent.addRemoteCandidate(Candidate.host(REMOTE));
        agent.setTieBreaker(1000);
    }

    /** A controlling agent with the test's credentials and LOCAL as its candidate. */
    static IceAgent controllingAgent(IceConfig config, long seed) {
        IceAgent controlling = IceNode.seededAgent(config, true, seed);
        controlling.setLocalCredentials(LUFRAG, LPWD);
        controlling.setRemoteCredentials(RUFRAG, RPWD);
        controlling.addLocalCandidate(Candidate.host(LOCAL));
        return controlling;
    }

    byte[] request(String username, String pwd, Consumer<StunWriter> extra, boolean fingerprint) {
        byte[] out = new byte[512];
        StunWriter w = new StunWriter();
        w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_REQUEST, 0x01020304, 0x05060708090a0b0cL);
        w.addBytes(Stun.USERNAME, username.getBytes(StandardCharsets.UTF_8)).addPriority(0x6e0001ffL);
        extra.accept(w);
        if (pwd != null) {
            w.addMessageIntegrity(mac, pwd.getBytes(StandardCharsets.UTF_8));
        }
        if (fingerprint) {
            w.addFingerprint();
        }
        return Arrays.copyOf(out, w.length());
    }

    byte[] validRequest(Consumer<StunWriter> extra) {
        return request(LUFRAG + ":" + RUFRAG, LPWD, extra, true);
    }

    boolean feed(InetSocketAddress from, byte[] datagram) {
        return agent.handleReceive(0, from, LOCAL, MemorySegment.ofArray(datagram));
    }

    StunTransmit onlyTransmit() {
        StunTransmit t = agent.pollTransmit();
        assertNotNull(t, "expected a response");
        byte[] copy = t.toByteArray();
        assertNull(agent.pollTransmit(), "expected exactly one datagram");
        assertTrue(parsed.wrap(MemorySegment.ofArray(copy)));
        return t;
    }

    @Test
    void aValidCheckIsAnsweredWithItsSourceAddress() {
        assertTrue(feed(REMOTE, validRequest(w -> w.addIceControlling(5))));
        StunTransmit t = onlyTransmit();
        assertEquals(REMOTE, t.destination());
        assertEquals(LOCAL, t.source());
        assertTrue(parsed.isSuccessResponse());
        assertEquals(0x01020304, parsed.transactionHigh());
        assertTrue(parsed.verifyIntegrity(mac, LPWD.getBytes()));
        assertTrue(parsed.verifyFingerprint());
        assertEquals(6000, parsed.mappedPort());
        assertEquals(0, agent.droppedTotal());
    }

    @Test
    void nonStunIsNotTheAgents() {
        byte[] dtls = new byte[40];
        dtls[0] = 22;
        assertFalse(feed(REMOTE, dtls));
        assertFalse(IceAgent.accepts(MemorySegment.ofArray(dtls)));
        assertFalse(feed(REMOTE, new byte[3]));
        assertTrue(IceAgent.accepts(MemorySegment.ofArray(validRequest(w -> { }))));
    }

    @Test
    void wrongUsernameIsDropped() {
        assertTrue(feed(REMOTE, request("other:" + RUFRAG, LPWD, w -> { }, true)));
        assertNull(agent.pollTransmit());
        assertEquals(1, agent.dropped(IceDropReason.WRONG_USERNAME));
    }

    @Test
    void badIntegrityIsDropped() {
        assertTrue(feed(REMOTE, request(LUFRAG + ":" + RUFRAG, "not the password at all!", w -> { }, true)));
        assertNull(agent.pollTransmit());
        assertEquals(1, agent.dropped(IceDropReason.BAD_INTEGRITY));
    }

    @Test
    void missingIntegrityIsDropped() {
        assertTrue(feed(REMOTE, request(LUFRAG + ":" + RUFRAG, null, w -> { }, true)));
        assertNull(agent.pollTransmit());
        assertEquals(1, agent.dropped(IceDropReason.MISSING_INTEGRITY));
    }

    @Test
    void badFingerprintIsDropped() {
        byte[] r = validRequest(w -> { });
        r[r.length - 1] ^= 1;
        assertTrue(feed(REMOTE, r));
        assertNull(agent.pollTransmit());
        assertEquals(1, agent.dropped(IceDropReason.BAD_FINGERPRINT));
    }

    @Test
    void aModifiedAuthenticatedByteIsDropped() {
        byte[] r = request(LUFRAG + ":" + RUFRAG, LPWD, w -> { }, false);
        r[r.length - 26] ^= 0x40; // a PRIORITY value byte, covered by the MAC
        assertTrue(feed(REMOTE, r));
        assertEquals(1, agent.dropped(IceDropReason.BAD_INTEGRITY));
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420() {
        assertTrue(feed(REMOTE, validRequest(w -> w.addBytes(0x0077, new byte[] {1, 2, 3}))));
        onlyTransmit();
        assertTrue(parsed.isErrorResponse());
        assertEquals(420, parsed.errorCode());
        int at = parsed.find(Stun.UNKNOWN_ATTRIBUTES);
        assertEquals(0x0077, io.eddyrtc.buffers.BigEndian.u16(parsed.segment(), at));
        assertEquals(1, agent.dropped(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED));
    }

    @Test
    void chromesNetworkCostAndOtherOptionalAttributesAreIgnored() {
        assertTrue(feed(REMOTE, validRequest(w -> w.addBytes(Stun.NETWORK_COST, new byte[] {0, 1, 0, 10})
                .addBytes(0xC060, new byte[] {9}))));
        onlyTransmit();
        assertTrue(parsed.isSuccessResponse());
    }

    @Test
    void truncatedAttributeIsMalformed() {
        byte[] r = validRequest(w -> { });
        r[22] = 0x7F; // USERNAME length far past the end
        assertTrue(feed(REMOTE, r));
        assertEquals(1, agent.dropped(IceDropReason.MALFORMED));
        assertNull(agent.pollTransmit());
    }

    @Test
    void responseToAnUnknownTransactionIsDropped() {
        byte[] out = new byte[128];
        StunWriter w = new StunWriter();
        w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_SUCCESS, 7, 8)
                .addXorMappedAddress(new byte[] {10, 0, 0, 1}, 5000)
                .addMessageIntegrity(mac, RPWD.getBytes())
                .addFingerprint();
        assertTrue(feed(REMOTE, Arrays.copyOf(out, w.length())));
        assertEquals(1, agent.dropped(IceDropReason.UNKNOWN_TRANSACTION));
    }

    @Test
    void validCheckFromAnUnknownAddressBecomesPeerReflexive() {
        assertTrue(feed(STRANGER, validRequest(w -> w.addIceControlling(5))));
        onlyTransmit();
        assertEquals(7777, parsed.mappedPort());
        IceEvent e = agent.pollEvent();
        while (e != null && !(e instanceof IceEvent.NewPeerReflexiveCandidate)) {
            e = agent.pollEvent();
        }
        IceEvent.NewPeerReflexiveCandidate prflx = assertInstanceOf(IceEvent.NewPeerReflexiveCandidate.class, e);
        assertEquals(STRANGER, prflx.candidate().address());
        assertEquals(0x6e0001ffL, prflx.candidate().priority(), "priority from the PRIORITY attribute");
        assertEquals(2, agent.pairs().size());
    }

    @Test
    void roleConflictAgainstAHigherTieBreakerIsAnswered487ByTheControllingSide() {
        IceAgent controlling = controllingAgent(IceConfig.defaults(), 2);
        controlling.setTieBreaker(-1); // the largest unsigned value: we win
        controlling.handleReceive(0, REMOTE, LOCAL, MemorySegment.ofArray(validRequest(w -> w.addIceControlling(5))));
        StunTransmit t = controlling.pollTransmit();
        assertTrue(parsed.wrap(MemorySegment.ofArray(t.toByteArray())));
        assertEquals(487, parsed.errorCode());
        assertTrue(controlling.isControlling());
        assertEquals(1, controlling.dropped(IceDropReason.ROLE_CONFLICT));
    }

    /** Everything a datagram could change, as a comparable text. */
    static String observable(IceAgent a) {
        return a.state() + " " + a.isControlling() + " " + a.pairs() + " " + a.remoteCandidates() + " " + a.localCandidates()
                + " " + a.selectedPair() + " " + a.dataDestination() + " " + a.nextDeadline();
    }

    @Test
    void aStrangerWithoutThePasswordChangesNothing() {
        agent.handleTimeout(0);
        while (agent.pollTransmit() != null) {
            // the agent's own first check
        }
        while (agent.pollEvent() != null) {
            // CHECKING
        }
        String before = observable(agent);
        byte[][] hostile = {
            request("other:" + RUFRAG, LPWD, w -> w.addIceControlled(Long.MAX_VALUE).addUseCandidate(), true), // not our ufrag
            request(LUFRAG + ":" + RUFRAG, "a guess at the password!", w -> w.addIceControlled(Long.MAX_VALUE), true),
            request(LUFRAG + ":" + RUFRAG, null, w -> w.addIceControlled(Long.MAX_VALUE).addUseCandidate(), true),
        };
        for (InetSocketAddress from : new InetSocketAddress[] {STRANGER, REMOTE}) {
            for (byte[] h : hostile) {
                assertTrue(feed(from, h));
            }
        }
        assertNull(agent.pollTransmit(), "nothing is answered");
        assertNull(agent.pollEvent(), "no event: no peer-reflexive candidate, no role change");
        assertEquals(before, observable(agent), "a claimed role, USE-CANDIDATE or a new address changed nothing");
        assertEquals(2, agent.dropped(IceDropReason.WRONG_USERNAME));
        assertEquals(2, agent.dropped(IceDropReason.BAD_INTEGRITY));
        assertEquals(2, agent.dropped(IceDropReason.MISSING_INTEGRITY));
    }

    @Test
    void aResponseMustMatchAnOutstandingTransaction() {
        IceAgent controlling = controllingAgent(IceConfig.defaults(), 5);
        controlling.addRemoteCandidate(Candidate.host(REMOTE));
        controlling.handleTimeout(0);
        StunTransmit check = controlling.pollTransmit();
        assertTrue(parsed.wrap(MemorySegment.ofArray(check.toByteArray())) && parsed.isRequest());
        byte[] genuine = response(parsed.transactionHigh(), parsed.transactionLow(), RPWD);
        byte[] neverAsked = response(parsed.transactionHigh() ^ 1, parsed.transactionLow(), RPWD);
        String before = observable(controlling);
        controlling.handleReceive(0, REMOTE, LOCAL, MemorySegment.ofArray(neverAsked));
        assertEquals(1, controlling.dropped(IceDropReason.UNKNOWN_TRANSACTION));
        assertEquals(before, observable(controlling), "an answer to a question we never asked changes nothing");
        controlling.handleReceive(0, REMOTE, LOCAL, MemorySegment.ofArray(genuine));
        assertEquals(CandidatePair.State.SUCCEEDED, controlling.pairs().getFirst().state());
        String after = observable(controlling);
        controlling.handleReceive(0, REMOTE, LOCAL, MemorySegment.ofArray(genuine)); // replayed
        assertEquals(1, controlling.dropped(IceDropReason.UNKNOWN_TRANSACTION));
        assertEquals(1, controlling.dropped(IceDropReason.LATE_RESPONSE), "the transaction is over: a late answer");
        assertEquals(after, observable(controlling));
    }

    /** A Binding success for our check, signed with the peer's password as a real answer is. */
    byte[] response(int txHigh, long txLow, String pwd) {
        byte[] out = new byte[128];
        StunWriter w = new StunWriter();
        w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_SUCCESS, txHigh, txLow)
                .addXorMappedAddress(new byte[] {10, 0, 0, 1}, 5000)
                .addMessageIntegrity(mac, pwd.getBytes(StandardCharsets.UTF_8))
                .addFingerprint();
        return Arrays.copyOf(out, w.length());
    }

    @Test
    void signalledRemoteCandidatesBeyondTheCapAreDroppedAndCounted() {
        int cap = IceConfig.defaults().maxRemoteCandidates();
        for (int i = 0; i < 3 * cap; i++) {
            agent.addRemoteCandidate(Candidate.host(new InetSocketAddress("10.1." + i / 200 + "." + (i % 200 + 1), 6000)));
        }
        assertEquals(cap, agent.remoteCandidates().size());
        assertEquals(2 * cap + 1, agent.dropped(IceDropReason.REMOTE_CANDIDATE_LIMIT), "REMOTE and 3 x cap offered");
        assertEquals(cap, agent.pairs().size());
    }

    @Test
    void peerReflexiveCandidatesBeyondTheCapAreDroppedUnanswered() {
        int cap = IceConfig.defaults().maxPeerReflexiveCandidates();
        int answered = 0;
        for (int i = 0; i < 5 * cap; i++) {
            assertTrue(feed(new InetSocketAddress("10.7.0." + (i + 1), 7000), validRequest(w -> w.addIceControlling(5))));
            for (StunTransmit t; (t = agent.pollTransmit()) != null; ) {
                assertTrue(parsed.wrap(MemorySegment.ofArray(t.toByteArray())));
                if (parsed.isSuccessResponse()) {
                    answered++;
                }
            }
        }
        assertEquals(cap, answered, "checks from addresses past the cap are not answered");
        assertEquals(1 + cap, agent.remoteCandidates().size());
        assertEquals(4 * cap, agent.dropped(IceDropReason.PEER_REFLEXIVE_LIMIT));
        long learnt = 0;
        for (IceEvent e; (e = agent.pollEvent()) != null; ) {
            learnt += e instanceof IceEvent.NewPeerReflexiveCandidate ? 1 : 0;
        }
        assertEquals(cap, learnt);
        assertTrue(feed(REMOTE, validRequest(w -> w.addIceControlling(5))));
        assertTrue(onlyTransmit().destination().equals(REMOTE), "a known candidate is still answered past the cap");
    }

    @Test
    void pairsBeyondTheCapAreNotFormedAndCounted() {
        IceAgent small = IceNode.seededAgent(IceConfig.defaults().withLimits(10, 50, 20), false, 3);
        small.addLocalCandidate(Candidate.host(LOCAL));
        for (int i = 0; i < 30; i++) {
            small.addRemoteCandidate(Candidate.host(new InetSocketAddress("10.1.0." + (i + 1), 6000)));
        }
        small.addLocalCandidate(Candidate.host(new InetSocketAddress("10.0.0.9", 5000)));
        assertEquals(10, small.pairs().size());
        assertEquals(30, small.remoteCandidates().size());
        assertEquals(20 + 30, small.dropped(IceDropReason.PAIR_LIMIT), "each pair not formed is counted");
    }

    @Test
    void localPeerReflexiveCandidatesFromAnswersAreCapped() {
        IceAgent controlling = controllingAgent(IceConfig.defaults().withLimits(100, 50, 3), 7);
        for (int i = 0; i < 10; i++) {
            controlling.addRemoteCandidate(Candidate.host(new InetSocketAddress("10.1.0." + (i + 1), 6000)));
        }
        int answered = 0;
        for (long now = 0; now < 1_000_000_000L; now += 10_000_000L) {
            controlling.handleTimeout(now);
            for (StunTransmit t; (t = controlling.pollTransmit()) != null; ) {
                assertTrue(parsed.wrap(MemorySegment.ofArray(t.toByteArray())) && parsed.isRequest());
                byte[] out = new byte[128];
                StunWriter w = new StunWriter();
                // every answer claims a different mapped address, as a peer that lies would
                w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_SUCCESS, parsed.transactionHigh(), parsed.transactionLow())
                        .addXorMappedAddress(new byte[] {(byte) 198, 51, 100, (byte) (answered + 1)}, 40000)
                        .addMessageIntegrity(mac, RPWD.getBytes(StandardCharsets.UTF_8))
                        .addFingerprint();
                InetSocketAddress to = t.source();
                InetSocketAddress from = t.destination();
                controlling.handleReceive(now, from, to, MemorySegment.ofArray(Arrays.copyOf(out, w.length())));
                answered++;
            }
        }
        assertTrue(answered > 10, "every pair was checked and answered (and one re-checked to nominate)");
        long learnt = controlling.localCandidates().stream().filter(c -> c.type() == CandidateType.PEER_REFLEXIVE).count();
        assertEquals(3, learnt);
        assertEquals(answered - 3, controlling.dropped(IceDropReason.PEER_REFLEXIVE_LIMIT));
        assertNotNull(controlling.selectedPair(), "the answers themselves still count");
    }

    @Test
    void closedAgentDropsEverything() {
        agent.close();
        assertTrue(feed(REMOTE, validRequest(w -> { })));
        assertNull(agent.pollTransmit());
        assertEquals(1, agent.dropped(IceDropReason.CLOSED));
        assertEquals(Long.MAX_VALUE, agent.nextDeadline());
    }

    @Test
    void apiMisuseThrowsWithAHint() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> agent.setRemoteCredentials("ab", "short"));
        assertTrue(e.getMessage().contains("RFC 8839"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> IceNode.seededAgent(IceConfig.defaults().withLite(true), true, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> agent.addLocalCandidate(Candidate.parse("candidate:1 1 udp 1 10.0.0.5 5 typ host")));
    }

    /**
     * Once a pair is selected, non-STUN datagrams count from its remote address and from a pair the peer
     * nominated itself, even one of lower priority that we do not switch to (Chromium sends from the pair it
     * chose); an address that only checked, and a stranger, do not.
     */
    @Test
    void aPairThePeerNominatedIsVerifiedThoughAnotherStaysSelected() {
        IceAgent lite = IceNode.seededAgent(IceConfig.defaults().withLite(true), false, 2);
        lite.setLocalCredentials(LUFRAG, LPWD);
        lite.setRemoteCredentials(RUFRAG, RPWD);
        lite.addLocalCandidate(Candidate.host(LOCAL));
        lite.addRemoteCandidate(Candidate.host(REMOTE));
        InetSocketAddress otherInterface = new InetSocketAddress("10.0.0.3", 6000);
        InetSocketAddress onlyChecked = new InetSocketAddress("10.0.0.4", 6000);
        assertFalse(lite.isVerifiedAddress(REMOTE), "signalled, not yet proved");
        lite.handleReceive(0, REMOTE, LOCAL, MemorySegment.ofArray(validRequest(w -> w.addIceControlling(5).addUseCandidate())));
        assertEquals(REMOTE, lite.selectedPair().remote().address());
        lite.handleReceive(1, onlyChecked, LOCAL, MemorySegment.ofArray(validRequest(w -> w.addIceControlling(5))));
        lite.handleReceive(2, otherInterface, LOCAL, MemorySegment.ofArray(validRequest(w -> w.addIceControlling(5).addUseCandidate())));
        assertEquals(REMOTE, lite.selectedPair().remote().address(), "the higher-priority pair stays selected");
        assertTrue(lite.isVerifiedAddress(REMOTE));
        assertTrue(lite.isVerifiedAddress(otherInterface), "the peer nominated it: it sends from there");
        assertFalse(lite.isVerifiedAddress(onlyChecked), "checked but never chosen by the peer");
        assertFalse(lite.isVerifiedAddress(STRANGER));
    }
}
