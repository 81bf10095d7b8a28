package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.engine.sim.DirectSignalling;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.ice.IceConnectionState;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import io.eddyrtc.ice.stun.StunMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two (or more) Rtcs connecting over the virtual network through the facade: demux, ICE, events, routing. */
@ExtendWith(SeedExtension.class)
class RtcIceTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.1.1", 6000);

    VirtualNetwork net;
    Random random;
    RtcNode a;
    RtcNode b;

    void setUp(long seed, LinkConditions conditions, boolean bLite) {
        random = new Random(seed);
        net = new VirtualNetwork(seed);
        net.defaultConditions(conditions);
        a = new RtcNode("A", Rtc.builder().randomSeed(random.nextLong()).build());
        b = new RtcNode("B", Rtc.builder().randomSeed(random.nextLong()).iceLite(bLite).build());
        net.attach(a, A);
        net.attach(b, B);
        DirectSignalling.pair(a.rtc(), A, b.rtc(), B);
    }

    boolean bothConnected() {
        return RtcNode.iceConnected(a.rtc()) && RtcNode.iceConnected(b.rtc());
    }

    static List<IceConnectionState> states(RtcNode node) {
        return node.eventsOf(node.rtc()).stream()
                .filter(e -> e instanceof Event.IceConnectionStateChange)
                .map(e -> ((Event.IceConnectionStateChange) e).state())
                .toList();
    }

    @Test
    void connectsAndReportsStatesAndSelectedPair(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), false);
        assertTrue(net.runUntil(this::bothConnected, 5 * S), "ICE connects in 5 s of virtual time");
        assertEquals(List.of(IceConnectionState.CHECKING, IceConnectionState.CONNECTED), states(a).subList(0, 2));
        assertTrue(states(b).contains(IceConnectionState.CONNECTED));
        Event.SelectedPairChange selected = (Event.SelectedPairChange) a.eventsOf(a.rtc()).stream()
                .filter(e -> e instanceof Event.SelectedPairChange).findFirst().orElseThrow();
        assertEquals(A, selected.local().address());
        assertEquals(B, selected.remote().address());
        assertEquals(0, a.rtc().droppedTotal());
        assertEquals(0, b.rtc().droppedTotal());
        assertTrue(a.rtc().isAlive() && b.rtc().isAlive());
    }

    @Test
    void connectsThroughLossJitterAndDuplication(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(40).withJitterMillis(15).withLoss(0.25).withDuplicate(0.1), false);
        assertTrue(net.runUntil(this::bothConnected, 20 * S), "ICE connects through 25 % loss");
        net.runFor(30 * S); // consent keeps the pair alive through the loss
        assertTrue(bothConnected(), "still connected after 30 s: consent survives 25 % loss");
    }

    @Test
    void fullAgentAgainstIceLiteServer(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(10), true);
        assertTrue(a.rtc().directApi().isIceControlling());
        assertTrue(net.runUntil(this::bothConnected, 5 * S), "a full client connects to a lite server");
        assertThrows(IllegalStateException.class, () -> b.rtc().directApi().setIceControlling(true));
    }

    @Test
    void hostileDatagramsAreCountedAndTheCallGoesOn(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), false);
        assertTrue(net.runUntil(this::bothConnected, 5 * S));
        byte[][] junk = {
                {},                                   // empty
                {(byte) 200, 1, 2},                   // no protocol starts at 200
                {17, 0, 0, 0},                        // ZRTP range
                {64, 0, 0, 4, 1, 2, 3, 4},            // TURN ChannelData
                {22, (byte) 0xfe, (byte) 0xfd, 0, 0}, // a DTLS record: no DTLS endpoint yet
                rtp(),                                // RTP before SRTP keys
                {0, 1, 0, 0, 0x21, 0x12},             // truncated STUN header
                stunWithBadIntegrity(),               // well-formed STUN the ICE agent rejects
        };
        for (byte[] d : junk) {
            net.send(A, B, d);
        }
        // 200 datagrams of seeded noise; the expected outcome of each follows from its first byte alone
        long[] expected = new long[RtcDropReason.values().length];
        expected[RtcDropReason.UNKNOWN_PROTOCOL.ordinal()] = 2;
        expected[RtcDropReason.ZRTP.ordinal()] = 1;
        expected[RtcDropReason.TURN_CHANNEL.ordinal()] = 1;
        expected[RtcDropReason.DTLS_NOT_STARTED.ordinal()] = 1;
        expected[RtcDropReason.SRTP_NOT_READY.ordinal()] = 1;
        expected[RtcDropReason.NOT_STUN.ordinal()] = 1;
        byte[] noise = new byte[300];
        for (int i = 0; i < 200; i++) {
            random.nextBytes(noise);
            int first = noise[0] & 0xFF;
            RtcDropReason reason = first <= 3 ? RtcDropReason.NOT_STUN // random bytes lack the magic cookie
                    : first >= 16 && first <= 19 ? RtcDropReason.ZRTP
                    : first >= 20 && first <= 63 ? RtcDropReason.DTLS_NOT_STARTED
                    : first >= 64 && first <= 79 ? RtcDropReason.TURN_CHANNEL
                    : first >= 128 && first <= 191 ? RtcDropReason.SRTP_NOT_READY
                    : RtcDropReason.UNKNOWN_PROTOCOL;
            expected[reason.ordinal()]++;
            net.send(A, B, noise.clone());
        }
        net.runFor(5 * S);
        Rtc rtc = b.rtc();
        for (RtcDropReason reason : RtcDropReason.values()) {
            assertEquals(expected[reason.ordinal()], rtc.dropped(reason), reason.name());
        }
        assertEquals(1, rtc.iceDropped(), "the well-formed but unauthenticated check is the agent's drop");
        assertEquals(208, rtc.droppedTotal(), "every hostile datagram is counted exactly once");
        assertTrue(bothConnected(), "the call survives the noise");
    }

    /** A Binding request with a USERNAME for nobody and MESSAGE-INTEGRITY of zeros. */
    private static byte[] stunWithBadIntegrity() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(20 + 12 + 24);
        b.putShort((short) 0x0001).putShort((short) (12 + 24)).putInt(0x2112A442);
        b.put(new byte[12]);                                  // transaction id
        b.putShort((short) 0x0006).putShort((short) 8).put("nobody:x".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putShort((short) 0x0008).putShort((short) 20).put(new byte[20]);
        return b.array();
    }

    private static byte[] rtp() {
        byte[] p = new byte[40];
        p[0] = (byte) 0x80;
        p[1] = 111;
        return p;
    }

    @Test
    void manyRtcsShareOneServerSocketRoutedByAccepts(@Seed long seed) {
        random = new Random(seed);
        net = new VirtualNetwork(seed);
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(15).withJitterMillis(5));
        InetSocketAddress server = new InetSocketAddress("10.9.9.9", 443);
        RtcNode serverNode = new RtcNode("SFU");
        net.attach(serverNode, server);
        int clients = 5;
        RtcNode[] clientNodes = new RtcNode[clients];
        for (int i = 0; i < clients; i++) {
            Rtc peer = Rtc.builder().randomSeed(random.nextLong()).iceLite(true).build();
            serverNode.add(peer);
            clientNodes[i] = new RtcNode("C" + i, Rtc.builder().randomSeed(random.nextLong()).build());
            InetSocketAddress clientAddress = new InetSocketAddress("10.1.0." + (i + 1), 7000 + i);
            net.attach(clientNodes[i], clientAddress);
            DirectSignalling.pair(clientNodes[i].rtc(), clientAddress, peer, server);
        }
        assertTrue(net.runUntil(() -> serverNode.rtcs().stream().allMatch(RtcNode::iceConnected)
                        && java.util.Arrays.stream(clientNodes).allMatch(n -> RtcNode.iceConnected(n.rtc())), 10 * S),
                "every server-side Rtc and its client connect over the one socket");
        for (int i = 0; i < clients; i++) {
            assertTrue(RtcNode.iceConnected(clientNodes[i].rtc()), "client " + i);
        }
        assertEquals(0, serverNode.unrouted(), "accepts() routed every datagram to its Rtc");
        for (Rtc peer : serverNode.rtcs()) {
            assertEquals(0, peer.droppedTotal(), "no Rtc saw another's checks");
        }
    }

    @Test
    void acceptsChecksUfragAndSourceAddress(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), false);
        assertTrue(net.runUntil(this::bothConnected, 5 * S));
        Rtc rtc = b.rtc();
        byte[] dtls = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        MemorySegment seg = MemorySegment.ofArray(dtls);
        assertTrue(rtc.accepts(A, seg, 0, dtls.length), "the peer's address is ours");
        assertFalse(rtc.accepts(new InetSocketAddress("10.66.0.1", 5000), seg, 0, dtls.length), "a stranger's is not");
        assertTrue(rtc.accepts(Input.timeout(net.now())), "time is for everyone");
        Rtc other = Rtc.builder().randomSeed(seed + 1).build();
        assertFalse(other.accepts(A, seg, 0, dtls.length), "an Rtc with no remote candidates accepts nothing");
    }

    @Test
    void consentLossDisconnectsAndDisconnectCloses(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), false);
        assertTrue(net.runUntil(this::bothConnected, 5 * S));
        net.conditionsBothWays(A, B, LinkConditions.perfect().withBlocked(true));
        assertTrue(net.runUntil(() -> a.rtc().iceConnectionState() == IceConnectionState.DISCONNECTED, 40 * S),
                "consent expires after 30 s of silence");
        assertTrue(a.rtc().isAlive(), "DISCONNECTED can still recover");
        a.rtc().disconnect();
        assertFalse(a.rtc().isAlive());
        assertEquals(IceConnectionState.CLOSED, states(advance(a)).getLast());
        a.rtc().handleReceive(net.now(), B, A, MemorySegment.ofArray(rtp()), 0, 40);
        assertEquals(1, a.rtc().dropped(RtcDropReason.CLOSED));
        assertEquals(Long.MAX_VALUE, ((Output.Timeout) a.rtc().pollOutput()).atNanos(), "no timers after close");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.rtc().directApi());
        assertTrue(e.getMessage().contains("build a new Rtc"), e.getMessage());
    }

    @Test
    void aPeerThatStopsAnsweringIsLetGo(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), false);
        assertTrue(net.runUntil(this::bothConnected, 5 * S));
        net.runFor(5 * S);
        long vanishedAt = net.now();
        net.conditionsBothWays(A, B, LinkConditions.perfect().withBlocked(true)); // B is killed: nothing answers
        assertTrue(net.runUntil(() -> !a.rtc().isAlive(), vanishedAt + 60 * S), "A lets the vanished peer go");
        long failedAt = net.now();
        assertTrue(failedAt - vanishedAt <= 40 * S + 100 * MS, "consent (30 s) and then 10 s of DISCONNECTED: "
                + (failedAt - vanishedAt) / MS + " ms");
        assertEquals(IceConnectionState.FAILED, a.rtc().iceConnectionState());
        List<IceConnectionState> seen = states(advance(a));
        assertEquals(List.of(IceConnectionState.DISCONNECTED, IceConnectionState.FAILED), seen.subList(seen.size() - 2, seen.size()),
                "the server sees the state change it acts on");
        long sent = net.stats(A, B).sent;
        net.runFor(300 * S);
        assertEquals(sent, net.stats(A, B).sent, "no STUN, DTLS, RTP or RTCP to the vanished peer after FAILED");
        assertEquals(IceConnectionState.FAILED, a.rtc().iceConnectionState(), "FAILED stays until an ICE restart");
    }

    @Test
    void theTieBreakerInEveryCheckDoesNotGiveAwayTheIcePassword() {
        // SplittableRandom's first nextLong() is mix64(seed + GOLDEN_GAMMA), and mix64 is a bijection: from
        // one output the seed, and every later output, follows. Show the method works...
        SplittableRandom sample = new SplittableRandom(0x5EED_CAFE_F00DL);
        assertEquals(0x5EED_CAFE_F00DL, seedBehindFirstOutput(sample.nextLong()));
        // ...then take the tie-breaker from a production Rtc's first check, as anyone on the path can.
        Rtc rtc = Rtc.builder().build();
        rtc.directApi().setIceControlling(true);
        rtc.directApi().setRemoteIceCredentials(new IceCredentials("peer", "peerpasswordpeerpassword"));
        rtc.addLocalCandidate(io.eddyrtc.ice.Candidate.host(A));
        rtc.addRemoteCandidate(io.eddyrtc.ice.Candidate.host(B));
        rtc.handleTimeout(S);
        StunMessage check = new StunMessage();
        for (Output out = rtc.pollOutput(); !(out instanceof Output.Timeout); out = rtc.pollOutput()) {
            if (out instanceof Output.Transmit t && check.wrap(t.segment(), t.offset(), t.length()) && check.isRequest()) {
                break;
            }
        }
        assertTrue(check.hasIceControlling(), "a check went out");
        SplittableRandom replay = new SplittableRandom(seedBehindFirstOutput(check.iceControlling()));
        replay.nextLong(); // the tie-breaker
        String ufrag = iceString(replay, 8);
        String pwd = iceString(replay, 24);
        IceCredentials actual = rtc.directApi().localIceCredentials();
        assertFalse(ufrag.equals(actual.ufrag()) && pwd.equals(actual.pwd()),
                "the ICE password follows from the tie-breaker sent in the clear: " + pwd);
    }

    /** Undoes SplittableRandom's mix64 and its first gamma step. */
    private static long seedBehindFirstOutput(long output) {
        long z = output;
        z = unshiftXor(z, 31);
        z *= inverse(0x94d049bb133111ebL);
        z = unshiftXor(z, 27);
        z *= inverse(0xbf58476d1ce4e5b9L);
        z = unshiftXor(z, 30);
        return z - 0x9e3779b97f4a7c15L;
    }

    private static long unshiftXor(long y, int shift) {
        long x = y;
        for (int i = 0; i < 64 / shift + 1; i++) {
            x = y ^ (x >>> shift);
        }
        return x;
    }

    /** The inverse of an odd number modulo 2^64 (Newton's iteration doubles the correct bits each step). */
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 6; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    /** As the ICE agent draws its ufrag and password: ice-chars by nextInt(64). */
    private static String iceString(SplittableRandom random, int n) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }

    private RtcNode advance(RtcNode node) {
        node.nextDeadline(); // runs the output loop, collecting the events disconnect() queued
        return node;
    }

    @Test
    void iceRestartThroughTheDirectApiKeepsTheCallUp(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20).withLoss(0.05), false);
        assertTrue(net.runUntil(this::bothConnected, 5 * S));
        IceCredentials oldA = a.rtc().directApi().localIceCredentials();
        IceCredentials newA = a.rtc().directApi().iceRestart();
        IceCredentials newB = b.rtc().directApi().iceRestart();
        assertTrue(!newA.equals(oldA), "a restart makes new credentials");
        a.rtc().directApi().setRemoteIceCredentials(newB);
        b.rtc().directApi().setRemoteIceCredentials(newA);
        a.rtc().addRemoteCandidate(io.eddyrtc.ice.Candidate.host(B));
        b.rtc().addRemoteCandidate(io.eddyrtc.ice.Candidate.host(A));
        long restartedAt = net.now();
        assertTrue(net.runUntil(() -> selectedPairsSince(a, restartedAt) > 0 && selectedPairsSince(b, restartedAt) > 0, 10 * S),
                "both sides select a pair of the new generation");
        net.runFor(40 * S);
        assertTrue(bothConnected(), "connected 40 s after the restart: the new generation holds consent");
        assertFalse(states(a).contains(IceConnectionState.DISCONNECTED), "no outage: media stayed on the old pair meanwhile");
    }

    private static long selectedPairsSince(RtcNode node, long since) {
        return node.events().stream().filter(e -> e.atNanos() >= since && e.event() instanceof Event.SelectedPairChange).count();
    }

    @Test
    void tenMinutesOfVirtualTimeStaySteady(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(30).withJitterMillis(5).withLoss(0.02), false);
        assertTrue(net.runUntil(this::bothConnected, 5 * S));
        int eventsAtConnect = a.events().size() + b.events().size();
        long sentAtConnect = net.totals().sent;
        net.runFor(600 * S);
        assertTrue(bothConnected(), "connected after 10 minutes");
        assertEquals(eventsAtConnect, a.events().size() + b.events().size(), "no events in a quiet steady call");
        long datagrams = net.totals().sent - sentAtConnect;
        // consent: one check and one response per side every 4 to 6 s (RFC 7675), 400 to 600 datagrams less the few
        // the 2 % loss takes, and nothing else
        assertTrue(datagrams > 380 && datagrams <= 600, "consent traffic only: " + datagrams + " datagrams in 10 min");
        assertEquals(0, a.rtc().droppedTotal() + b.rtc().droppedTotal());
    }

    @Test
    void timeMustNotGoBackwards() {
        Rtc rtc = Rtc.builder().randomSeed(1).build();
        rtc.handleTimeout(10 * S);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rtc.handleTimeout(9 * S));
        assertTrue(e.getMessage().contains("monotonic"), e.getMessage());
    }

    @Test
    void inputRecordsDriveTheSameWay(@Seed long seed) {
        Rtc rtc = Rtc.builder().randomSeed(seed).build();
        rtc.handleInput(Input.timeout(S));
        rtc.handleInput(Input.receive(2 * S, B, A, MemorySegment.ofArray(new byte[] {(byte) 250})));
        assertEquals(1, rtc.dropped(RtcDropReason.UNKNOWN_PROTOCOL));
        assertThrows(NullPointerException.class, () -> Input.receive(3 * S, null, A, MemorySegment.ofArray(new byte[1])));
    }
}
