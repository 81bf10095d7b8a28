package io.eddyrtc.net;

import io.eddyrtc.ice.StreamDeframer;
import io.eddyrtc.ice.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The TCP side of a server loop for ICE-TCP (RFC 6544): a listening socket behind the peers' passive TCP candidate,
 * the connections browsers open to it, and the RFC 4571 framing on each. The loop thread calls {@link #poll}, which
 * accepts, reads and cuts each connection's stream into datagrams ({@link StreamDeframer}) and hands them to the
 * loop's {@link Frames} to route to their {@code Rtc} (with {@link Transport#TCP}); {@link #send} frames a datagram an
 * {@code Rtc} transmits over TCP onto its connection. A small watcher thread only waits for the sockets to become
 * ready and calls the loop's {@code wakeup}, so a loop that sleeps in its own UDP wait still hears TCP at once.
 *
 * <p>What a stranger can make it hold is bounded: at most {@link Config#maxConnections()} connections (more are
 * closed as they are accepted); a connection no {@code Rtc} has proven by an authenticated ICE check within
 * {@link Config#unclaimedTimeout()} is closed, and so is one silent for {@link Config#idleTimeout()} after; a frame
 * longer than {@link Config#maxDatagram()} breaks its stream and closes the connection; datagrams waiting for a slow
 * reader are bounded by {@link Config#maxPendingBytes()} per connection (past it they are dropped, as UDP would
 * lose them). Each {@code Rtc} caps the connections it takes itself ({@code IceConfig.maxTcpConnections}).
 *
 * <p>Not thread-safe except for {@link #close()}: the loop thread owns it. Reads no clock: {@code now} comes in.
 */
public final class IceTcpListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IceTcpListener.class.getName());

    /**
     * Limits of the listener.
     *
     * @param maxConnections   connections open at once
     * @param maxDatagram      the longest datagram a frame may carry (WebRTC's fit in 1500 bytes)
     * @param unclaimedTimeout how long a connection may go without a proven ICE check before it is closed
     * @param idleTimeout      how long a proven connection may go without a frame (consent checks come every few seconds)
     * @param maxPendingBytes  bytes waiting for a connection whose peer reads slower than we write
     */
    public record Config(int maxConnections, int maxDatagram, Duration unclaimedTimeout, Duration idleTimeout, int maxPendingBytes) {
        public Config {
            if (maxConnections < 1 || maxDatagram < 20 || maxDatagram > 65_535 || maxPendingBytes < maxDatagram + 2
                    || unclaimedTimeout == null || idleTimeout == null || unclaimedTimeout.isNegative() || idleTimeout.isNegative()) {
                throw new IllegalArgumentException("IceTcpListener.Config needs at least one connection, a datagram of 20..65535 "
                        + "bytes, room for one frame pending and non-negative timeouts; start from Config.defaults()");
            }
        }

        /** 256 connections, 1500-byte datagrams, 10 s to prove a connection, 60 s of silence, 256 KiB pending each. */
        public static Config defaults() {
            return new Config(256, 1500, Duration.ofSeconds(10), Duration.ofSeconds(60), 256 * 1024);
        }
    }

    /** Where the loop routes the datagrams that arrive on the connections. */
    @FunctionalInterface
    public interface Frames {
        /**
         * A datagram from the connection of {@code remote} to our {@code local} listening address: {@code length} bytes at
         * {@code offset} of {@code segment}, valid during the call. Returns whether an {@code Rtc} now holds the
         * connection as a path its peer proved ({@code Rtc.hasProvenPath(Transport.TCP, remote)}), which keeps it open.
         */
        boolean frame(InetSocketAddress remote, InetSocketAddress local, MemorySegment segment, long offset, int length);
    }

    private static final long UNSEEN = Long.MIN_VALUE;

    private static final class Connection {
        final SocketChannel channel;
        final InetSocketAddress remote;
        final StreamDeframer in;
        SelectionKey key;
        SelectionKey watchKey;
        long openedAt = UNSEEN;
        long lastFrameAt = UNSEEN;
        boolean claimed;
        ByteBuffer pending;

        Connection(SocketChannel channel, InetSocketAddress remote, StreamDeframer in) {
            this.channel = channel;
            this.remote = remote;
            this.in = in;
        }
    }

    private final Config config;
    private final ServerSocketChannel server;
    private final InetSocketAddress local;
    private final Selector selector;
    private final Selector watch;
    private final Runnable wakeup;
    private final Thread watcher;
    private final AtomicBoolean watcherParked = new AtomicBoolean();
    private volatile boolean closing;
    private final Map<InetSocketAddress, Connection> connections = new HashMap<>();
    private final List<Connection> closed = new ArrayList<>();
    private final ByteBuffer frame;
    private final MemorySegment frameSegment;
    private long accepted;
    private long refused;
    private long closedUnclaimed;
    private long closedIdle;
    private long closedBroken;
    private long framesIn;
    private long framesOut;
    private long framesDropped;

    private IceTcpListener(InetSocketAddress bind, Config config, Runnable wakeup) throws IOException {
        this.config = config;
        this.wakeup = wakeup;
        this.server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(bind);
            server.configureBlocking(false);
            this.local = (InetSocketAddress) server.getLocalAddress();
            this.selector = Selector.open();
            this.watch = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            server.register(watch, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        this.frame = ByteBuffer.allocateDirect(StreamDeframer.RFC4571_HEADER + config.maxDatagram());
        this.frameSegment = MemorySegment.ofBuffer(frame);
        this.watcher = Thread.ofPlatform().daemon().name("ice-tcp-watch-" + local.getPort()).unstarted(this::watch);
    }

    /**
     * Listens at {@code bind} (port 0 picks one) and starts the watcher, which calls {@code wakeup} (thread-safe; the
     * loop's own wake-up, such as {@code Selector.wakeup} or {@code UdpTransport.wakeup}) when a socket has something;
     * the loop then calls {@link #poll}.
     */
    public static IceTcpListener open(InetSocketAddress bind, Config config, Runnable wakeup) throws IOException {
        IceTcpListener listener = new IceTcpListener(Objects.requireNonNull(bind, "bind"), Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(wakeup, "wakeup"));
        listener.watcher.start();
        return listener;
    }

    /** The listening address: give it to each {@code Rtc} as {@code Candidate.tcpPassive}. */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** The watcher: waits for readiness, wakes the loop, and waits for it to read before it looks again. */
    private void watch() {
        try {
            while (!closing) {
                if (watch.select() == 0) {
                    continue; // a registration or close woke it
                }
                watch.selectedKeys().clear();
                watcherParked.set(true);
                wakeup.run();
                while (watcherParked.get() && !closing) {
                    LockSupport.park(this);
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closing) {
                LOG.log(System.Logger.Level.WARNING, "ICE-TCP listener on " + local + ": its watcher stopped", e);
            }
        }
    }

    /**
     * On the loop thread, every turn: accepts new connections, reads what arrived and hands each whole datagram to
     * {@code frames}, writes what waited for slow readers, and closes the connections past their limits.
     */
    public void poll(long now, Frames frames) {
        try {
            if (selector.selectNow() > 0) {
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.attachment() instanceof Connection c) {
                        read(c, now, frames);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the ICE-TCP listener on " + local + " failed", e);
        }
        for (Connection c : connections.values()) {
            if (c.openedAt == UNSEEN) {
                c.openedAt = now;
            }
            if (c.pending != null && c.pending.position() > 0) {
                flushPending(c);
            }
            if (!c.claimed && now - c.openedAt > config.unclaimedTimeout().toNanos()) {
                closedUnclaimed++;
                closed.add(c);
            } else if (c.claimed && now - c.lastFrameAt > config.idleTimeout().toNanos()) {
                closedIdle++;
                closed.add(c);
            }
        }
        closeMarked();
        if (watcherParked.compareAndSet(true, false)) {
            LockSupport.unpark(watcher);
        }
    }

    private void accept() throws IOException {
        for (SocketChannel channel; (channel = server.accept()) != null; ) {
            if (connections.size() >= config.maxConnections()) {
                refused++;
                channel.close();
                continue;
            }
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // datagrams, not a byte stream to batch
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            Connection c = new Connection(channel, remote, StreamDeframer.of(Transport.TCP, config.maxDatagram()));
            c.key = channel.register(selector, SelectionKey.OP_READ, c);
            c.watchKey = channel.register(watch, SelectionKey.OP_READ, c);
            connections.put(remote, c);
            accepted++;
        }
        watch.wakeup(); // so the watcher's next selection includes the new connections
    }

    private void read(Connection c, long now, Frames frames) throws IOException {
        int n;
        try {
            n = c.channel.read(c.in.buffer());
        } catch (IOException reset) {
            n = -1;
        }
        while (c.in.next()) {
            framesIn++;
            c.lastFrameAt = now;
            if (frames.frame(c.remote, local, c.in.segment(), c.in.frameOffset(), c.in.frameLength())) {
                c.claimed = true;
            }
        }
        if (c.in.error() != StreamDeframer.Error.NONE) {
            closedBroken++;
            closed.add(c);
        } else if (n < 0) {
            closed.add(c);
        }
    }

    /**
     * Writes a datagram to the connection of {@code destination}, with its RFC 4571 header: what an {@code Rtc}'s
     * {@code Output.Transmit} of transport TCP asks. One copy, into the listener's frame buffer; nothing allocated.
     * False, counting the drop, when there is no such connection or the datagram does not fit what may wait.
     */
    public boolean send(InetSocketAddress destination, MemorySegment segment, long offset, int length) {
        Connection c = connections.get(destination);
        if (c == null || length > config.maxDatagram()) {
            framesDropped++;
            return false;
        }
        frame.clear();
        StreamDeframer.writeRfc4571Header(frameSegment, 0, length);
        MemorySegment.copy(segment, offset, frameSegment, StreamDeframer.RFC4571_HEADER, length);
        frame.limit(StreamDeframer.RFC4571_HEADER + length);
        try {
            if (c.pending == null || c.pending.position() == 0) {
                c.channel.write(frame);
            }
        } catch (IOException e) {
            closed.add(c);
            framesDropped++;
            return false;
        }
        if (frame.hasRemaining()) {
            if (c.pending == null) {
                c.pending = ByteBuffer.allocate(config.maxPendingBytes());
            }
            if (c.pending.remaining() < frame.remaining()) {
                framesDropped++;
                if (frame.position() > 0) { // part of the frame is on the wire and the rest cannot follow: the stream is broken
                    closedBroken++;
                    closed.add(c);
                }
                return false;
            }
            c.pending.put(frame);
        }
        framesOut++;
        return true;
    }

    private void flushPending(Connection c) {
        c.pending.flip();
        try {
            c.channel.write(c.pending);
        } catch (IOException e) {
            closed.add(c);
        }
        c.pending.compact();
    }

    private void closeMarked() {
        for (Connection c : closed) {
            if (connections.remove(c.remote) != null) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        closed.clear();
    }

    /** Connections open now. */
    public int connections() {
        return connections.size();
    }

    /** What the listener did so far, for logs and tests. */
    public String stats() {
        return "accepted=" + accepted + " refused=" + refused + " open=" + connections.size() + " closedUnclaimed=" + closedUnclaimed
                + " closedIdle=" + closedIdle + " closedBroken=" + closedBroken + " framesIn=" + framesIn + " framesOut=" + framesOut
                + " framesDropped=" + framesDropped;
    }

    public long accepted() {
        return accepted;
    }

    public long refused() {
        return refused;
    }

    public long closedUnclaimed() {
        return closedUnclaimed;
    }

    public long closedBroken() {
        return closedBroken;
    }

    public long framesIn() {
        return framesIn;
    }

    public long framesOut() {
        return framesOut;
    }

    /** Stops the watcher and closes every connection and the listening socket. */
    @Override
    public void close() {
        closing = true;
        watch.wakeup();
        LockSupport.unpark(watcher);
        try {
            watcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            for (Connection c : connections.values()) {
                c.channel.close();
            }
            connections.clear();
            selector.close();
            watch.close();
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the ICE-TCP listener on " + local, e);
        }
    }

    @Override
    public String toString() {
        return "IceTcpListener[" + local + ", " + stats() + "]";
    }
}
