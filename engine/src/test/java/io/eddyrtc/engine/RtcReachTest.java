package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.CandidateType;
import io.eddyrtc.ice.IceConnectionState;
import io.eddyrtc.ice.Transport;
import io.eddyrtc.ice.TransportProtocol;
import io.eddyrtc.ice.TurnServer;
import io.eddyrtc.ice.testkit.VirtualTcp;
import io.eddyrtc.ice.testkit.VirtualTurnServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whole calls over the paths ICE-TCP, TURN and mDNS open, on the virtual network: a client whose UDP is blocked
 * reaching an ICE-lite server over TCP, a relayed-only call (with and without loss), and a peer that hides its
 * host address behind an mDNS name. DTLS, SRTP media and a data channel run over each, as they do over UDP.
 */
@ExtendWith(SeedExtension.class)
class RtcReachTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.1.1", 6000);
    static final InetSocketAddress SERVER_TCP = new InetSocketAddress("10.0.1.1", 6443);
    static final InetSocketAddress TURN = new InetSocketAddress("10.0.2.1", 3478);
    static final TurnServer TURN_SERVER = new TurnServer(TURN, Transport.UDP, "alice", "secret-pass");

    VirtualNetwork net;
    VirtualTcp tcp;
    VirtualTurnServer turn;
    RtcNode client;
    RtcNode server;
    Mid audio;

    void setUp(long seed, LinkConditions links, UnaryOperator<RtcConfig.Builder> clientConfig,
               UnaryOperator<RtcConfig.Builder> serverConfig) {
        Random random = new Random(seed);
        net = new VirtualNetwork(seed);
        net.defaultConditions(links);
        tcp = new VirtualTcp(net, 20);
        turn = new VirtualTurnServer(TURN, null, null, "eddy.test", "alice", "secret-pass").attachTo(net);
        client = new RtcNode("client", clientConfig.apply(Rtc.builder().randomSeed(random.nextLong()).certificate(RtcDtlsTest.CERT_A))
                .build()).withTcp(tcp);
        server = new RtcNode("server", serverConfig.apply(Rtc.builder().randomSeed(random.nextLong()).certificate(RtcDtlsTest.CERT_B))
                .build()).withTcp(tcp);
        net.attach(client, CLIENT);
        net.attach(server, SERVER);
    }

    /** The client offers audio and a channel; the server answers; both go through SDP text. */
    void negotiate() {
        SdpApi api = client.rtc().sdpApi();
        audio = api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        api.addChannel("chat");
        SdpApi.Offer offer = api.apply().orElseThrow();
        SdpAnswer answer = server.rtc().acceptOffer(SdpOffer.fromSdp(offer.offer().toSdp()));
        client.rtc().acceptAnswer(offer.pending(), SdpAnswer.fromSdp(answer.toSdp()));
    }

    /** Trickles what each side gathered (relayed candidates) to the other, as the signalling channel would. */
    boolean connectedTrickling() {
        trickle(client, server);
        trickle(server, client);
        return client.rtc().isConnected() && server.rtc().isConnected();
    }

    private final List<Candidate> trickled = new ArrayList<>();

    private void trickle(RtcNode from, RtcNode to) {
        for (Event e : from.eventsOf(from.rtc())) {
            if (e instanceof Event.CandidateGathered g && !trickled.contains(g.candidate())) {
                trickled.add(g.candidate());
                to.rtc().addRemoteCandidate(Candidate.parse(g.candidate().toSdpString()));
            }
        }
    }

    static <T extends Event> List<T> events(RtcNode node, Class<T> type) {
        return node.eventsOf(node.rtc()).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Opus frames from the client and channel messages both ways; returns the audio frames that arrived. */
    int mediaAndData(int frames) {
        assertTrue(net.runUntil(() -> !events(server, Event.ChannelOpen.class).isEmpty()
                && !events(client, Event.ChannelOpen.class).isEmpty(), net.now() + 10 * S), () -> "the channel opens on both sides: "
                + client.eventsOf(client.rtc()) + "\n" + server.eventsOf(server.rtc()) + "\n" + net + " client drops " + client.rtc().droppedTotal()
                + " server drops " + server.rtc().droppedTotal());
        Media sound = client.rtc().media(audio.value());
        int pt = sound.payloadParams().stream().filter(p -> p.codec() == Codec.OPUS).map(PayloadParams::pt).findFirst().orElseThrow();
        MediaWriter opus = sound.writer(pt);
        for (int i = 0; i < frames; i++) {
            assertTrue(opus.write(net.now(), MediaTime.of(960L * i, 48_000), new byte[] {1, 2, 3, (byte) i}));
            net.runFor(20 * MS);
        }
        int channel = events(client, Event.ChannelOpen.class).getFirst().id();
        client.rtc().channel(channel).writeText("hello over " + client.rtc().iceConnectionState());
        int back = events(server, Event.ChannelOpen.class).getFirst().id();
        server.rtc().channel(back).writeText("and back");
        assertTrue(net.runUntil(() -> !events(server, Event.ChannelData.class).isEmpty()
                && !events(client, Event.ChannelData.class).isEmpty(), net.now() + 15 * S), "the messages arrive, retransmitted if lost");
        assertEquals(1, events(server, Event.ChannelData.class).size());
        assertEquals("and back", events(client, Event.ChannelData.class).getFirst().text());
        net.runFor(S);
        return (int) events(server, Event.MediaData.class).stream().filter(m -> m.mid().equals(audio.value())).count();
    }

    @Test
    void aClientWhoseUdpIsBlockedReachesAnIceLiteServerOverTcp(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20).withBlocked(true), UnaryOperator.identity(),
                c -> c.iceLite(true));
        tcp.listen(server, SERVER_TCP);
        client.rtc().addLocalCandidate(Candidate.host(CLIENT));
        client.rtc().addLocalCandidate(Candidate.tcpActive(CLIENT.getAddress()));
        server.rtc().addLocalCandidate(Candidate.host(SERVER));
        server.rtc().addLocalCandidate(Candidate.tcpPassive(SERVER_TCP));
        negotiate();
        assertTrue(net.runUntil(() -> client.rtc().isConnected() && server.rtc().isConnected(), net.now() + 15 * S),
                () -> "not connected over TCP: " + client.rtc() + " / " + server.rtc() + " " + net);
        Event.SelectedPairChange pair = events(client, Event.SelectedPairChange.class).getLast();
        assertEquals(TransportProtocol.TCP, pair.local().transport(), pair.toString());
        assertEquals(SERVER_TCP, pair.remote().address());
        assertEquals(50, mediaAndData(50), "DTLS, SRTP and SCTP all over the one framed stream");
        assertEquals(0, client.rtc().dropped(RtcDropReason.NOT_FROM_PEER) + server.rtc().dropped(RtcDropReason.NOT_FROM_PEER));
        assertTrue(net.totals().blocked > 0, "UDP was tried and blocked: " + net);

        // the path is the peer's over TCP only: a UDP datagram from the same address (a spoofer's) is not read
        InetSocketAddress clientSeen = events(server, Event.SelectedPairChange.class).getLast().remote().address();
        byte[] forgedAlert = {21, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 2, 2, 0};
        server.rtc().handleReceive(net.now(), Transport.UDP, clientSeen, SERVER, java.lang.foreign.MemorySegment.ofArray(forgedAlert), 0,
                forgedAlert.length);
        assertEquals(1, server.rtc().dropped(RtcDropReason.NOT_FROM_PEER));
        net.runFor(S);
        assertTrue(server.rtc().isConnected() && client.rtc().isConnected(), "the call goes on");
    }

    @Test
    void aRelayedOnlyCallCarriesMediaAndDataAndReleasesItsAllocations(@Seed long seed) {
        UnaryOperator<RtcConfig.Builder> relayOnly = c -> c.turnServer(TURN_SERVER).relayOnly(true);
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), relayOnly, relayOnly);
        net.conditionsBothWays(CLIENT, SERVER, LinkConditions.perfect().withBlocked(true));
        client.rtc().addLocalCandidate(Candidate.host(CLIENT));
        server.rtc().addLocalCandidate(Candidate.host(SERVER));
        negotiate();
        assertTrue(net.runUntil(this::connectedTrickling, net.now() + 15 * S),
                () -> "not connected through the relay: " + client.rtc() + " / " + server.rtc() + " " + net);
        for (RtcNode node : List.of(client, server)) {
            Event.SelectedPairChange pair = events(node, Event.SelectedPairChange.class).getLast();
            assertEquals(CandidateType.RELAYED, pair.local().type(), node + ": " + pair);
        }
        assertEquals(50, mediaAndData(50));
        assertTrue(turn.channelBinds >= 2 && turn.relayedToPeers > 50, "it all went through the TURN server: " + turn.relayedToPeers);
        assertEquals(0, net.stats(CLIENT, SERVER).sent + net.stats(SERVER, CLIENT).sent, "nothing went directly");

        client.rtc().disconnect();
        server.rtc().disconnect();
        net.runFor(S);
        assertEquals(2, turn.releases, "both allocations released when the calls ended");
        assertEquals(0, turn.liveAllocations());
    }

    @Test
    void aRelayedCallWithFivePercentLossOnEveryLink(@Seed long seed) {
        UnaryOperator<RtcConfig.Builder> relayOnly = c -> c.turnServer(TURN_SERVER).relayOnly(true);
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20).withLoss(0.05), relayOnly, relayOnly);
        client.rtc().addLocalCandidate(Candidate.host(CLIENT));
        server.rtc().addLocalCandidate(Candidate.host(SERVER));
        negotiate();
        assertTrue(net.runUntil(this::connectedTrickling, net.now() + 30 * S),
                () -> "not connected through the lossy relay: " + client.rtc() + " / " + server.rtc() + " " + net);
        int arrived = mediaAndData(200);
        // two lossy links each way: about 0.95^2 of the frames arrive (audio is not retransmitted)
        assertTrue(arrived > 160 && arrived < 200, "arrived " + arrived + " of 200: " + net);
        net.runFor(60 * S);
        assertEquals(IceConnectionState.CONNECTED, client.rtc().iceConnectionState(), "consent holds through the loss");
    }

    @Test
    void aPeerThatHidesItsHostAddressBehindAnMdnsNameIsReachedThroughTheResolver(@Seed long seed) {
        // the server hides its address and, being lite, sends no check: only resolving its name reaches it
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), UnaryOperator.identity(), c -> c.iceLite(true).mdnsHostNames(true));
        client.rtc().addLocalCandidate(Candidate.host(CLIENT));
        server.rtc().addLocalCandidate(Candidate.host(SERVER));
        SdpApi api = server.rtc().sdpApi();
        api.addChannel("chat");
        SdpApi.Offer offer = api.apply().orElseThrow();
        String offerText = offer.offer().toSdp();
        Map<String, java.net.InetAddress> names = server.rtc().mdnsHostNames();
        assertEquals(1, names.size());
        String name = names.keySet().iterator().next();
        assertTrue(name.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.local"), name);
        assertTrue(offerText.contains(name) && !offerText.contains("10.0.1.1"), "the address never appears: " + offerText);
        SdpAnswer answer = client.rtc().acceptOffer(SdpOffer.fromSdp(offerText));
        server.rtc().acceptAnswer(offer.pending(), SdpAnswer.fromSdp(answer.toSdp()));

        net.runFor(3 * S);
        assertEquals(List.of(new Event.ResolveMdns(name)), events(client, Event.ResolveMdns.class), "asked once for the name");
        assertFalse(client.rtc().isConnected());
        assertEquals(0, net.stats(CLIENT, SERVER).sent, "nothing is sent to a name before it resolves");

        client.rtc().mdnsResolved(name, names.get(name)); // what the caller's resolver found on the LAN
        assertTrue(net.runUntil(() -> client.rtc().isConnected() && server.rtc().isConnected(), net.now() + 10 * S),
                () -> "not connected after the name resolved: " + client.rtc() + " / " + server.rtc());
        assertEquals(SERVER, events(client, Event.SelectedPairChange.class).getLast().remote().address());
        assertTrue(net.runUntil(() -> !events(client, Event.ChannelOpen.class).isEmpty(), net.now() + 5 * S), "and the channel opens");
    }

    @Test
    void gatheredCandidatesComeOutAsEventsAndGoInTheNextOffer(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20), c -> c.turnServer(TURN_SERVER), UnaryOperator.identity());
        client.rtc().addLocalCandidate(Candidate.host(CLIENT));
        assertTrue(net.runUntil(() -> !events(client, Event.CandidateGathered.class).isEmpty(), net.now() + 2 * S));
        Candidate relayed = events(client, Event.CandidateGathered.class).getFirst().candidate();
        assertEquals(CandidateType.RELAYED, relayed.type());
        SdpApi api = client.rtc().sdpApi();
        api.addChannel("chat");
        String offer = api.apply().orElseThrow().offer().toSdp();
        assertTrue(offer.contains("typ relay"), "the next offer carries the relayed candidate: " + offer);
        assertTrue(offer.contains("typ host"), "and the host one, since relay-only is off");
    }
}
