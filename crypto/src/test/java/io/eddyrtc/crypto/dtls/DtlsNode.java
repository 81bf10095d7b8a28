package io.eddyrtc.crypto.dtls;

import io.eddyrtc.buffers.testkit.SansIoNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A DTLS endpoint on the virtual network; it can lose chosen datagrams of its own to test each flight's loss. */
final class DtlsNode implements SansIoNode {
    record Timed(long at, DtlsEvent event) {}

    final DtlsEndpoint endpoint;
    final InetSocketAddress address;
    final InetSocketAddress peer;
    final List<Timed> events = new ArrayList<>();
    final Set<Integer> lose = new HashSet<>();
    int sent;

    DtlsNode(DtlsEndpoint endpoint, InetSocketAddress address, InetSocketAddress peer) {
        this.endpoint = endpoint;
        this.address = address;
        this.peer = peer;
    }

    @Override
    public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
        endpoint.handleReceive(now, source, datagram);
        collect(now);
    }

    @Override
    public void timeout(long now) {
        endpoint.handleTimeout(now);
        collect(now);
    }

    @Override
    public long nextDeadline() {
        return endpoint.nextDeadline();
    }

    @Override
    public void drainTransmits(long now, Transmitter out) {
        for (byte[] d; (d = endpoint.pollTransmit()) != null; ) {
            if (!lose.contains(sent++)) {
                out.send(address, peer, d);
            }
        }
    }

    void collect(long now) {
        for (DtlsEvent e; (e = endpoint.pollEvent()) != null; ) {
            events.add(new Timed(now, e));
        }
    }

    <T> T find(Class<T> type) {
        for (Timed t : events) {
            if (type.isInstance(t.event())) {
                return type.cast(t.event());
            }
        }
        return null;
    }

    long timeOf(Class<?> type) {
        for (Timed t : events) {
            if (type.isInstance(t.event())) {
                return t.at();
            }
        }
        return -1;
    }
}
