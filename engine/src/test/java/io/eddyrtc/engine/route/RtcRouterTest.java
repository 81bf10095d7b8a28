package io.eddyrtc.engine.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.InetSocketAddressView;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.IceCredentials;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.sim.RouterNode;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many server {@code Rtc}s behind one virtual socket, each datagram routed by the {@link RtcRouter}: every peer
 * gets its own traffic and nobody else's, addresses ICE learns (peer-reflexive, a NAT's reused mapping, an ICE
 * restart's new ufrag) route from then on, strangers are counted, and a peer cannot draw another's traffic by
 * signalling its address. Seeded virtual network; every failure prints its seed.
 */
@ExtendWith(SeedExtension.class)
class RtcRouterTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 5000);
    static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate(new SecureRandom());
    static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate(new SecureRandom());

    VirtualNetwork net;
    Random random;
    RouterNode server;
    final List<RtcNode> clients = new ArrayList<>();
    final List<InetSocketAddress> addresses = new ArrayList<>();
    final List<Integer> ids = new ArrayList<>();
    /** What each server peer received on its data channel, by router id. */
    final Map<Integer, List<String>> received = new HashMap<>();
    /** Each client's data channel, once open. */
    final Map<Integer, Integer> channels = new HashMap<>();

    void network(long seed, LinkConditions link) {
        random = new Random(seed);
        net = new VirtualNetwork(seed);
        net.defaultConditions(link);
        server = new RouterNode("server");
        server.onEvent((id, e) -> {
            if (e instanceof Event.ChannelData d) {
                received.computeIfAbsent(id, k -> new ArrayList<>()).add(new String(d.data(), StandardCharsets.UTF_8));
            }
        });
        net.attach(server, SERVER);
    }

    /**
     * A client at {@code address} (controlling, the DTLS client, opening a data channel that says hello) and its
     * server peer; the server is told the client's candidate only when {@code signalled} (else it learns it as
     * peer-reflexive from the first check). Returns the client's index.
     */
    int join(InetSocketAddress address, boolean signalled) {
        int index = clients.size();
        Rtc client = Rtc.builder().randomSeed(random.nextLong()).certificate(CLIENT_CERT).build();
        Rtc peer = Rtc.builder().randomSeed(random.nextLong()).certificate(SERVER_CERT).build();
        client.directApi().setIceControlling(true);
        peer.directApi().setIceControlling(false);
        client.addLocalCandidate(Candidate.host(address));
        peer.addLocalCandidate(Candidate.host(SERVER));
        client.directApi().setRemoteIceCredentials(peer.directApi().localIceCredentials());
        peer.directApi().setRemoteIceCredentials(client.directApi().localIceCredentials());
        client.addRemoteCandidate(Candidate.host(SERVER));
        if (signalled) {
            peer.addRemoteCandidate(Candidate.host(address));
        }
        client.directApi().setRemoteFingerprint(peer.directApi().localDtlsFingerprint());
        peer.directApi().setRemoteFingerprint(client.directApi().localDtlsFingerprint());
        client.directApi().startDtls(true).startSctp().createDataChannel("hello");
        peer.directApi().startDtls(false).startSctp();
        RtcNode node = new RtcNode("client" + index, client);
        node.onEvent(e -> {
            if (e instanceof Event.ChannelOpen o) {
                channels.put(index, o.id());
                client.channel(o.id()).writeText("hello from client " + index);
            }
        });
        net.attach(node, address);
        clients.add(node);
        addresses.add(address);
        ids.add(server.add(peer));
        return index;
    }

    static InetSocketAddress clientAddress(int i) {
        return new InetSocketAddress("10.1." + (i / 200) + "." + (1 + i % 200), 7000 + i % 7);
    }

    boolean allGreeted() {
        for (int i = 0; i < clients.size(); i++) {
            if (clients.get(i) != null && !received.containsKey(ids.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void manyPeersOnOneSocketEachGetTheirOwnDatagrams(@Seed long seed) {
        network(seed, LinkConditions.perfect().withLatencyMillis(15).withJitterMillis(5).withLoss(0.02));
        for (int i = 0; i < 40; i++) {
            join(clientAddress(i), true);
        }
        assertTrue(net.runUntil(this::allGreeted, 20 * S), "every peer connected and heard its client (" + net + ")");
        for (int i = 0; i < 40; i++) {
            assertEquals(List.of("hello from client " + i), received.get(ids.get(i)), "peer " + i + " got its own client's message only");
            assertEquals(ids.get(i), server.router().holderOf(addresses.get(i)));
        }
        assertEquals(0, server.router().droppedTotal(), "nothing on a clean network lacks a peer (" + net + ")");
    }

    @Test
    void anAddressLearntFromAChecksRoutesFromThen(@Seed long seed) {
        network(seed, LinkConditions.perfect().withLatencyMillis(10));
        for (int i = 0; i < 5; i++) {
            join(clientAddress(i), false);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(-1, server.router().holderOf(addresses.get(i)), "not signalled, so no peer holds it yet");
        }
        assertTrue(net.runUntil(this::allGreeted, 10 * S), "peers learnt their clients from the checks (" + net + ")");
        for (int i = 0; i < 5; i++) {
            assertEquals(ids.get(i), server.router().holderOf(addresses.get(i)), "the peer-reflexive address routes to its peer");
            assertTrue(server.rtc(ids.get(i)).routeKeys().proven().contains(addresses.get(i)));
        }
    }

    @Test
    void strangersAreCountedAndCallsGoOn(@Seed long seed) {
        network(seed, LinkConditions.perfect().withLatencyMillis(10));
        join(clientAddress(0), true);
        join(clientAddress(1), true);
        assertTrue(net.runUntil(this::allGreeted, 10 * S));
        InetSocketAddress stranger = new InetSocketAddress("10.9.9.9", 4444);
        byte[] dtls = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
        byte[] srtp = new byte[100];
        srtp[0] = (byte) 0x80;
        srtp[1] = 96;
        net.send(stranger, SERVER, dtls);
        net.send(stranger, SERVER, srtp);
        net.send(stranger, SERVER, stunRequest("nobody", "x"));
        net.send(stranger, SERVER, stunRequest(null, null));
        byte[] broken = stunRequest("nobody", "x");
        broken[3] += 4; // the declared length runs past the datagram
        net.send(stranger, SERVER, broken);
        net.runFor(2 * S);
        RtcRouter router = server.router();
        assertEquals(2, router.dropped(RouteDropReason.UNKNOWN_ADDRESS));
        assertEquals(1, router.dropped(RouteDropReason.UNKNOWN_UFRAG));
        assertEquals(1, router.dropped(RouteDropReason.NO_USERNAME));
        assertEquals(1, router.dropped(RouteDropReason.MALFORMED_STUN));
        assertEquals(5, server.unrouted());
        for (int id : ids) {
            assertTrue(server.rtc(id).isConnected());
            assertEquals(0, server.rtc(id).dropped(RtcDropReason.NOT_FROM_PEER), "no stranger's datagram reached a peer");
        }
    }

    @Test
    void aSignalledAddressCannotTakeOneAnotherPeerProved(@Seed long seed) {
        network(seed, LinkConditions.perfect().withLatencyMillis(10));
        join(clientAddress(0), true);
        join(clientAddress(1), true);
        assertTrue(net.runUntil(this::allGreeted, 10 * S));
        int victim = ids.get(0);
        int thief = ids.get(1);
        server.rtc(thief).addRemoteCandidate(Candidate.host(addresses.get(0))); // a peer signals someone else's address
        net.runFor(5 * S);
        assertEquals(victim, server.router().holderOf(addresses.get(0)), "the address stays with the peer that proved it");
        clients.get(0).rtc().channel(channels.get(0)).writeText("still mine");
        assertTrue(net.runUntil(() -> received.get(victim).size() == 2, net.now() + 2 * S));
        assertEquals(List.of("hello from client 0", "still mine"), received.get(victim));
        assertEquals(List.of("hello from client 1"), received.get(thief));

        server.remove(victim);
        assertEquals(thief, server.router().holderOf(addresses.get(0)), "once its holder lets it go, a peer still claiming it gets it");
    }

    @Test
    void aNatMappingThatMovesToAnotherPeerMovesWithIt(@Seed long seed) {
        network(seed, LinkConditions.perfect().withLatencyMillis(10));
        InetSocketAddress mapping = clientAddress(0);
        join(mapping, true);
        assertTrue(net.runUntil(this::allGreeted, 10 * S));
        int departed = ids.get(0);
        clients.get(0).rtc().disconnect(); // the first client leaves; its server peer still holds the address, proven
        net.runFor(1 * S);
        net.detach(mapping);
        clients.set(0, null);
        int next = join(mapping, false); // the NAT hands the same mapping to someone else, who joins another peer
        assertTrue(net.runUntil(() -> received.containsKey(ids.get(next)), net.now() + 10 * S), "the newcomer connected (" + net + ")");
        assertEquals(ids.get(next), server.router().holderOf(mapping), "its fresh proof took the address over");
        assertTrue(server.rtc(departed).routeKeys().proven().contains(mapping), "though the departed peer's ICE still has it");
    }

    @Test
    void anIceRestartsNewUfragRoutes(@Seed long seed) {
        network(seed, LinkConditions.perfect().withLatencyMillis(20).withLoss(0.02));
        join(clientAddress(0), true);
        assertTrue(net.runUntil(this::allGreeted, 10 * S));
        Rtc client = clients.get(0).rtc();
        Rtc peer = server.rtc(ids.get(0));
        IceCredentials clientNew = client.directApi().iceRestart();
        IceCredentials peerNew = peer.directApi().iceRestart();
        client.directApi().setRemoteIceCredentials(peerNew);
        peer.directApi().setRemoteIceCredentials(clientNew);
        client.addRemoteCandidate(Candidate.host(SERVER));
        peer.addRemoteCandidate(Candidate.host(addresses.get(0)));
        long selectedBefore = selectedPairs(ids.get(0));
        assertTrue(net.runUntil(() -> selectedPairs(ids.get(0)) > selectedBefore, net.now() + 10 * S),
                "checks with the new ufrag reached the peer, which selected a pair of the new generation");
        net.runFor(40 * S);
        assertTrue(peer.isConnected() && client.isConnected(), "the new generation holds consent (" + net + ")");
        assertEquals(0, server.router().dropped(RouteDropReason.UNKNOWN_UFRAG));
    }

    private long selectedPairs(int id) {
        return server.eventsOf(id).stream().filter(e -> e instanceof Event.SelectedPairChange).count();
    }

    /** Routing checks by ufrag and everything else by address, then handing datagrams on, allocates nothing. */
    @Test
    void routingAllocatesNothing(@Seed long seed) {
        random = new Random(seed);
        RtcRouter router = new RtcRouter();
        int peers = 300;
        InetSocketAddressView[] sources = new InetSocketAddressView[peers];
        MemorySegment[] checks = new MemorySegment[peers];
        int[] checkLengths = new int[peers];
        for (int i = 0; i < peers; i++) {
            Rtc rtc = Rtc.builder().randomSeed(random.nextLong()).certificate(SERVER_CERT).build();
            rtc.addLocalCandidate(Candidate.host(SERVER));
            rtc.directApi().setRemoteIceCredentials(new IceCredentials("remo", "remotepasswordremotepassword"));
            sources[i] = InetSocketAddressView.of(clientAddress(i));
            rtc.addRemoteCandidate(Candidate.host(sources[i].toInetSocketAddress()));
            assertEquals(i, router.add(rtc));
            byte[] check = stunRequest(rtc.directApi().localIceCredentials().ufrag(), "remo");
            checks[i] = Arena.ofAuto().allocate(check.length);
            MemorySegment.copy(MemorySegment.ofArray(check), 0, checks[i], 0, check.length);
            checkLengths[i] = check.length;
        }
        MemorySegment srtp = Arena.ofAuto().allocate(1200);
        srtp.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 0x80);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long checksum = 0;
        long before = 0;
        long now = 1_000;
        for (int n = 0; n < 400_000; n++) {
            if (n == 200_000) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            int i = n % peers;
            checksum += router.route(sources[i], checks[i], 0, checkLengths[i]) - i;
            checksum += router.route(sources[i], srtp, 0, 1200) - i;
            // handed on: the Rtc drops media from an address its ICE never proved (NOT_FROM_PEER), allocation-free too
            checksum += router.receive(now++, sources[i], SERVER, srtp, 0, 1200) - i;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, checksum, "every datagram went to its own peer");
        assertEquals(0, router.droppedTotal());
        assertTrue(allocated < 16_000, "routing 600,000 datagrams allocated " + allocated + " bytes");
    }

    /** A Binding request with USERNAME {@code ours:theirs} (none when null), as a check from the peer looks. */
    static byte[] stunRequest(String ours, String theirs) {
        MemorySegment m = MemorySegment.ofArray(new byte[256]);
        StunWriter w = new StunWriter().begin(m, 0, 256, Stun.BINDING_REQUEST, 7, 11);
        if (ours != null) {
            w.addUsername(ours.getBytes(StandardCharsets.UTF_8), theirs.getBytes(StandardCharsets.UTF_8));
        }
        int length = w.addPriority(1).addIceControlling(5).addMessageIntegrity(new HmacSha1(),
                "somepasswordsomepassword".getBytes(StandardCharsets.US_ASCII)).addFingerprint().length();
        return Arrays.copyOf(m.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), length);
    }
}
