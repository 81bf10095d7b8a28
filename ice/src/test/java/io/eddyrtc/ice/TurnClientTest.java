package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import io.eddyrtc.ice.testkit.VirtualTurnServer;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent's TURN client on its own: the allocation's exchanges with a server (the test kit's, or answers written
 * here by hand where a test needs one exact answer), what it does when the server refuses, stays silent or sends
 * garbage, and its caps.
 */
@ExtendWith(SeedExtension.class)
class TurnClientTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final InetSocketAddress HOST = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress TURN = new InetSocketAddress("10.0.2.1", 3478);
    static final InetSocketAddress RELAYED = new InetSocketAddress("10.0.2.1", 50_000);
    static final TurnServer SERVER = new TurnServer(TURN, Transport.UDP, "alice", "secret-pass");

    VirtualNetwork net;
    VirtualTurnServer turn;
    IceNode node;

    void setUp(long seed, IceConfig config) {
        net = new VirtualNetwork(seed);
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(10));
        turn = new VirtualTurnServer(TURN, null, null, "eddy.test", "alice", "secret-pass").attachTo(net);
        node = new IceNode("client", IceNode.seededAgent(config, true, seed));
        net.attach(node, HOST);
        node.agent.addLocalCandidate(Candidate.host(HOST));
    }

    Candidate gathered() {
        return node.events.stream().filter(IceEvent.CandidateGathered.class::isInstance)
                .map(e -> ((IceEvent.CandidateGathered) e).candidate()).findFirst().orElse(null);
    }

    @Test
    void allocatesWithLongTermCredentialsAfterThe401(@Seed long seed) {
        setUp(seed, IceConfig.defaults().withTurnServers(List.of(SERVER)));
        assertTrue(net.runUntil(() -> gathered() != null, 2 * S), () -> "no relayed candidate: " + node.events + " " + net);
        Candidate relayed = gathered();
        assertEquals(CandidateType.RELAYED, relayed.type());
        assertEquals(turn.relayedAddresses(), List.of(relayed.address()));
        assertEquals(relayed.address(), relayed.base(), "a relayed candidate is its own base");
        assertEquals(1, turn.unauthorized, "the first Allocate goes without credentials and meets the 401");
        assertEquals(1, turn.allocations);
        assertTrue(node.agent.localCandidates().contains(relayed));
        assertTrue(relayed.priority() < Candidate.host(HOST).priority(), "relayed candidates rank last");
        assertTrue(relayed.toSdpString().contains("typ relay raddr 10.0.2.1 rport 50000"), relayed.toSdpString());
    }

    @Test
    void aStaleNonceIsRenewedAndTheRequestRetried(@Seed long seed) {
        setUp(seed, IceConfig.defaults().withTurnServers(List.of(SERVER)));
        turn.staleNonceOnce();
        assertTrue(net.runUntil(() -> gathered() != null, 2 * S), () -> "no relayed candidate: " + node.events);
        assertEquals(1, turn.staleNonces);
        assertEquals(1, turn.allocations);
        assertEquals(0, node.count(IceEvent.RelayFailed.class));
    }

    @Test
    void refusedCredentialsFailTheAllocationAfterAFewTries(@Seed long seed) {
        setUp(seed, IceConfig.defaults().withTurnServers(List.of(new TurnServer(TURN, Transport.UDP, "alice", "wrong"))));
        assertTrue(net.runUntil(() -> node.count(IceEvent.RelayFailed.class) > 0, 5 * S), () -> "no failure: " + node.events);
        IceEvent.RelayFailed failed = (IceEvent.RelayFailed) node.events.stream().filter(IceEvent.RelayFailed.class::isInstance)
                .findFirst().orElseThrow();
        assertTrue(failed.reason().contains("401"), failed.reason());
        assertEquals(SERVER.address(), failed.server().address());
        long asked = turn.unauthorized;
        assertTrue(asked <= 4, "one challenge and three tries with credentials at most: " + asked);
        net.runFor(20 * 60 * S);
        assertEquals(asked, turn.unauthorized, "nothing more is sent once it failed");
        assertNull(gathered());
        assertEquals(Long.MAX_VALUE, node.agent.nextDeadline(), "no timer left to run");
    }

    @Test
    void aSilentServerFailsTheAllocationAfterSevenTransmits(@Seed long seed) {
        InetSocketAddress nobody = new InetSocketAddress("10.0.9.9", 3478);
        setUp(seed, IceConfig.defaults().withTurnServers(List.of(new TurnServer(nobody, Transport.UDP, "alice", "pw"))));
        assertTrue(net.runUntil(() -> node.count(IceEvent.RelayFailed.class) > 0, 120 * S), () -> "no failure: " + node.events);
        assertEquals(7, net.stats(HOST, nobody).sent, "RFC 8489's seven transmits");
        assertTrue(net.now() > 30 * S && net.now() < 60 * S, "given up after the back-off: " + net.now() / MS + " ms");
    }

    @Test
    void theAllocationIsRefreshedAndItsChannelsKeptForAnHour(@Seed long seed) {
        // a peer that never answers, and an agent that keeps checking for it: the allocation outlives the checks
        setUp(seed, IceConfig.defaults().withTurnServers(List.of(SERVER)).withCheckingTimeout(Long.MAX_VALUE)
                .withTrickleGrace(Long.MAX_VALUE));
        assertTrue(net.runUntil(() -> gathered() != null, 2 * S));
        node.agent.setRemoteCredentials("peerufrag", "peerpasswordpeerpassword");
        node.agent.addRemoteCandidate(Candidate.host(new InetSocketAddress("10.0.1.1", 6000)));
        net.runFor(60 * 60 * S);
        assertEquals(1, turn.liveAllocations(), "still allocated after an hour");
        assertTrue(turn.refreshes >= 6, "refreshed before each 10 minutes ran out: " + turn.refreshes);
        assertTrue(turn.channelBinds >= 15, "the channel (and with it the permission) renewed every 4 minutes: " + turn.channelBinds);
        assertEquals(0, node.count(IceEvent.RelayFailed.class));
    }

    @Test
    void eachAllocationKeepsAtMostItsPeerCap(@Seed long seed) {
        setUp(seed, IceConfig.defaults().withTurnServers(List.of(SERVER)).withRelayPeerLimit(2));
        assertTrue(net.runUntil(() -> gathered() != null, 2 * S));
        node.agent.setRemoteCredentials("peerufrag", "peerpasswordpeerpassword");
        for (int i = 0; i < 4; i++) {
            node.agent.addRemoteCandidate(Candidate.host(new InetSocketAddress("10.0.1." + (i + 1), 6000)));
        }
        assertEquals(2, node.agent.dropped(IceDropReason.RELAY_PEER_LIMIT));
        assertEquals(2, node.agent.pairs().stream().filter(p -> p.local().type() == CandidateType.RELAYED).count());
        assertEquals(4, node.agent.pairs().stream().filter(p -> p.local().type() == CandidateType.HOST).count(),
                "the host candidate pairs with all four");
    }

    // ---------------------------------------------------------------- answers written by hand

    /** An agent driven by hand: what it sends is read here, what the server would answer is written here. */
    static final class Manual {
        final IceAgent agent = IceNode.seededAgent(IceConfig.defaults().withTurnServers(List.of(SERVER)), true, 7);
        final byte[] key = TurnAllocation.longTermKey("alice".getBytes(StandardCharsets.UTF_8),
                "realm".getBytes(StandardCharsets.UTF_8), "secret-pass".getBytes(StandardCharsets.UTF_8));
        final StunMessage m = new StunMessage();
        long now = 1_000 * S;

        Manual() {
            agent.addLocalCandidate(Candidate.host(HOST));
        }

        /** Runs the timers and returns the one message the agent sends to the server, parsed into {@link #m}. */
        StunMessage sent() {
            agent.handleTimeout(now);
            StunTransmit t = agent.pollTransmit();
            assertNotNull(t, "the agent sent nothing");
            assertEquals(TURN, t.destination());
            assertTrue(m.wrap(MemorySegment.ofArray(t.toByteArray())), m.error().toString());
            return m;
        }

        byte[] answer(int messageClass, byte[] signWith, Consumer<StunWriter> attributes) {
            byte[] buf = new byte[512];
            StunWriter w = new StunWriter();
            w.begin(MemorySegment.ofArray(buf), 0, buf.length, Stun.typeOf(m.method(), messageClass), m.transactionHigh(),
                    m.transactionLow());
            attributes.accept(w);
            if (signWith != null) {
                w.addMessageIntegrity(new HmacSha1(), signWith);
            }
            w.addFingerprint();
            return Arrays.copyOf(buf, w.length());
        }

        RelayedDatagram receive(byte[] datagram) {
            return agent.receiveFromRelay(now, Transport.UDP, TURN, HOST, MemorySegment.ofArray(datagram), 0, datagram.length);
        }

        /** Takes the allocation through 401 and success. */
        void allocate() {
            assertEquals(Stun.METHOD_ALLOCATE, sent().method());
            receive(answer(Stun.CLASS_ERROR, null, w -> w.addErrorCode(401, "Unauthorized".getBytes())
                    .addBytes(Stun.REALM, "realm".getBytes()).addBytes(Stun.NONCE, "n1".getBytes())));
            StunTransmit t = agent.pollTransmit();
            assertTrue(m.wrap(MemorySegment.ofArray(t.toByteArray())));
            assertTrue(m.hasMessageIntegrity() && m.verifyIntegrity(new HmacSha1(), key), "signed with the long-term key");
            receive(answer(Stun.CLASS_SUCCESS, key, w -> w
                    .addXorAddress(Stun.XOR_RELAYED_ADDRESS, RELAYED.getAddress().getAddress(), RELAYED.getPort())
                    .addXorAddress(Stun.XOR_MAPPED_ADDRESS, HOST.getAddress().getAddress(), HOST.getPort())
                    .addU32(Stun.LIFETIME, 600)));
            assertTrue(agent.localCandidates().stream().anyMatch(c -> c.address().equals(RELAYED)));
        }
    }

    @Test
    void anAnswerWithoutTheRightIntegrityChangesNothing() {
        Manual x = new Manual();
        assertEquals(Stun.METHOD_ALLOCATE, x.sent().method());
        x.receive(x.answer(Stun.CLASS_ERROR, null, w -> w.addErrorCode(401, "Unauthorized".getBytes())
                .addBytes(Stun.REALM, "realm".getBytes()).addBytes(Stun.NONCE, "n1".getBytes())));
        StunTransmit t = x.agent.pollTransmit();
        assertTrue(x.m.wrap(MemorySegment.ofArray(t.toByteArray())));
        byte[] wrongKey = x.key.clone();
        wrongKey[0] ^= 1;
        byte[] forged = x.answer(Stun.CLASS_SUCCESS, wrongKey, w -> w
                .addXorAddress(Stun.XOR_RELAYED_ADDRESS, new byte[] {6, 6, 6, 6}, 666).addU32(Stun.LIFETIME, 600));
        assertNull(x.receive(forged));
        assertEquals(1, x.agent.dropped(IceDropReason.RELAY_BAD_INTEGRITY));
        assertTrue(x.agent.localCandidates().stream().noneMatch(c -> c.type() == CandidateType.RELAYED), "no forged relay");
        byte[] unsigned = x.answer(Stun.CLASS_SUCCESS, null, w -> w
                .addXorAddress(Stun.XOR_RELAYED_ADDRESS, new byte[] {6, 6, 6, 6}, 666));
        x.receive(unsigned);
        assertEquals(2, x.agent.dropped(IceDropReason.RELAY_BAD_INTEGRITY));
        // the real answer, still awaited
        x.receive(x.answer(Stun.CLASS_SUCCESS, x.key, w -> w
                .addXorAddress(Stun.XOR_RELAYED_ADDRESS, RELAYED.getAddress().getAddress(), RELAYED.getPort())));
        assertTrue(x.agent.localCandidates().stream().anyMatch(c -> c.address().equals(RELAYED)));
    }

    @Test
    void garbageFromTheServerIsDroppedAndCountedWithoutHarm() {
        Manual x = new Manual();
        x.allocate();
        x.agent.setRemoteCredentials("peerufrag", "peerpasswordpeerpassword");
        InetSocketAddress peer = new InetSocketAddress("10.0.1.1", 6000);
        x.agent.addRemoteCandidate(Candidate.host(peer));

        byte[] notStun = new byte[40];
        notStun[0] = 1;
        assertNull(x.receive(notStun));
        assertEquals(1, x.agent.dropped(IceDropReason.RELAY_MALFORMED));

        byte[] noSuchTransaction = new byte[128];
        int n = new StunWriter().begin(MemorySegment.ofArray(noSuchTransaction), 0, 128,
                Stun.typeOf(Stun.METHOD_REFRESH, Stun.CLASS_SUCCESS), 1, 2).addU32(Stun.LIFETIME, 600).length();
        assertNull(x.receive(Arrays.copyOf(noSuchTransaction, n)));
        assertEquals(1, x.agent.dropped(IceDropReason.RELAY_UNKNOWN_TRANSACTION));

        byte[] unboundChannel = {0x40, 0x07, 0, 4, 1, 2, 3, 4};
        assertNull(x.receive(unboundChannel));
        assertEquals(1, x.agent.dropped(IceDropReason.RELAY_UNKNOWN_PEER));

        byte[] truncatedChannel = {0x40, 0x00, 0x05, 0x00, 1, 2, 3, 4};
        assertNull(x.receive(truncatedChannel));
        assertEquals(2, x.agent.dropped(IceDropReason.RELAY_MALFORMED));

        byte[] fromStranger = new byte[128];
        int len = new StunWriter().begin(MemorySegment.ofArray(fromStranger), 0, 128,
                        Stun.typeOf(Stun.METHOD_DATA, Stun.CLASS_INDICATION), 3, 4)
                .addXorAddress(Stun.XOR_PEER_ADDRESS, new byte[] {10, 66, 66, 66}, 1234).addBytes(Stun.DATA, new byte[] {22, 1, 2})
                .length();
        assertNull(x.receive(Arrays.copyOf(fromStranger, len)));
        assertEquals(2, x.agent.dropped(IceDropReason.RELAY_UNKNOWN_PEER), "data from an IP without a permission");

        byte[] fromPeer = new byte[128];
        len = new StunWriter().begin(MemorySegment.ofArray(fromPeer), 0, 128,
                        Stun.typeOf(Stun.METHOD_DATA, Stun.CLASS_INDICATION), 3, 5)
                .addXorAddress(Stun.XOR_PEER_ADDRESS, peer.getAddress().getAddress(), peer.getPort())
                .addBytes(Stun.DATA, new byte[] {22, 1, 2}).length();
        RelayedDatagram data = x.receive(Arrays.copyOf(fromPeer, len));
        assertNotNull(data, "a permitted peer's data comes through");
        assertEquals(peer, data.peer());
        assertEquals(RELAYED, data.relayed());
        assertEquals(3, data.length());
        assertEquals(22, BigEndian.u8(data.segment(), data.offset()));
    }

    @Test
    void closingReleasesTheAllocation() {
        Manual x = new Manual();
        x.allocate();
        x.agent.close();
        StunTransmit t = x.agent.pollTransmit();
        assertNotNull(t, "the release goes out");
        assertTrue(x.m.wrap(MemorySegment.ofArray(t.toByteArray())));
        assertEquals(Stun.METHOD_REFRESH, x.m.method());
        assertEquals(0, x.m.u32Attribute(Stun.LIFETIME));
        assertTrue(x.m.verifyIntegrity(new HmacSha1(), x.key));
        assertNull(x.agent.pollTransmit(), "and nothing else");
    }
}
