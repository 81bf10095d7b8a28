package io.eddyrtc.ice;

import io.eddyrtc.buffers.testkit.SansIoNode;
import io.eddyrtc.ice.testkit.VirtualTcp;
import java.lang.foreign.ValueLayout;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test adapter: an {@link IceAgent} on the virtual network, optionally behind a one-to-one NAT
 * (local address to public address) so tests can move the public side mid-call.
 */
final class IceNode implements SansIoNode {
    final String name;
    final IceAgent agent;
    final List<IceEvent> events = new ArrayList<>();
    /** local -> public; absent means no NAT for that address. */
    final Map<InetSocketAddress, InetSocketAddress> nat = new HashMap<>();
    /** ICE-TCP and TURN-over-TCP connections, when the test has them. */
    VirtualTcp tcp;
    /** Application datagrams that arrived from the verified peer, and those refused as not from it. */
    final List<byte[]> applicationData = new ArrayList<>();
    long applicationRefused;
    /** The last datagram a TURN server sent this node. */
    FromRelay lastFromRelay;

    record FromRelay(Transport transport, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {}
    private final List<AppOut> appOut = new ArrayList<>();

    private record AppOut(Transport transport, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {}
    long connectedAt = -1;
    long disconnectedAt = -1;
    long failedAt = -1;

    /**
     * An agent whose secrets and jitter come from one seeded generator, so a test run repeats exactly.
     * (Production passes a SecureRandom for the secrets.)
     */
    static IceAgent seededAgent(IceConfig config, boolean controlling, long seed) {
        java.util.Random random = new java.util.Random(seed);
        return new IceAgent(config, controlling, random, random);
    }

    /** Tells two agents of each other, as signalling would: credentials and one host candidate each. */
    static void introduce(IceAgent a, InetSocketAddress aAddress, IceAgent b, InetSocketAddress bAddress) {
        a.addLocalCandidate(Candidate.host(aAddress));
        b.addLocalCandidate(Candidate.host(bAddress));
        a.setRemoteCredentials(b.localUfrag(), b.localPassword());
        b.setRemoteCredentials(a.localUfrag(), a.localPassword());
        a.addRemoteCandidate(Candidate.host(bAddress));
        b.addRemoteCandidate(Candidate.host(aAddress));
    }

    IceNode(String name, IceAgent agent) {
        this.name = name;
        this.agent = agent;
    }

    private InetSocketAddress toLocal(InetSocketAddress publicAddress) {
        for (Map.Entry<InetSocketAddress, InetSocketAddress> e : nat.entrySet()) {
            if (e.getValue().equals(publicAddress)) {
                return e.getKey();
            }
        }
        return publicAddress;
    }

    @Override
    public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
        if (tcp != null && tcp.carries(source, destination)) {
            for (VirtualTcp.Received r : tcp.receive(source, destination, datagram)) {
                deliver(now, r.transport(), r.source(), r.destination(), r.datagram());
            }
        } else {
            deliver(now, Transport.UDP, source, toLocal(destination), datagram);
        }
        collect(now);
    }

    /** As a real loop does: TURN servers' datagrams through the relay first, then STUN to the agent, the rest is application data. */
    private void deliver(long now, Transport transport, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
        MemorySegment segment = MemorySegment.ofArray(datagram);
        if (agent.isRelayServer(source, destination)) {
            lastFromRelay = new FromRelay(transport, source, destination, datagram);
            RelayedDatagram r = agent.receiveFromRelay(now, transport, source, destination, segment, 0, datagram.length);
            if (r == null) {
                return;
            }
            if (!agent.handleReceive(now, Transport.UDP, r.peer(), r.relayed(), r.segment(), r.offset(), r.length())) {
                application(Transport.UDP, r.peer(), r.segment().asSlice(r.offset(), r.length()).toArray(ValueLayout.JAVA_BYTE));
            }
            return;
        }
        if (!agent.handleReceive(now, transport, source, destination, segment, 0, datagram.length)) {
            application(transport, source, datagram);
        }
    }

    private void application(Transport transport, InetSocketAddress source, byte[] datagram) {
        if (agent.isVerifiedAddress(transport, source)) {
            applicationData.add(datagram);
        } else {
            applicationRefused++;
        }
    }

    /**
     * Sends an application datagram on the pair in use, as the engine does: through the relay when the pair is
     * relayed, else from the data source over the data transport. False when there is nowhere to send it.
     */
    boolean sendApplicationData(byte[] datagram) {
        if (agent.dataDestination() == null) {
            return false;
        }
        if (agent.dataRelayed()) {
            StunTransmit t = agent.relay(MemorySegment.ofArray(datagram), 0, datagram.length);
            if (t == null) {
                return false;
            }
            appOut.add(new AppOut(t.transport(), t.source(), t.destination(), t.toByteArray()));
        } else {
            appOut.add(new AppOut(agent.dataTransport(), agent.dataSource(), agent.dataDestination(), datagram));
        }
        return true;
    }

    @Override
    public void timeout(long now) {
        agent.handleTimeout(now);
        collect(now);
    }

    @Override
    public long nextDeadline() {
        return agent.nextDeadline();
    }

    @Override
    public void drainTransmits(long now, Transmitter out) {
        StunTransmit t;
        while ((t = agent.pollTransmit()) != null) {
            send(out, t.transport(), t.source(), t.destination(), t.toByteArray());
        }
        for (AppOut o : appOut) {
            send(out, o.transport(), o.source(), o.destination(), o.datagram());
        }
        appOut.clear();
    }

    private void send(Transmitter out, Transport transport, InetSocketAddress source, InetSocketAddress destination, byte[] bytes) {
        if (transport == Transport.UDP) {
            out.send(nat.getOrDefault(source, source), destination, bytes);
        } else {
            tcp.send(this, transport, source, destination, bytes);
        }
    }

    void collect(long now) {
        IceEvent e;
        while ((e = agent.pollEvent()) != null) {
            events.add(e);
            if (e instanceof IceEvent.StateChanged s) {
                switch (s.state()) {
                    case CONNECTED -> {
                        if (connectedAt < 0) {
                            connectedAt = now;
                        }
                    }
                    case DISCONNECTED -> disconnectedAt = now;
                    case FAILED -> failedAt = now;
                    default -> { }
                }
            }
        }
    }

    boolean connected() {
        IceConnectionState s = agent.state();
        return s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED;
    }

    long count(Class<? extends IceEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }

    @Override
    public String toString() {
        return name + ":" + agent;
    }
}
