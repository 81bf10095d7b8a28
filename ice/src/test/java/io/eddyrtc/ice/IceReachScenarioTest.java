package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.ice.testkit.VirtualTcp;
import io.eddyrtc.ice.testkit.VirtualTurnServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two agents that cannot meet over plain UDP, on the virtual-time network: ICE-TCP (a client whose UDP is blocked
 * reaches a lite server's passive candidate), TURN (relayed-only paths through the test kit's TURN server, over UDP
 * and TCP, with loss), and which path nomination takes when several work.
 */
@ExtendWith(SeedExtension.class)
class IceReachScenarioTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;

    static final InetSocketAddress CLIENT_UDP = new InetSocketAddress("10.0.0.1", 5000);
    static final InetAddress CLIENT_IP = CLIENT_UDP.getAddress();
    static final InetSocketAddress SERVER_UDP = new InetSocketAddress("10.0.1.1", 6000);
    static final InetSocketAddress SERVER_TCP = new InetSocketAddress("10.0.1.1", 6443);
    static final InetSocketAddress TURN_UDP = new InetSocketAddress("10.0.2.1", 3478);
    static final InetSocketAddress TURN_TCP = new InetSocketAddress("10.0.2.1", 3479);

    VirtualNetwork net;
    VirtualTcp tcp;
    VirtualTurnServer turn;
    IceNode client;
    IceNode server;

    void setUp(long seed, LinkConditions links, IceConfig clientConfig, IceConfig serverConfig) {
        Random r = new Random(seed);
        net = new VirtualNetwork(seed);
        net.defaultConditions(links);
        tcp = new VirtualTcp(net, 20);
        turn = new VirtualTurnServer(TURN_UDP, TURN_TCP, tcp, "eddy.test", "alice", "secret-pass").attachTo(net);
        client = new IceNode("client", IceNode.seededAgent(clientConfig, true, r.nextLong()));
        server = new IceNode("server", IceNode.seededAgent(serverConfig, false, r.nextLong()));
        client.tcp = tcp;
        server.tcp = tcp;
    }

    static TurnServer turnServer(Transport transport) {
        return new TurnServer(transport == Transport.UDP ? TURN_UDP : TURN_TCP, transport, "alice", "secret-pass");
    }

    void exchangeCredentials() {
        client.agent.setRemoteCredentials(server.agent.localUfrag(), server.agent.localPassword());
        server.agent.setRemoteCredentials(client.agent.localUfrag(), client.agent.localPassword());
    }

    /** Everything {@code from} has, as SDP text, and every candidate it gathers later, as trickle does. */
    static void signal(IceNode from, IceNode to) {
        for (Candidate c : from.agent.localCandidates()) {
            if (c.type() != CandidateType.PEER_REFLEXIVE) {
                to.agent.addRemoteCandidate(Candidate.parse("a=" + c.toSdpString()));
            }
        }
    }

    /** Trickles what either side gathered (relayed candidates) to the other, as a signalling channel would. */
    void trickleGathered() {
        for (IceNode[] pair : new IceNode[][] {{client, server}, {server, client}}) {
            for (IceEvent e : pair[0].events) {
                if (e instanceof IceEvent.CandidateGathered g && !pair[1].agent.remoteCandidates().stream()
                        .anyMatch(c -> c.address().equals(g.candidate().address()))) {
                    pair[1].agent.addRemoteCandidate(Candidate.parse("a=" + g.candidate().toSdpString()));
                }
            }
        }
    }

    /** Both on the network, the client with a UDP host candidate, the server with UDP and a passive TCP one. */
    void serverWithUdpAndTcp() {
        net.attach(client, CLIENT_UDP);
        net.attach(server, SERVER_UDP);
        tcp.listen(server, SERVER_TCP);
        client.agent.addLocalCandidate(Candidate.host(CLIENT_UDP));
        server.agent.addLocalCandidate(Candidate.host(SERVER_UDP));
        server.agent.addLocalCandidate(Candidate.tcpPassive(SERVER_TCP));
    }

    boolean bothConnected() {
        trickleGathered();
        return client.connected() && server.connected();
    }

    /** Sends {@code count} application datagrams each way on the selected pairs and returns how many arrived in all. */
    int exchangeApplicationData(int count) {
        int before = client.applicationData.size() + server.applicationData.size();
        for (int i = 0; i < count; i++) {
            assertTrue(client.sendApplicationData(new byte[] {(byte) 0x80, 1, (byte) i, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
            assertTrue(server.sendApplicationData(new byte[] {(byte) 0x80, 2, (byte) i, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
            net.runFor(20 * MS);
        }
        net.runFor(500 * MS);
        return client.applicationData.size() + server.applicationData.size() - before;
    }

    @Test
    void clientWhoseUdpIsBlockedReachesALiteServerOverTcp(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20).withBlocked(true), IceConfig.defaults(),
                IceConfig.defaults().withLite(true));
        serverWithUdpAndTcp();
        client.agent.addLocalCandidate(Candidate.tcpActive(CLIENT_IP));
        exchangeCredentials();
        client.agent.setRemoteLite(true);
        signal(client, server);
        signal(server, client);

        assertTrue(net.runUntil(this::bothConnected, 10 * S), () -> "not connected: " + client + " / " + server + " " + net);
        CandidatePair selected = client.agent.selectedPair();
        assertEquals(TransportProtocol.TCP, selected.local().transport(), selected.toString());
        assertEquals(TcpType.ACTIVE, selected.local().tcpType());
        assertEquals(SERVER_TCP, selected.remote().address());
        assertEquals(Transport.TCP, client.agent.dataTransport());
        assertEquals(Transport.TCP, server.agent.dataTransport());
        // the server knows the client by the connection's ephemeral address, learnt as an active peer-reflexive candidate
        CandidatePair serverSide = server.agent.selectedPair();
        assertEquals(CandidateType.PEER_REFLEXIVE, serverSide.remote().type());
        assertEquals(TcpType.ACTIVE, serverSide.remote().tcpType());
        assertEquals(SERVER_TCP, server.agent.dataSource());
        assertTrue(net.totals().blocked > 0, "the client tried UDP first: " + net);
        assertEquals(1, tcp.opened(), "one framed stream for the one TCP pair");

        assertEquals(40, exchangeApplicationData(20), "every application datagram arrives on the stream");
        assertEquals(0, client.applicationRefused + server.applicationRefused);
        net.runFor(60 * S);
        assertTrue(client.connected() && server.connected(), "consent holds over the stream");
    }

    enum Blocked { NOTHING, UDP, UDP_AND_TCP }

    @Test
    void nominationPrefersUdpThenTcpThenRelay(@Seed long seed) {
        for (Blocked blocked : Blocked.values()) {
            setUp(seed, LinkConditions.perfect().withLatencyMillis(20),
                    IceConfig.defaults().withTurnServers(List.of(turnServer(Transport.UDP))), IceConfig.defaults());
            net.attach(client, CLIENT_UDP);
            net.attach(server, SERVER_UDP);
            if (blocked != Blocked.UDP_AND_TCP) {
                tcp.listen(server, SERVER_TCP);
            } // else a connection to it is refused, as by a firewall
            if (blocked != Blocked.NOTHING) {
                net.conditionsBothWays(CLIENT_UDP, SERVER_UDP, LinkConditions.perfect().withBlocked(true));
            }
            client.agent.addLocalCandidate(Candidate.host(CLIENT_UDP));
            client.agent.addLocalCandidate(Candidate.tcpActive(CLIENT_IP));
            server.agent.addLocalCandidate(Candidate.host(SERVER_UDP));
            server.agent.addLocalCandidate(Candidate.tcpPassive(SERVER_TCP));
            exchangeCredentials();
            signal(client, server);
            signal(server, client);
            // wait until the relayed candidate exists too, so every kind of path competes
            assertTrue(net.runUntil(() -> client.count(IceEvent.CandidateGathered.class) > 0 && bothConnected(), 30 * S),
                    () -> blocked + ": not connected " + client + " / " + server + " " + net);
            net.runFor(3 * S);
            CandidatePair selected = client.agent.selectedPair();
            switch (blocked) {
                case NOTHING -> assertEquals(CandidateType.HOST, selected.local().type(), selected.toString());
                case UDP -> assertEquals(TransportProtocol.TCP, selected.local().transport(), selected.toString());
                case UDP_AND_TCP -> assertEquals(CandidateType.RELAYED, selected.local().type(), selected.toString());
            }
            if (blocked != Blocked.UDP) {
                assertEquals(TransportProtocol.UDP, selected.local().transport(), blocked + ": " + selected);
            }
            assertEquals(selected.local().type() == CandidateType.RELAYED, client.agent.dataRelayed());
            assertEquals(40, exchangeApplicationData(20), blocked + ": application data on " + selected);
        }
    }

    @Test
    void relayedOnlyPathThroughTheTurnServer(@Seed long seed) {
        IceConfig relayOnly = IceConfig.defaults().withTurnServers(List.of(turnServer(Transport.UDP))).withRelayOnly(true);
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), relayOnly, relayOnly);
        net.attach(client, CLIENT_UDP);
        net.attach(server, SERVER_UDP);
        net.conditionsBothWays(CLIENT_UDP, SERVER_UDP, LinkConditions.perfect().withBlocked(true));
        client.agent.addLocalCandidate(Candidate.host(CLIENT_UDP));
        server.agent.addLocalCandidate(Candidate.host(SERVER_UDP));
        assertTrue(client.agent.localCandidates().isEmpty(), "relay-only: a host candidate is a base, not a candidate");
        exchangeCredentials();

        assertTrue(net.runUntil(this::bothConnected, 10 * S), () -> "not connected: " + client + " / " + server + " " + net);
        for (IceNode node : List.of(client, server)) {
            CandidatePair selected = node.agent.selectedPair();
            assertEquals(CandidateType.RELAYED, selected.local().type(), node + ": " + selected);
            assertTrue(node.agent.dataRelayed());
            assertTrue(node.agent.localCandidates().stream().allMatch(c -> c.type() == CandidateType.RELAYED),
                    "only relayed candidates are signalled: " + node.agent.localCandidates());
        }
        assertEquals(2, turn.allocations);
        assertEquals(2, turn.unauthorized, "each Allocate met the 401 once, then authenticated");
        assertEquals(40, exchangeApplicationData(20));
        assertTrue(turn.channelBinds >= 2, "data went on channels: " + turn.channelBinds);

        net.runFor(30 * 60 * S); // half an hour: allocations refreshed, permissions and channels kept
        assertTrue(client.connected() && server.connected(), client + " / " + server);
        assertTrue(turn.refreshes >= 4, "each allocation refreshed before its 10 minutes ran out: " + turn.refreshes);
        assertEquals(2, turn.liveAllocations());
        assertEquals(40, exchangeApplicationData(20), "still relaying after the refreshes");

        client.agent.close();
        server.agent.close();
        net.runFor(S);
        assertEquals(2, turn.releases, "both allocations released on close");
        assertEquals(0, turn.liveAllocations());
    }

    @Test
    void relayedPathWithFivePercentLoss(@Seed long seed) {
        IceConfig relayOnly = IceConfig.defaults().withTurnServers(List.of(turnServer(Transport.UDP))).withRelayOnly(true);
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20).withLoss(0.05), relayOnly, relayOnly);
        net.attach(client, CLIENT_UDP);
        net.attach(server, SERVER_UDP);
        client.agent.addLocalCandidate(Candidate.host(CLIENT_UDP));
        server.agent.addLocalCandidate(Candidate.host(SERVER_UDP));
        exchangeCredentials();
        assertTrue(net.runUntil(this::bothConnected, 20 * S), () -> "not connected: " + client + " / " + server + " " + net);
        assertTrue(net.totals().lost > 0, "the path lost datagrams: " + net);
        net.runFor(120 * S);
        assertTrue(client.connected() && server.connected(), "consent holds through the loss: " + client + " / " + server);
        assertEquals(-1, client.disconnectedAt);
        int arrived = exchangeApplicationData(200);
        // each datagram crosses two lossy links: about 0.95^2 of them arrive
        assertTrue(arrived > 400 * 0.8 && arrived < 400, "arrived " + arrived + " of 400: " + net);
    }

    @Test
    void relayOverTcpToTheTurnServer(@Seed long seed) {
        IceConfig relayOnly = IceConfig.defaults().withTurnServers(List.of(turnServer(Transport.TURN_TCP))).withRelayOnly(true);
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), relayOnly, IceConfig.defaults());
        net.attach(client, CLIENT_UDP);
        net.attach(server, SERVER_UDP);
        client.agent.addLocalCandidate(Candidate.host(CLIENT_UDP));
        server.agent.addLocalCandidate(Candidate.host(SERVER_UDP));
        exchangeCredentials();
        signal(server, client);
        assertTrue(net.runUntil(this::bothConnected, 10 * S), () -> "not connected: " + client + " / " + server + " " + net);
        assertEquals(CandidateType.RELAYED, client.agent.selectedPair().local().type());
        assertEquals(1, tcp.opened(), "one connection to the TURN server carries the allocation");
        assertEquals(0, tcp.broken());
        long before = turn.relayedToClients;
        assertEquals(40, exchangeApplicationData(20));
        assertTrue(turn.relayedToClients - before >= 20, "the server's data came back over the connection");
    }

    @Test
    void theTcpConnectionCapDropsChecksOnFurtherConnections(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20).withBlocked(true), IceConfig.defaults(),
                IceConfig.defaults().withLite(true).withTcpConnectionLimit(1));
        IceNode second = new IceNode("second", IceNode.seededAgent(IceConfig.defaults(), true, seed + 1));
        second.tcp = tcp;
        tcp.listen(server, SERVER_TCP);
        net.attach(client);
        net.attach(second);
        InetAddress secondIp = new InetSocketAddress("10.0.3.1", 1).getAddress();
        server.agent.addLocalCandidate(Candidate.tcpPassive(SERVER_TCP));
        server.agent.setRemoteCredentials(client.agent.localUfrag(), client.agent.localPassword());
        for (IceNode c : List.of(client, second)) {
            c.agent.addLocalCandidate(Candidate.tcpActive(c == client ? CLIENT_IP : secondIp));
            c.agent.setRemoteCredentials(server.agent.localUfrag(), server.agent.localPassword());
            c.agent.setRemoteLite(true);
            if (c == client) {
                signal(server, c);
                assertTrue(net.runUntil(() -> client.connected(), 5 * S), () -> "the first connection works: " + client + " " + net);
            }
        }
        // the second agent uses the client's credentials, so its checks authenticate: only the cap stops them
        second.agent.setLocalCredentials(client.agent.localUfrag(), client.agent.localPassword());
        signal(server, second);
        net.runFor(10 * S);
        assertTrue(server.agent.dropped(IceDropReason.TCP_CONNECTION_LIMIT) > 0, "the second connection's checks are dropped");
        assertTrue(!second.connected(), "and go unanswered: " + second);
        assertEquals(2, tcp.opened());
    }

    @Test
    void mdnsCandidatesAreResolvedThroughTheCaller(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), IceConfig.defaults(), IceConfig.defaults().withLite(true));
        serverWithUdpAndTcp();
        exchangeCredentials();
        client.agent.setRemoteLite(true);
        String name = "4b2a7e0c-5d1f-4e36-9a0b-0c1d2e3f4a5b.local";
        for (Candidate c : server.agent.localCandidates()) { // the lite server's host address, hidden as a browser hides it
            client.agent.addRemoteCandidate(Candidate.parse("a=" + c.hiddenBehind(name).toSdpString()));
        }
        net.runUntil(() -> false, 3 * S);
        client.collect(net.now());
        assertTrue(client.agent.pairs().isEmpty(), "nothing can be checked before the name resolves");
        assertEquals(1, client.count(IceEvent.ResolveMdns.class), "asked once for the name both candidates share");
        IceEvent.ResolveMdns ask = (IceEvent.ResolveMdns) client.events.stream().filter(IceEvent.ResolveMdns.class::isInstance)
                .findFirst().orElseThrow();
        assertEquals(name, ask.hostname());

        client.agent.mdnsResolved(ask.hostname(), SERVER_UDP.getAddress());
        assertTrue(net.runUntil(this::bothConnected, 5 * S), () -> "not connected: " + client + " / " + server);
        assertEquals(SERVER_UDP, client.agent.dataDestination());
        assertNotNull(client.agent.remoteCandidates().stream().filter(c -> c.address().equals(SERVER_TCP)).findFirst().orElse(null),
                "the TCP candidate with the same name resolved too");
    }

    @Test
    void anUnresolvableMdnsNameLeavesNothingToCheckAndWhatWaitsIsCapped(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), IceConfig.defaults().withLimits(100, 3, 20), IceConfig.defaults());
        exchangeCredentials();
        net.attach(client, CLIENT_UDP);
        client.agent.addLocalCandidate(Candidate.host(CLIENT_UDP));
        for (int i = 0; i < 5; i++) {
            client.agent.addRemoteCandidate(Candidate.parse("candidate:1 1 udp 2122260223 name" + i + ".local 5000 typ host"));
        }
        client.collect(0);
        assertEquals(3, client.count(IceEvent.ResolveMdns.class));
        assertEquals(2, client.agent.dropped(IceDropReason.REMOTE_CANDIDATE_LIMIT));
        client.agent.mdnsUnresolvable("name0.local");
        client.agent.mdnsResolved("name7.local", SERVER_UDP.getAddress()); // never asked for: ignored
        client.agent.mdnsResolved("NAME1.local", SERVER_UDP.getAddress());
        assertEquals(1, client.agent.remoteCandidates().size(), "only the resolved name's candidate: " + client.agent.remoteCandidates());
        assertEquals(1, client.agent.pairs().size());
    }
}
