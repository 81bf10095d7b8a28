package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.ice.testkit.VirtualTcp;
import io.eddyrtc.ice.testkit.VirtualTurnServer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Data through the relay allocates nothing once warm: framing application data for the TURN server
 * ({@link IceAgent#relay}) and unwrapping the ChannelData it relays back ({@link IceAgent#receiveFromRelay}).
 */
class RelayAllocationTest {
    static final long S = 1_000_000_000L;

    @Test
    void relayingDataBothWaysAllocatesNothingOnceWarm() {
        VirtualNetwork net = new VirtualNetwork(11);
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(10));
        VirtualTcp tcp = new VirtualTcp(net, 10);
        InetSocketAddress turnAddress = new InetSocketAddress("10.0.2.1", 3478);
        new VirtualTurnServer(turnAddress, null, null, "eddy.test", "alice", "pw").attachTo(net);
        IceConfig relayOnly = IceConfig.defaults().withTurnServers(List.of(new TurnServer(turnAddress, Transport.UDP, "alice", "pw")))
                .withRelayOnly(true);
        Random r = new Random(11);
        IceNode a = new IceNode("a", IceNode.seededAgent(relayOnly, true, r.nextLong()));
        IceNode b = new IceNode("b", IceNode.seededAgent(relayOnly, false, r.nextLong()));
        a.tcp = tcp;
        b.tcp = tcp;
        InetSocketAddress aHost = new InetSocketAddress("10.0.0.1", 5000);
        InetSocketAddress bHost = new InetSocketAddress("10.0.1.1", 6000);
        net.attach(a, aHost);
        net.attach(b, bHost);
        a.agent.addLocalCandidate(Candidate.host(aHost));
        b.agent.addLocalCandidate(Candidate.host(bHost));
        a.agent.setRemoteCredentials(b.agent.localUfrag(), b.agent.localPassword());
        b.agent.setRemoteCredentials(a.agent.localUfrag(), a.agent.localPassword());
        assertTrue(net.runUntil(() -> {
            trickle(a, b);
            trickle(b, a);
            return a.connected() && b.connected();
        }, 10 * S), "connected through the relay");
        // let the channels bind, then catch one ChannelData the server relays to b
        for (int i = 0; i < 50; i++) {
            a.sendApplicationData(new byte[] {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 42});
            net.runFor(20_000_000L);
        }
        IceNode.FromRelay caught = b.lastFromRelay;
        assertNotNull(caught);
        byte[] channelData = caught.datagram();
        assertEquals(0x40, channelData[0] & 0xF0, "relayed on a bound channel");
        MemorySegment in = Arena.ofAuto().allocate(channelData.length);
        MemorySegment.copy(MemorySegment.ofArray(channelData), 0, in, 0, channelData.length);
        MemorySegment out = Arena.ofAuto().allocate(1200);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int warm = 200_000;
        int measured = 20_000;
        long before = 0;
        long bytes = 0;
        long now = net.now();
        for (int i = 0; i < warm + measured; i++) {
            if (i == warm) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            StunTransmit framed = a.agent.relay(out, 0, 1200);
            RelayedDatagram unwrapped = b.agent.receiveFromRelay(now, Transport.UDP, caught.source(), caught.destination(), in, 0,
                    channelData.length);
            bytes += framed.length() + unwrapped.length();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(bytes > 0);
        assertTrue(allocated < 16_000, "relaying " + measured + " datagrams each way allocated " + allocated + " bytes");
    }

    private static void trickle(IceNode from, IceNode to) {
        for (IceEvent e : from.events) {
            if (e instanceof IceEvent.CandidateGathered g
                    && to.agent.remoteCandidates().stream().noneMatch(c -> c.address().equals(g.candidate().address()))) {
                to.agent.addRemoteCandidate(Candidate.parse("a=" + g.candidate().toSdpString()));
            }
        }
    }
}
