package io.eddyrtc.net;

import io.eddyrtc.buffers.InetSocketAddressView;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.RtcConfig;
import io.eddyrtc.engine.route.DeadlineQueue;
import io.eddyrtc.engine.route.RtcRouter;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceConnectionState;
import io.eddyrtc.ice.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The loop a server embeds: one thread, one UDP socket ({@link UdpTransport}, batched through FFM on Linux), many
 * {@link Rtc}s. Datagrams come in a batch per system call and go to their peer through an {@link RtcRouter};
 * timers come due from a {@link DeadlineQueue}; only the peers that got input, whose timer ran or that a handler
 * wrote into (each {@code Rtc}'s change listener says so) are polled; their datagrams leave in batches, each
 * taken from its {@code Rtc} without a copy ({@link Output.Transmit#take()}). Events go to the server's
 * {@link Peers} on the loop thread. Per datagram nothing is allocated in steady state.
 *
 * <p>Everything that touches an {@code Rtc} runs on the loop thread: other threads hand work over with
 * {@link #call}. A peer joins with {@link #add} or {@link #join}, which build its {@code Rtc} on the loop's
 * packet pool with the loop's host candidates.
 *
 * <p>With {@link RtcLoopConfig#tcp()} the loop also listens for ICE-TCP (RFC 6544): every peer gets a passive TCP
 * candidate there, an {@link IceTcpListener} accepts the connections and cuts each stream into datagrams
 * (RFC 4571), which the router routes like UDP ones, and a peer's transmits over TCP go back on their connection.
 *
 * <p>Peers that are gone are removed: when the {@code Rtc} is no longer alive (ICE failed, DTLS closed or
 * failed), when it is not connected {@link PeerLimits#connectTimeout()} after joining, when its ICE stays
 * disconnected (consent lost) for {@link PeerLimits#disconnectedTimeout()}, when the server asks
 * ({@link #remove}), or when the server's handler threw on its event. Removing disconnects the {@code Rtc},
 * sends its farewell and tells the server ({@link Peers#onRemoved}). A datagram that cannot be sent is
 * counted against its peer and never stops the loop.
 *
 * @param <P> the server's per-peer state
 */
public final class RtcLoop<P> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RtcLoop.class.getName());
    /** The longest wait without a deadline: {@link #close()} is noticed at least this often even if a wake-up was lost. */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long CALL_TIMEOUT_SECONDS = 10;
    private static final int GRO_SLOT_BYTES = 65_536;
    /**
     * Datagrams delivered before the marked peers are polled. Polling after each one would send every
     * subscriber's packet on its own; after the whole batch, a GRO batch of thousands would overflow each
     * {@code Rtc}'s queues (512 packets out). 64 keeps GSO runs of 64 to a subscriber and the queues short.
     */
    private static final int DRAIN_EVERY = 64;
    /** How often the pool gives back the slabs a burst of media added, once they are all free again. */
    private static final long TRIM_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What a server does with its peers; every method runs on the loop thread. */
    public interface Peers<P> {
        /** An event of {@code peer}'s {@code Rtc}; an {@link Event.RtpPacket} view is valid during this call only. */
        void onEvent(P peer, Event event);

        /** {@code peer} is off the loop and its {@code Rtc} disconnected; tell whoever else should know. */
        void onRemoved(P peer, Departure departure);
    }

    /** Why a peer was removed, and how many datagrams to it could not be sent. */
    public record Departure(String reason, long sendErrors) {}

    /** One peer on the loop: the server's state, its Rtc, and the loop's own bookkeeping. */
    private static final class Peer<P> {
        final P value;
        final Rtc rtc;
        final int id;
        final long joinedAt;
        long rtcDeadline = Long.MIN_VALUE;
        boolean disconnected;
        long disconnectedAt;
        long sendErrors;
        String removal; // why it goes, once decided
        final UdpAddress destination = new UdpAddress();
        InetSocketAddress destinationOf; // the object `destination` was set from: Rtcs hand out the same one per pair
        final UdpAddress source = new UdpAddress();
        InetSocketAddress sourceOf;

        Peer(P value, Rtc rtc, int id, long joinedAt) {
            this.value = value;
            this.rtc = rtc;
            this.id = id;
            this.joinedAt = joinedAt;
        }
    }

    private final RtcLoopConfig config;
    private final Peers<P> peers;
    private final PeerLimits limits;
    private final UdpTransport transport;
    private final LocalAddresses local;
    private final PacketPool pool;
    private final PacketPool receivePool; // the pool itself, or one of 64 KiB slots when GRO is on
    private final RecvBatch received;
    private final SendBatch sending;
    private final PacketBuffer[] sendingSlots;
    private final int[] sendingPeers;
    private final RtcRouter router = new RtcRouter();
    private final IceTcpListener tcp; // null without ICE-TCP
    private final IceTcpListener.Frames tcpFrames = this::deliverTcp; // made once: the listener calls it per datagram
    /** The last ICE-TCP connection's address as the router reads it, set again only when another connection speaks. */
    private final InetSocketAddressView tcpSource = new InetSocketAddressView();
    private long tcpNow;
    private long nextTrimAt;
    private final DeadlineQueue deadlines = new DeadlineQueue();
    @SuppressWarnings("unchecked")
    private Peer<P>[] byId = new Peer[64];
    private final Map<P, Peer<P>> byValue = new IdentityHashMap<>();
    private boolean[] marked = new boolean[64];
    private int[] toDrain = new int[64];
    private int toDrainCount;
    private final List<Peer<P>> leaving = new ArrayList<>();
    private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean stopped;
    private volatile int size;
    private volatile long joined;
    private volatile long removed;
    private volatile long sendErrors;
    private volatile long unrouted;
    private volatile RuntimeException closeFailure;

    private RtcLoop(RtcLoopConfig config, Peers<P> peers) throws IOException {
        this.config = config;
        this.peers = Objects.requireNonNull(peers, "peers");
        this.limits = config.limits();
        this.transport = UdpTransport.open(config.udp());
        IceTcpListener listener = null;
        try {
            this.local = new LocalAddresses(transport.localAddress(), config.hostAddresses());
            listener = config.tcp() == null ? null : IceTcpListener.open(config.tcp(), config.tcpLimits(), transport::wakeup);
            this.pool = PacketPool.builder().slotSize(2048).maxSlots(config.poolSlots()).debug(config.debugPool()).build();
            this.receivePool = transport.groEnabled()
                    ? PacketPool.builder().slotSize(GRO_SLOT_BYTES).slotsPerSlab(config.batchSize()).maxSlots(2 * config.batchSize())
                            .debug(config.debugPool()).build()
                    : pool;
        } catch (IOException | RuntimeException e) {
            if (listener != null) {
                listener.close();
            }
            transport.close();
            throw e;
        }
        this.tcp = listener;
        this.received = new RecvBatch(receivePool, config.batchSize());
        this.sending = new SendBatch(config.batchSize());
        this.sendingSlots = new PacketBuffer[config.batchSize()];
        this.sendingPeers = new int[config.batchSize()];
        this.thread = Thread.ofPlatform().name(config.name()).unstarted(this::run);
    }

    /** Opens the socket and starts the loop thread. */
    public static <P> RtcLoop<P> start(RtcLoopConfig config, Peers<P> peers) throws IOException {
        RtcLoop<P> loop = new RtcLoop<>(config, peers);
        loop.thread.start();
        return loop;
    }

    /** The socket's address (with the port the kernel chose for port 0). */
    public InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    /** The host candidates every peer gets. */
    public List<InetSocketAddress> hostAddresses() {
        return local.candidates();
    }

    /** The backend the socket runs on. */
    public UdpBackend backend() {
        return transport.backend();
    }

    /** The ICE-TCP listener (every peer's passive TCP candidate), or null without {@link RtcLoopConfig#tcp()}. */
    public IceTcpListener tcp() {
        return tcp;
    }

    /**
     * A peer joins: a new {@code Rtc} from {@code config}, on the packet pool the loop's peers share and with the
     * loop's host candidates, is handed to {@code setUp}, which signals it (an offer or answer, the
     * {@link io.eddyrtc.engine.DirectApi}) and returns the server's state for it; then it goes on the loop. An
     * exception from {@code setUp} comes out and nothing is kept. On the loop thread ({@link #call}), after
     * {@link #hasRoom()}. The peers of a loop have no TURN server: the loop's socket is the one they are reached at,
     * and what a TURN server sent to one of them could not be told from what it sent to another.
     */
    public P add(RtcConfig.Builder config, Function<Rtc, P> setUp) {
        checkLoopThread("add a peer");
        if (byValue.size() >= limits.maxPeers()) {
            throw new IllegalStateException("the loop already holds its " + limits.maxPeers() + " peers; check hasRoom() first");
        }
        if (!config.config().ice().turnServers().isEmpty()) {
            throw new IllegalArgumentException("a peer on an RtcLoop cannot use a TURN server: the loop's host candidates are "
                    + "where peers reach it (give the loop a public address, or ICE-TCP with RtcLoopConfig.tcp for UDP-blocked peers)");
        }
        Rtc rtc = config.pool(pool).build();
        P value;
        try {
            for (InetSocketAddress host : local.candidates()) {
                rtc.addLocalCandidate(Candidate.host(host));
            }
            if (tcp != null) {
                rtc.addLocalCandidate(Candidate.tcpPassive(tcp.localAddress()));
            }
            value = Objects.requireNonNull(setUp.apply(rtc), "setUp returned no peer");
            if (byValue.containsKey(value)) {
                throw new IllegalArgumentException("setUp returned a peer already on the loop; make one per Rtc");
            }
        } catch (RuntimeException e) {
            rtc.disconnect(); // whatever it holds of the pool goes back
            throw e;
        }
        int id = router.add(rtc);
        if (id >= byId.length) {
            byId = Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
        }
        Peer<P> p = new Peer<>(value, rtc, id, System.nanoTime());
        byId[id] = p;
        byValue.put(value, p);
        rtc.setChangeListener(() -> mark(id));
        mark(id);
        size = byValue.size();
        joined++;
        return value;
    }

    /**
     * A peer joins by its offer: {@link #add} with an {@code Rtc} that answers {@code offer}, then {@code peer} makes
     * the server's state for it. Returns the answer. On the loop thread, after {@link #hasRoom()}.
     */
    public SdpAnswer join(RtcConfig.Builder config, SdpOffer offer, Function<Rtc, P> peer) {
        SdpAnswer[] answer = new SdpAnswer[1];
        add(config, rtc -> {
            answer[0] = rtc.acceptOffer(offer);
            return peer.apply(rtc);
        });
        return answer[0];
    }

    /** The {@code Rtc} of {@code peer}, or null when it is not on the loop; on the loop thread. */
    public Rtc rtcOf(P peer) {
        checkLoopThread("reach a peer's Rtc");
        Peer<P> p = byValue.get(peer);
        return p == null ? null : p.rtc;
    }

    /** Removes {@code peer} at the end of this turn (its departure says {@code reason}); on the loop thread. */
    public void remove(P peer, String reason) {
        checkLoopThread("remove a peer");
        Peer<P> p = byValue.get(peer);
        if (p != null && p.removal == null) {
            p.removal = reason;
            mark(p.id);
        }
    }

    /**
     * Runs {@code task} on the loop thread and returns its result, or throws what it threw. Waits up to 10 s; a
     * loop that does not get to it in time gives a {@link TimeoutException} (and skips the task).
     */
    public <T> T call(Callable<T> task) throws Exception {
        if (Thread.currentThread() == thread) {
            return task.call();
        }
        FutureTask<T> future = new FutureTask<>(task);
        tasks.add(future);
        if (stopped) {
            future.cancel(false);
            throw new IllegalStateException("the loop has stopped; start a new one");
        }
        transport.wakeup();
        try {
            return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new TimeoutException("the loop did not get to it within " + CALL_TIMEOUT_SECONDS + " s");
        } catch (CancellationException e) {
            throw new IllegalStateException("the loop stopped before it got to it");
        }
    }

    /** Whether another peer fits under {@link PeerLimits#maxPeers()}. */
    public boolean hasRoom() {
        return size < limits.maxPeers();
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

    /** Datagrams no peer took (strangers, peers already removed); the router counts them by reason. */
    public long unrouted() {
        return unrouted;
    }

    /** Packet pool slots the peers hold now (the loop's own receive batch not counted). */
    public int poolSlotsInUse() throws Exception {
        return call(() -> pool.inUse() - (receivePool == pool ? received.slotsHeld() : 0));
    }

    /** The socket's counters (datagrams, system calls, GSO/GRO, drops), read on the loop thread. */
    public String udpStats() throws Exception {
        return call(() -> transport.stats().toString());
    }

    private void checkLoopThread(String what) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("cannot " + what + " from " + Thread.currentThread().getName()
                    + ": every Rtc belongs to the loop thread; do it inside call()");
        }
    }

    // ---------------------------------------------------------------- the loop thread

    private void run() {
        try {
            while (!stopping) {
                try {
                    turn();
                } catch (UncheckedIOException e) {
                    throw e;
                } catch (RuntimeException bug) { // a bug in one turn must not end every call on the server
                    LOG.log(WARNING, "loop " + config.name() + ": a turn failed; going on", bug);
                }
            }
        } catch (UncheckedIOException e) {
            LOG.log(WARNING, "loop " + config.name() + ": the socket failed; stopping", e);
        } finally {
            stopped = true;
            shutDown();
        }
    }

    /** One turn: set-up tasks, every marked peer's outputs, removals, one batch received or a wait, due timers. */
    private void turn() {
        for (FutureTask<?> task; (task = tasks.poll()) != null; ) {
            task.run();
        }
        long now = System.nanoTime();
        drainMarked(now);
        flush();
        reap();
        int n = transport.receive(received, waitNanos(now));
        now = System.nanoTime();
        int undrained = 0;
        for (int i = 0; i < n; i++) {
            undrained += deliver(i, now);
            if (undrained >= DRAIN_EVERY) { // a GRO batch holds thousands: poll before any Rtc's queues overflow
                drainMarked(now);
                undrained = 0;
            }
        }
        if (tcp != null) {
            tcpNow = now;
            tcp.poll(now, tcpFrames);
        }
        if (n > 0 || tcp != null) {
            unrouted = router.droppedTotal();
        }
        if (now >= nextTrimAt) { // slabs a burst of media added go back once the burst is over
            pool.trim();
            nextTrimAt = now + TRIM_INTERVAL_NANOS;
        }
        for (int id; (id = deadlines.pollDue(now)) >= 0; ) {
            Peer<P> p = byId[id];
            if (now >= p.rtcDeadline && p.removal == null) {
                try {
                    p.rtc.handleTimeout(now);
                } catch (RuntimeException e) { // only misuse throws out of an Rtc: end that peer, not the loop
                    p.removal = "its timers failed: " + e;
                }
            }
            mark(id);
        }
    }

    /** How long the receive may wait: not at all with work waiting, else until the next deadline (at most a second). */
    private long waitNanos(long now) {
        if (toDrainCount > 0 || !tasks.isEmpty()) {
            return 0;
        }
        long next = deadlines.nextDeadline();
        return next == Long.MAX_VALUE ? MAX_WAIT_NANOS : Math.max(0, Math.min(MAX_WAIT_NANOS, next - now));
    }

    /** Routes received entry {@code i} (each datagram of a GRO run on its own) and marks its peer; how many it held. */
    private int deliver(int i, long now) {
        UdpAddress from = received.source(i);
        InetSocketAddress to = local.of(received.destination(i), from);
        int length = received.length(i);
        int size = Math.max(1, received.segmentSize(i));
        int offset = 0;
        int datagrams = 0;
        do { // an empty datagram is a datagram too
            int n = Math.min(size, length - offset);
            int id = router.receive(now, from, to, received.segment(i), offset, n);
            if (id >= 0) {
                mark(id);
            }
            offset += n;
            datagrams++;
        } while (offset < length);
        return datagrams;
    }

    /**
     * A datagram the ICE-TCP listener cut from the connection of {@code remote}: routed like a UDP one (by the ufrag a
     * check names, else by the connection's address), with {@link Transport#TCP}. Returns whether the peer it went to
     * proved the connection its own, which keeps it open.
     */
    private boolean deliverTcp(InetSocketAddress remote, InetSocketAddress to, MemorySegment segment, long offset, int length) {
        if (tcpSource.toInetSocketAddress() != remote) { // the listener hands out one address object per connection
            tcpSource.set(remote);
        }
        int id = router.receive(tcpNow, Transport.TCP, tcpSource, to, segment, offset, length);
        if (id < 0) {
            return false;
        }
        mark(id);
        return byId[id].rtc.hasProvenPath(Transport.TCP, remote);
    }

    private void mark(int id) {
        if (id >= marked.length) {
            marked = Arrays.copyOf(marked, Math.max(id + 1, marked.length * 2));
            toDrain = Arrays.copyOf(toDrain, marked.length);
        }
        if (!marked[id]) {
            marked[id] = true;
            toDrain[toDrainCount++] = id;
        }
    }

    /** Drains every marked peer, and the ones its handlers' writes mark meanwhile. */
    private void drainMarked(long now) {
        while (toDrainCount > 0) {
            int id = toDrain[--toDrainCount];
            marked[id] = false;
            Peer<P> p = byId[id];
            if (p != null) {
                drain(p, now);
            }
        }
    }

    /** Polls one peer until its timeout: its datagrams into the send batch, its events to the server. */
    private void drain(Peer<P> p, long now) {
        while (true) {
            Output out = p.rtc.pollOutput();
            switch (out) {
                case Output.Timeout t -> {
                    p.rtcDeadline = t.atNanos();
                    router.refresh(p.id);
                    if (p.removal == null && !p.rtc.isAlive()) {
                        p.removal = p.rtc.iceConnectionState() == IceConnectionState.FAILED ? "ICE failed" : "its connection closed";
                    }
                    long reapAt = reapAt(p);
                    if (p.removal != null || now >= reapAt) {
                        leave(p);
                    } else {
                        deadlines.schedule(p.id, Math.min(p.rtcDeadline, reapAt));
                    }
                    return;
                }
                case Output.Transmit x -> queue(p, x);
                case Event e -> {
                    if (e instanceof Event.IceConnectionStateChange c) {
                        track(p, c.state(), now);
                    }
                    try {
                        peers.onEvent(p.value, e);
                    } catch (RuntimeException bug) { // the server's trouble with one peer ends that peer only
                        if (p.removal == null) {
                            p.removal = "the server failed on its " + e.getClass().getSimpleName() + ": " + bug;
                            LOG.log(WARNING, "loop " + config.name() + ": a handler failed; removing its peer", bug);
                        }
                    }
                }
            }
        }
    }

    private static void track(Peer<?> p, IceConnectionState state, long now) {
        if (state == IceConnectionState.DISCONNECTED) {
            if (!p.disconnected) {
                p.disconnected = true;
                p.disconnectedAt = now;
            }
        } else {
            p.disconnected = false;
        }
    }

    /** When the peer is due for removal unless something changes: its connect or disconnected timeout. */
    private long reapAt(Peer<P> p) {
        if (!p.rtc.isConnected()) {
            return p.joinedAt + limits.connectTimeout().toNanos();
        }
        return p.disconnected ? p.disconnectedAt + limits.disconnectedTimeout().toNanos() : Long.MAX_VALUE;
    }

    private void leave(Peer<P> p) {
        if (p.removal == null) {
            p.removal = !p.rtc.isConnected()
                    ? "not connected " + limits.connectTimeout().toSeconds() + " s after joining"
                    : "ICE disconnected (no consent) for " + limits.disconnectedTimeout().toSeconds() + " s";
        }
        deadlines.cancel(p.id);
        if (!leaving.contains(p)) {
            leaving.add(p);
        }
    }

    /**
     * Takes a datagram from its Rtc into the send batch (a full batch goes out first); one for an ICE-TCP connection
     * goes onto that connection at once, framed (the listener copies it).
     */
    private void queue(Peer<P> p, Output.Transmit x) {
        if (x.transport() != Transport.UDP) {
            if (x.transport() != Transport.TCP || tcp == null) {
                countSendError(p, "the loop has no " + x.transport() + " connection to " + x.destination());
            } else if (!tcp.send(x.destination(), x.segment(), x.offset(), x.length())) {
                countSendError(p, "its ICE-TCP connection is closed or too far behind (see the listener's stats)");
            }
            return;
        }
        PacketBuffer slot = x.take();
        if (slot.isNone()) {
            countSendError(p, "the packet pool has no free slot");
            return;
        }
        if (x.destination() != p.destinationOf) {
            p.destination.set(x.destination());
            p.destinationOf = x.destination();
        }
        UdpAddress source = null;
        if (local.isWildcard() && x.source() != null) { // answer from the address the peer reached us at
            if (x.source() != p.sourceOf) {
                p.source.set(x.source());
                p.sourceOf = x.source();
            }
            source = p.source;
        }
        if (sending.isFull()) {
            flush();
        }
        int k = sending.count();
        try {
            sending.add(slot.segment(), 0, slot.length(), p.destination, source);
        } catch (IllegalArgumentException unsendable) { // an empty or odd destination a peer signalled
            slot.release();
            countSendError(p, unsendable.getMessage());
            return;
        }
        sendingSlots[k] = slot;
        sendingPeers[k] = p.id;
    }

    /** Sends the batch, charges each dropped datagram to its peer, and gives the slots back. */
    private void flush() {
        int count = sending.count();
        if (count == 0) {
            return;
        }
        transport.send(sending);
        for (int k = 0; k < count; k++) {
            if (sending.droppedInLastSend(k)) {
                Peer<P> p = byId[sendingPeers[k]];
                if (p != null) {
                    countSendError(p, "the transport dropped it (see its UdpStats)");
                } else {
                    sendErrors++;
                }
            }
            sendingSlots[k].release();
            sendingSlots[k] = null;
        }
    }

    private void countSendError(Peer<P> p, String why) {
        p.sendErrors++;
        sendErrors++;
        if (p.sendErrors == 1 && LOG.isLoggable(INFO)) {
            LOG.log(INFO, "loop " + config.name() + ": a datagram to " + p.destinationOf + " could not be sent: " + why
                    + " (counted; further errors for this peer are not logged)");
        }
    }

    /** Removes the peers that are gone. */
    private void reap() {
        if (leaving.isEmpty()) {
            return;
        }
        for (int i = 0; i < leaving.size(); i++) {
            retire(leaving.get(i));
        }
        leaving.clear();
        flush(); // the farewells, while their peers' ids are not reused yet
    }

    /** Disconnects a removed peer, queues what it still had to send, and tells the server. */
    private void retire(Peer<P> p) {
        p.rtc.setChangeListener(null);
        p.rtc.disconnect();
        for (Output out = p.rtc.pollOutput(); !(out instanceof Output.Timeout); out = p.rtc.pollOutput()) {
            if (out instanceof Output.Transmit x) {
                queue(p, x);
            } // its closing events are not handed over: onRemoved says it all
        }
        deadlines.cancel(p.id);
        router.remove(p.id);
        byId[p.id] = null;
        byValue.remove(p.value);
        try {
            peers.onRemoved(p.value, new Departure(p.removal, p.sendErrors));
        } catch (RuntimeException bug) {
            LOG.log(WARNING, "loop " + config.name() + ": the server failed on a removal", bug);
        }
        // the counter and then the size change once the server knows, so whoever sees the size drop also sees the
        // server's account of the removal and the counter
        removed++;
        size = byValue.size();
    }

    /** On the loop thread as it stops: every peer removed, then the batches, the pool and the socket closed. */
    private void shutDown() {
        for (FutureTask<?> task; (task = tasks.poll()) != null; ) {
            task.cancel(false);
        }
        try {
            for (Peer<P> p : List.copyOf(byValue.values())) {
                if (p.removal == null) {
                    p.removal = "the loop closed";
                }
                leave(p);
            }
            reap();
        } catch (RuntimeException e) {
            LOG.log(WARNING, "loop " + config.name() + ": closing its peers failed", e);
        }
        received.close();
        if (tcp != null) {
            tcp.close();
        }
        try {
            if (receivePool != pool) {
                receivePool.close();
            }
            pool.close(); // on the thread that used it (pool slots in debug mode belong to it)
        } catch (RuntimeException leak) { // a peer kept a slot after disconnect: a bug to see, not to hide
            closeFailure = leak;
        }
        transport.close();
    }

    /**
     * Stops the loop: every peer is removed (and the server told), the pool and the socket closed. Throws if the
     * pool found slots that were never given back.
     */
    @Override
    public void close() {
        stopping = true;
        transport.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (closeFailure != null) {
            throw new IllegalStateException("the loop's packet pool still had slots in use at close", closeFailure);
        }
    }

    @Override
    public String toString() {
        return "RtcLoop[" + config.name() + ", " + transport + ", " + size + " peers]";
    }
}
