package io.eddyrtc.examples.interop;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.ice.StreamDeframer;
import io.eddyrtc.ice.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * An eddy {@link Rtc} on real loopback sockets for interop tests: one UDP socket (its host candidate), and the TCP
 * connections its transmits ask for (to a TURN server over TCP, or from an active ICE-TCP candidate), each cut into
 * datagrams by a {@link StreamDeframer}. {@link #run} drives any number of them on the calling thread, with
 * {@link System#nanoTime()} as the clock, until a condition holds.
 */
final class LoopbackPeer implements AutoCloseable {
    /** One TCP connection this peer opened, keyed by the addresses its transmits name. */
    private record Connection(Transport transport, InetSocketAddress local, InetSocketAddress remote, SocketChannel channel,
                              StreamDeframer in) {}

    private record Key(InetSocketAddress local, InetSocketAddress remote) {}

    final String name;
    final Rtc rtc;
    private final DatagramChannel udp;
    private final InetSocketAddress local;
    private final List<Event> events = new ArrayList<>();
    private final Map<Key, Connection> connections = new HashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
    private final MemorySegment bufferSegment = MemorySegment.ofBuffer(buffer);
    private final ByteBuffer header = ByteBuffer.allocate(StreamDeframer.RFC4571_HEADER);
    private Selector selector;
    private long deadline = Long.MIN_VALUE;
    long sendErrors;

    LoopbackPeer(String name, Rtc rtc) throws IOException {
        this.name = name;
        this.rtc = rtc;
        this.udp = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        udp.configureBlocking(false);
        this.local = (InetSocketAddress) udp.getLocalAddress();
    }

    /** The UDP socket's address: the host candidate. */
    InetSocketAddress local() {
        return local;
    }

    /** Every event polled so far. */
    List<Event> events() {
        return events;
    }

    <T extends Event> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * Drives {@code peers} until {@code done} holds (checked after every turn; {@code turn} runs first, on this thread,
     * for whatever the test does between inputs) or {@code bound} passes. Returns whether {@code done} held.
     */
    static boolean run(List<LoopbackPeer> peers, Runnable turn, BooleanSupplier done, Duration bound) throws IOException {
        long end = System.nanoTime() + bound.toNanos();
        try (Selector selector = Selector.open()) {
            for (LoopbackPeer p : peers) {
                p.selector = selector;
                p.udp.register(selector, SelectionKey.OP_READ, p);
                for (Connection c : p.connections.values()) {
                    c.channel.register(selector, SelectionKey.OP_READ, c);
                }
            }
            while (true) {
                turn.run();
                long next = Long.MAX_VALUE;
                for (LoopbackPeer p : peers) {
                    p.drain();
                    next = Math.min(next, p.deadline);
                }
                if (done.getAsBoolean()) {
                    return true;
                }
                long now = System.nanoTime();
                if (now > end) {
                    return false;
                }
                long waitMillis = Math.max(1, Math.min(20, (next - now) / 1_000_000));
                int ready = next > now ? selector.select(waitMillis) : selector.selectNow();
                if (ready > 0) {
                    for (SelectionKey key : selector.selectedKeys()) {
                        if (key.attachment() instanceof LoopbackPeer p) {
                            p.receiveUdp();
                        } else if (key.attachment() instanceof Connection c) {
                            peerOf(peers, c).receiveTcp(c, key);
                        }
                    }
                    selector.selectedKeys().clear();
                }
                now = System.nanoTime();
                for (LoopbackPeer p : peers) {
                    if (now >= p.deadline) {
                        p.rtc.handleTimeout(now);
                    }
                }
            }
        } finally {
            for (LoopbackPeer p : peers) {
                p.selector = null;
            }
        }
    }

    private static LoopbackPeer peerOf(List<LoopbackPeer> peers, Connection c) {
        for (LoopbackPeer p : peers) {
            if (p.connections.containsValue(c)) {
                return p;
            }
        }
        throw new IllegalStateException("no peer owns " + c);
    }

    /** Polls until the Rtc's timeout, sending what it transmits and keeping its events. */
    void drain() {
        while (true) {
            switch (rtc.pollOutput()) {
                case Output.Timeout t -> {
                    deadline = t.atNanos();
                    return;
                }
                case Output.Transmit x -> send(x);
                case Event e -> events.add(e instanceof Event.ChannelData d ? d.copy() : e); // a message is lent: keep a copy
            }
        }
    }

    private void send(Output.Transmit x) {
        try {
            if (x.transport() == Transport.UDP) {
                udp.send(x.contents().asByteBuffer(), x.destination());
                return;
            }
            Connection c = connections.get(new Key(x.source(), x.destination()));
            if (c == null) {
                SocketChannel channel = SocketChannel.open(x.destination()); // loopback: connects at once
                channel.configureBlocking(false);
                c = new Connection(x.transport(), x.source(), x.destination(), channel, StreamDeframer.of(x.transport(), 1500));
                connections.put(new Key(x.source(), x.destination()), c);
                if (selector != null) {
                    channel.register(selector, SelectionKey.OP_READ, c);
                }
            }
            if (x.transport() == Transport.TCP) {
                header.clear();
                header.putShort((short) x.length()).flip();
                writeFully(c.channel, header);
            }
            writeFully(c.channel, x.contents().asByteBuffer());
        } catch (IOException e) {
            sendErrors++; // as a real loop counts a send it could not make
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private void receiveUdp() throws IOException {
        while (true) {
            buffer.clear();
            InetSocketAddress from = (InetSocketAddress) udp.receive(buffer);
            if (from == null) {
                return;
            }
            rtc.handleReceive(System.nanoTime(), Transport.UDP, from, local, bufferSegment, 0, buffer.position());
        }
    }

    private void receiveTcp(Connection c, SelectionKey key) throws IOException {
        int n = c.channel.read(c.in.buffer());
        while (c.in.next()) {
            rtc.handleReceive(System.nanoTime(), c.transport, c.remote, c.local, c.in.segment(), c.in.frameOffset(), c.in.frameLength());
        }
        if (n < 0 || c.in.error() != StreamDeframer.Error.NONE) {
            key.cancel();
            c.channel.close();
        }
    }

    /** TCP connections this peer opened. */
    int connectionsOpened() {
        return connections.size();
    }

    /**
     * Closes as a real client does: our side first, then what the server still sends is read until it closes
     * too. Closing with unread data would reset the connection, and the server could drop the last request we
     * wrote (a TURN Refresh that releases the allocation) unprocessed.
     */
    private static void closeGracefully(SocketChannel channel) throws IOException {
        try (channel) {
            if (!channel.isOpen() || !channel.isConnected()) {
                return;
            }
            channel.shutdownOutput();
            ByteBuffer discard = ByteBuffer.allocate(4096);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < end) {
                discard.clear();
                int n = channel.read(discard);
                if (n < 0) {
                    return;
                }
                if (n == 0) {
                    LockSupport.parkNanos(1_000_000L);
                }
            }
        } catch (IOException e) {
            // the server reset it first: nothing left to read
        }
    }

    @Override
    public void close() {
        try {
            udp.close();
            for (Connection c : connections.values()) {
                closeGracefully(c.channel);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
