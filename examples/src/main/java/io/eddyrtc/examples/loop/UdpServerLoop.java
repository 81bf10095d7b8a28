package io.eddyrtc.examples.loop;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.RtcConfig;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceConnectionState;
import io.eddyrtc.ice.Transport;
import io.eddyrtc.net.IceTcpListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Many {@link Rtc}s on one UDP socket (and, for ICE-TCP, one TCP port) and one thread: the loop a server runs. Each datagram goes to the
 * peer whose {@code Rtc} {@link Rtc#accepts accepts} it; each peer's outputs are drained (datagrams sent,
 * events handed to the server's {@link Peers}) and its timers run at its own deadline. Everything that
 * touches an {@code Rtc} — building one and answering its offer, too — runs on the loop thread:
 * other threads hand such work over with {@link #call}.
 *
 * <p>Peers that are gone are removed: when the {@code Rtc} is no longer alive (ICE failed, DTLS closed),
 * when it is not connected {@link PeerLimits#connectTimeout()} after joining, or when its ICE stays
 * disconnected (consent lost) for {@link PeerLimits#disconnectedTimeout()}. Removing disconnects the
 * {@code Rtc} (its pool slots come back) and tells the server through {@link Peers#onRemoved}. A send that
 * fails (port 0, broadcast, an unreachable network) is counted against its peer and never stops the loop,
 * and a server's handler that throws removes only the peer whose event it was.
 *
 * <p>With a TCP port ({@link #start(String, InetSocketAddress, InetSocketAddress, PeerLimits, Peers)}) every peer also
 * gets a passive ICE-TCP candidate there: an {@link IceTcpListener} accepts the browsers' connections, its datagrams
 * are routed like UDP ones, and transmits of transport TCP go back on their connection.
 *
 * <p>Per datagram nothing is allocated: outgoing datagrams are copied into one direct send buffer, and the
 * peers live in an indexed list. Routing asks every peer in turn, which is fine for an example's hundred
 * peers; a server for thousands routes by address first.
 *
 * @param <P> the server's per-peer state
 */
public final class UdpServerLoop<P> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UdpServerLoop.class.getName());
    /** The longest select: queued set-up tasks and close() are noticed within it. */
    private static final long MAX_WAIT_MILLIS = 50;
    private static final long CALL_TIMEOUT_SECONDS = 10;

    /** What a server does with its peers; every method runs on the loop thread. */
    public interface Peers<P> {
        /** An event of {@code peer}'s {@code Rtc}; an {@link Event.RtpPacket} view is valid during this call only. */
        void onEvent(P peer, Event event);

        /** {@code peer} is off the loop and its {@code Rtc} disconnected; tell whoever else should know. */
        void onRemoved(P peer, Departure departure);
    }

    /** Why a peer was removed, and how many datagrams to it could not be sent. */
    public record Departure(String reason, long sendErrors) {}

    private static final class Slot<P> {
        final P peer;
        final Rtc rtc;
        final long joinedAt;
        long deadline = Long.MIN_VALUE; // due at once, so the first turn drains it
        boolean disconnected;
        long disconnectedAt;
        long sendErrors;
        String removal; // why the server asked for removal, or null

        Slot(P peer, Rtc rtc, long joinedAt) {
            this.peer = peer;
            this.rtc = rtc;
            this.joinedAt = joinedAt;
        }
    }

    private final Peers<P> peers;
    private final PeerLimits limits;
    private final DatagramChannel socket;
    private final Selector selector;
    private final InetSocketAddress local;
    private final IceTcpListener tcp;
    /** The routing of ICE-TCP datagrams, made once; {@link #tcpNow} is the time of the turn that reads them. */
    private final IceTcpListener.Frames tcpFrames = this::routeTcp;
    private long tcpNow;
    private final PacketPool pool = PacketPool.builder().slotSize(2048).maxSlots(16_384).build();
    /** How often the pool gives back slabs that are all free again. */
    private static final long TRIM_INTERVAL_NANOS = 1_000_000_000L;
    private long nextTrimAt;
    private final List<Slot<P>> slots = new ArrayList<>();
    private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(2048);
    private final MemorySegment receiveSegment = MemorySegment.ofBuffer(receiveBuffer);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(2048);
    private final MemorySegment sendSegment = MemorySegment.ofBuffer(sendBuffer);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean stopped;
    private volatile int size;
    private volatile long joined;
    private volatile long removed;
    private volatile long sendErrors;
    private volatile long unrouted;
    private volatile RuntimeException closeFailure;

    private UdpServerLoop(String name, InetSocketAddress bind, InetSocketAddress tcpBind, PeerLimits limits, Peers<P> peers)
            throws IOException {
        this.peers = Objects.requireNonNull(peers, "peers");
        this.limits = Objects.requireNonNull(limits, "limits: use PeerLimits.defaults()");
        this.socket = DatagramChannel.open();
        try {
            socket.bind(bind);
            socket.configureBlocking(false);
            this.local = (InetSocketAddress) socket.getLocalAddress();
            this.selector = Selector.open();
            socket.register(selector, SelectionKey.OP_READ);
            this.tcp = tcpBind == null ? null : IceTcpListener.open(tcpBind, IceTcpListener.Config.defaults(), selector::wakeup);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().name(name).unstarted(this::run);
    }

    /** Binds a UDP socket at {@code bind} (port 0 picks one) and starts the loop thread {@code name}. */
    public static <P> UdpServerLoop<P> start(String name, InetSocketAddress bind, PeerLimits limits, Peers<P> peers)
            throws IOException {
        return start(name, bind, null, limits, peers);
    }

    /** {@link #start(String, InetSocketAddress, PeerLimits, Peers)}, also listening for ICE-TCP at {@code tcpBind} (null: not). */
    public static <P> UdpServerLoop<P> start(String name, InetSocketAddress bind, InetSocketAddress tcpBind, PeerLimits limits,
                                             Peers<P> peers) throws IOException {
        UdpServerLoop<P> loop = new UdpServerLoop<>(name, bind, tcpBind, limits, peers);
        loop.thread.start();
        return loop;
    }

    /** The socket's address: every peer's host candidate. */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** The ICE-TCP listener (every peer's passive TCP candidate), or null without one. */
    public IceTcpListener tcp() {
        return tcp;
    }

    /**
     * A peer joins by its offer: a new {@code Rtc} from {@code config} (on the packet pool the loop's peers
     * share, with the loop's socket as its host candidate) answers {@code offer}, then {@code peer} makes the
     * server's state for it and it goes on the loop. Returns the answer. When the {@code Rtc} refuses the offer
     * its exception comes out and nothing is kept. On the loop thread ({@link #call}), after {@link #hasRoom()}.
     */
    public SdpAnswer join(RtcConfig.Builder config, SdpOffer offer, Function<Rtc, P> peer) {
        checkLoopThread("join a peer");
        if (slots.size() >= limits.maxPeers()) {
            throw new IllegalStateException("the loop already holds its " + limits.maxPeers() + " peers; check hasRoom() first");
        }
        Rtc rtc = config.pool(pool).build();
        rtc.addLocalCandidate(Candidate.host(local));
        if (tcp != null) {
            rtc.addLocalCandidate(Candidate.tcpPassive(tcp.localAddress()));
        }
        SdpAnswer answer = rtc.acceptOffer(offer);
        slots.add(new Slot<>(Objects.requireNonNull(peer.apply(rtc), "peer"), rtc, System.nanoTime()));
        size = slots.size();
        joined++;
        return answer;
    }

    /** Packet pool slots the peers hold now (asked on the loop thread). */
    public int poolSlotsInUse() throws Exception {
        return call(pool::inUse);
    }

    /**
     * Runs {@code task} on the loop thread and returns its result, or throws what it threw. Waits up to
     * 10 s; a loop that does not get to it in time gives a {@link TimeoutException} (and skips the task).
     */
    public <T> T call(Callable<T> task) throws Exception {
        if (Thread.currentThread() == thread) {
            return task.call();
        }
        FutureTask<T> future = new FutureTask<>(task);
        tasks.add(future);
        if (stopped) {
            future.cancel(false);
            throw new IllegalStateException("the server loop has stopped; start a new server");
        }
        selector.wakeup();
        try {
            return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new TimeoutException("the server loop did not get to it within " + CALL_TIMEOUT_SECONDS + " s");
        } catch (java.util.concurrent.CancellationException e) {
            throw new IllegalStateException("the server loop stopped before it got to it");
        }
    }

    /** Whether another peer fits under {@link PeerLimits#maxPeers()}. */
    public boolean hasRoom() {
        return size < limits.maxPeers();
    }

    /** Removes {@code peer} at the end of this turn (its departure says {@code reason}); on the loop thread. */
    public void remove(P peer, String reason) {
        checkLoopThread("remove a peer");
        for (int i = 0; i < slots.size(); i++) {
            Slot<P> s = slots.get(i);
            if (s.peer == peer && s.removal == null) {
                s.removal = reason;
            }
        }
    }

    /** Peers on the loop now. */
    public int size() {
        return size;
    }

    /** Peers added since the start. */
    public long joined() {
        return joined;
    }

    /** Peers removed since the start. */
    public long removed() {
        return removed;
    }

    /** Datagrams that could not be sent, over all peers. */
    public long sendErrors() {
        return sendErrors;
    }

    /** Datagrams no peer accepted (strangers, and peers already removed). */
    public long unrouted() {
        return unrouted;
    }

    private void checkLoopThread(String what) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("cannot " + what + " from " + Thread.currentThread().getName()
                    + ": every Rtc belongs to the loop thread; do it inside call()");
        }
    }

    private void run() {
        try {
            while (!stopping) {
                try {
                    turn();
                } catch (RuntimeException bug) { // a bug in one turn must not end every call on the server
                    LOG.log(WARNING, "server loop " + thread.getName() + ": a turn failed; going on", bug);
                }
            }
        } catch (IOException e) {
            LOG.log(WARNING, "server loop " + thread.getName() + ": the socket failed; stopping", e);
        } finally {
            stopped = true;
            for (FutureTask<?> task; (task = tasks.poll()) != null; ) {
                task.cancel(false);
            }
            for (int i = slots.size() - 1; i >= 0; i--) {
                retire(slots.remove(i), "the server closed");
            }
            try {
                pool.close(); // on the thread that used it (pool slots in debug mode belong to it)
            } catch (RuntimeException leak) { // a peer kept a slot after disconnect: a bug to see, not to hide
                closeFailure = leak;
            }
        }
    }

    /** One turn: set-up tasks, every peer's outputs, removals, one datagram or a wait, due timers. */
    private void turn() throws IOException {
        for (FutureTask<?> task; (task = tasks.poll()) != null; ) {
            task.run();
        }
        long now = System.nanoTime();
        boolean busy = false;
        long deadline = Long.MAX_VALUE;
        for (int i = 0; i < slots.size(); i++) {
            Slot<P> s = slots.get(i);
            busy |= drain(s, now);
            deadline = Math.min(deadline, s.deadline);
        }
        busy |= reap(now);
        // a handler may have written to other peers (forwarded media, an offer): drain again before waiting
        long waitMillis = busy ? 0 : waitMillis(deadline, System.nanoTime());
        receiveBuffer.clear();
        InetSocketAddress from = (InetSocketAddress) socket.receive(receiveBuffer);
        if (from == null && waitMillis > 0 && selector.select(waitMillis) > 0) {
            selector.selectedKeys().clear();
            from = (InetSocketAddress) socket.receive(receiveBuffer);
        }
        now = System.nanoTime();
        if (from != null) {
            route(from, now);
        }
        if (now >= nextTrimAt) { // slabs a burst of media added go back once the burst is over
            pool.trim();
            nextTrimAt = now + TRIM_INTERVAL_NANOS;
        }
        if (tcp != null) {
            tcpNow = now;
            tcp.poll(now, tcpFrames);
        }
        for (int i = 0; i < slots.size(); i++) {
            Slot<P> s = slots.get(i);
            if (now >= s.deadline && s.removal == null) {
                try {
                    s.rtc.handleTimeout(now);
                } catch (RuntimeException e) {
                    s.removal = "its timers failed: " + e;
                }
            }
        }
    }

    /** Milliseconds until {@code deadline} (rounded up, so a timer is not polled early in a spin), at most 50. */
    private static long waitMillis(long deadline, long now) {
        if (deadline == Long.MAX_VALUE) {
            return MAX_WAIT_MILLIS;
        }
        long left = deadline - now;
        return left <= 0 ? 0 : Math.min(MAX_WAIT_MILLIS, (left + 999_999) / 1_000_000);
    }

    /** Polls one peer until its timeout: sends its datagrams, hands over its events; true when there were events. */
    private boolean drain(Slot<P> s, long now) {
        boolean delivered = false;
        while (true) {
            Output out = s.rtc.pollOutput();
            switch (out) {
                case Output.Timeout t -> {
                    s.deadline = t.atNanos();
                    return delivered;
                }
                case Output.Transmit x -> send(s, x);
                case Event e -> {
                    delivered = true;
                    if (e instanceof Event.IceConnectionStateChange c) {
                        track(s, c.state(), now);
                    }
                    try {
                        peers.onEvent(s.peer, e);
                    } catch (RuntimeException bug) { // the server's trouble with one peer ends that peer only
                        if (s.removal == null) {
                            s.removal = "the server failed on its " + e.getClass().getSimpleName() + ": " + bug;
                            LOG.log(WARNING, "server loop " + thread.getName() + ": a handler failed; removing its peer", bug);
                        }
                    }
                }
            }
        }
    }

    private static void track(Slot<?> s, IceConnectionState state, long now) {
        if (state == IceConnectionState.DISCONNECTED) {
            if (!s.disconnected) {
                s.disconnected = true;
                s.disconnectedAt = now;
            }
        } else {
            s.disconnected = false;
        }
    }

    private void send(Slot<P> s, Output.Transmit x) {
        if (x.transport() == Transport.TCP) {
            if (tcp == null || !tcp.send(x.destination(), x.segment(), x.offset(), x.length())) {
                countSendError(s, null, x); // no such connection (closed), or a reader too slow to keep up
            }
            return;
        }
        sendBuffer.clear();
        MemorySegment.copy(x.segment(), x.offset(), sendSegment, 0, x.length());
        sendBuffer.limit(x.length());
        try {
            if (socket.send(sendBuffer, x.destination()) == 0) {
                countSendError(s, null, x); // the socket's send buffer is full: lost, as on the wire
            }
        } catch (IOException | IllegalArgumentException e) { // port 0, broadcast, unreachable, unsupported address
            countSendError(s, e, x);
        }
    }

    private void countSendError(Slot<P> s, Exception e, Output.Transmit x) {
        s.sendErrors++;
        sendErrors++;
        if (s.sendErrors == 1 && LOG.isLoggable(INFO)) {
            LOG.log(INFO, "server loop " + thread.getName() + ": cannot send to " + x.destination() + ": "
                    + (e == null ? "socket buffer full" : e.toString()) + " (counted; further errors for this peer are not logged)");
        }
    }

    private void route(InetSocketAddress from, long now) {
        int length = receiveBuffer.position();
        for (int i = 0; i < slots.size(); i++) {
            Slot<P> s = slots.get(i);
            if (s.rtc.accepts(from, receiveSegment, 0, length)) {
                try {
                    s.rtc.handleReceive(now, from, local, receiveSegment, 0, length);
                } catch (RuntimeException e) {
                    s.removal = "its input failed: " + e;
                }
                return;
            }
        }
        unrouted++;
    }

    /** A datagram from an ICE-TCP connection: to the peer that takes it; true once that peer proved the connection its own. */
    private boolean routeTcp(InetSocketAddress remote, InetSocketAddress to, MemorySegment segment, long offset, int length) {
        long now = tcpNow;
        for (int i = 0; i < slots.size(); i++) {
            Slot<P> s = slots.get(i);
            if (s.rtc.accepts(remote, segment, offset, length)) {
                try {
                    s.rtc.handleReceive(now, Transport.TCP, remote, to, segment, offset, length);
                } catch (RuntimeException e) {
                    s.removal = "its input failed: " + e;
                }
                return s.rtc.hasProvenPath(Transport.TCP, remote);
            }
        }
        unrouted++;
        return false;
    }

    /** Removes the peers that are gone; true when any was. */
    private boolean reap(long now) {
        boolean any = false;
        for (int i = slots.size() - 1; i >= 0; i--) {
            Slot<P> s = slots.get(i);
            String reason = s.removal != null ? s.removal : deathOf(s, now);
            if (reason != null) {
                slots.remove(i);
                retire(s, reason);
                any = true;
            }
        }
        return any;
    }

    /** Why {@code s} counts as gone, or null while it may still be used. */
    private String deathOf(Slot<P> s, long now) {
        if (!s.rtc.isAlive()) {
            return s.rtc.iceConnectionState() == IceConnectionState.FAILED ? "ICE failed" : "its connection closed";
        }
        if (!s.rtc.isConnected() && now - s.joinedAt > limits.connectTimeout().toNanos()) {
            return "not connected " + limits.connectTimeout().toSeconds() + " s after joining";
        }
        if (s.disconnected && now - s.disconnectedAt > limits.disconnectedTimeout().toNanos()) {
            return "ICE disconnected (no consent) for " + limits.disconnectedTimeout().toSeconds() + " s";
        }
        return null;
    }

    /** Disconnects a removed peer, sends what it still had to send, and tells the server. */
    private void retire(Slot<P> s, String reason) {
        s.rtc.disconnect();
        for (Output out = s.rtc.pollOutput(); !(out instanceof Output.Timeout); out = s.rtc.pollOutput()) {
            if (out instanceof Output.Transmit x) {
                send(s, x);
            } // its closing events are not handed over: onRemoved says it all
        }
        try {
            peers.onRemoved(s.peer, new Departure(reason, s.sendErrors));
        } catch (RuntimeException bug) {
            LOG.log(WARNING, "server loop " + thread.getName() + ": the server failed on a removal", bug);
        }
        removed++; // counted once the server knows, so whoever watches the counters sees the server's view
        size = slots.size();
    }

    /**
     * Stops the loop: every peer is removed (and the server told), the pool and the socket closed. Throws
     * if the pool found slots that were never given back.
     */
    @Override
    public void close() {
        stopping = true;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (tcp != null) {
                tcp.close();
            }
            selector.close();
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the server loop's socket", e);
        }
        if (closeFailure != null) {
            throw new IllegalStateException("the server loop's packet pool still had slots in use at close", closeFailure);
        }
    }
}
