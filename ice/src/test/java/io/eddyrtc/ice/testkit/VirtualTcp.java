package io.eddyrtc.ice.testkit;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.SansIoNode;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.ice.StreamDeframer;
import io.eddyrtc.ice.Transport;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TCP connections on the {@link VirtualNetwork}, for ICE-TCP and TURN over TCP. A connection is opened when a node
 * first sends a {@link Transport#TCP} or {@link Transport#TURN_TCP} datagram to an address some node listens on: the
 * active side gets an ephemeral port (attached to it) and both directions of the connection's wire get lossless,
 * ordered conditions, as TCP delivers. Each datagram is framed as the real thing is (RFC 4571, or as-is for TURN),
 * cut into one to three seeded pieces, and cut back into datagrams at the other end by a {@link StreamDeframer} —
 * so a node meets the framing the way a socket loop does. A stream that breaks the framing closes its connection.
 *
 * <p>What each side sees is what a real loop reports: the passive side gets datagrams from the active side's
 * ephemeral address to its listening address; the active side gets them from the listening address to the local
 * address it sent from (for an active candidate, {@code ip:9}).
 */
public final class VirtualTcp {
    /** A datagram a connection delivered, with the addresses the receiving side's agent is told. */
    public record Received(Transport transport, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {}

    private record Wire(InetSocketAddress from, InetSocketAddress to) {}

    private record View(SansIoNode node, InetSocketAddress local, InetSocketAddress remote) {}

    private static final class Connection {
        final Transport transport;
        final SansIoNode active;
        final InetSocketAddress activeLocal;
        final InetSocketAddress ephemeral;
        final SansIoNode passive;
        final InetSocketAddress listening;
        final StreamDeframer toActive;
        final StreamDeframer toPassive;
        boolean closed;

        Connection(Transport transport, SansIoNode active, InetSocketAddress activeLocal, InetSocketAddress ephemeral,
                   SansIoNode passive, InetSocketAddress listening) {
            this.transport = transport;
            this.active = active;
            this.activeLocal = activeLocal;
            this.ephemeral = ephemeral;
            this.passive = passive;
            this.listening = listening;
            this.toActive = StreamDeframer.of(transport, MAX_DATAGRAM);
            this.toPassive = StreamDeframer.of(transport, MAX_DATAGRAM);
        }
    }

    private static final int MAX_DATAGRAM = 2048;

    private final VirtualNetwork net;
    private final LinkConditions conditions;
    private final Map<InetSocketAddress, SansIoNode> listeners = new HashMap<>();
    private final Map<View, Connection> byView = new HashMap<>();
    private final Map<Wire, Connection> byWire = new HashMap<>();
    private int nextPort = 40_000;
    private long opened;
    private long refused;
    private long broken;

    /** Connections on {@code net} whose wires have {@code latencyMillis} each way and nothing else. */
    public VirtualTcp(VirtualNetwork net, int latencyMillis) {
        this.net = net;
        this.conditions = LinkConditions.perfect().withLatencyMillis(latencyMillis);
    }

    /** {@code node} accepts connections at {@code address} (it is attached there). */
    public VirtualTcp listen(SansIoNode node, InetSocketAddress address) {
        listeners.put(address, node);
        net.attach(node, address);
        return this;
    }

    /**
     * Sends {@code datagram} from {@code node} over the connection between {@code local} and {@code remote}, opening
     * it first when {@code remote} listens and there is none. A send to an address nobody listens on is refused.
     */
    public void send(SansIoNode node, Transport transport, InetSocketAddress local, InetSocketAddress remote, byte[] datagram) {
        Connection c = byView.get(new View(node, local, remote));
        if (c == null) {
            SansIoNode passive = listeners.get(remote);
            if (passive == null || transport == Transport.UDP) {
                refused++;
                return;
            }
            InetSocketAddress ephemeral = new InetSocketAddress(local.getAddress(), nextPort++);
            net.attach(node, ephemeral);
            net.conditionsBothWays(ephemeral, remote, conditions);
            c = new Connection(transport, node, local, ephemeral, passive, remote);
            byView.put(new View(node, local, remote), c);
            byView.put(new View(passive, remote, ephemeral), c);
            byWire.put(new Wire(ephemeral, remote), c);
            byWire.put(new Wire(remote, ephemeral), c);
            opened++;
        }
        if (c.closed) {
            return;
        }
        byte[] bytes = datagram;
        if (transport == Transport.TCP) {
            bytes = new byte[StreamDeframer.RFC4571_HEADER + datagram.length];
            StreamDeframer.writeRfc4571Header(MemorySegment.ofArray(bytes), 0, datagram.length);
            System.arraycopy(datagram, 0, bytes, StreamDeframer.RFC4571_HEADER, datagram.length);
        }
        boolean fromActive = node == c.active && local.equals(c.activeLocal);
        InetSocketAddress from = fromActive ? c.ephemeral : c.listening;
        InetSocketAddress to = fromActive ? c.listening : c.ephemeral;
        int pieces = bytes.length < 3 ? 1 : 1 + net.random().nextInt(3);
        int at = 0;
        for (int i = 0; i < pieces; i++) {
            int end = i == pieces - 1 ? bytes.length : at + net.random().nextInt(bytes.length - at);
            byte[] piece = new byte[end - at];
            System.arraycopy(bytes, at, piece, 0, piece.length);
            net.send(from, to, piece);
            at = end;
        }
    }

    /** Whether bytes from {@code source} to {@code destination} travel on one of these connections. */
    public boolean carries(InetSocketAddress source, InetSocketAddress destination) {
        return byWire.containsKey(new Wire(source, destination));
    }

    /** Bytes that arrived on a connection's wire: the datagrams they complete, as the receiving side sees them. */
    public List<Received> receive(InetSocketAddress source, InetSocketAddress destination, byte[] bytes) {
        Connection c = byWire.get(new Wire(source, destination));
        List<Received> out = new ArrayList<>();
        if (c == null || c.closed) {
            return out;
        }
        boolean toPassive = destination.equals(c.listening) && source.equals(c.ephemeral);
        StreamDeframer d = toPassive ? c.toPassive : c.toActive;
        if (!d.push(MemorySegment.ofArray(bytes), 0, bytes.length)) {
            close(c);
            return out;
        }
        while (d.next()) {
            byte[] datagram = d.segment().asSlice(d.frameOffset(), d.frameLength()).toArray(ValueLayout.JAVA_BYTE);
            out.add(toPassive ? new Received(c.transport, c.ephemeral, c.listening, datagram)
                    : new Received(c.transport, c.listening, c.activeLocal, datagram));
        }
        if (d.error() != StreamDeframer.Error.NONE) {
            close(c);
        }
        return out;
    }

    private void close(Connection c) {
        c.closed = true;
        broken++;
    }

    /** Connections opened so far. */
    public long opened() {
        return opened;
    }

    /** Sends to an address nobody listens on (a refused connection). */
    public long refused() {
        return refused;
    }

    /** Connections closed because their stream broke the framing. */
    public long broken() {
        return broken;
    }
}
