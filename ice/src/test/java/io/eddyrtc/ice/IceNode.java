package io.eddyrtc.ice;

import io.eddyrtc.buffers.testkit.SansIoNode;
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
        agent.handleReceive(now, source, toLocal(destination), MemorySegment.ofArray(datagram));
        collect(now);
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
            out.send(nat.getOrDefault(t.source(), t.source()), t.destination(), t.toByteArray());
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
