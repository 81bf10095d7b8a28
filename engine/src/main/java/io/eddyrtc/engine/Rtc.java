package io.eddyrtc.engine;

import io.eddyrtc.engine.demux.DatagramKind;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceAgent;
import io.eddyrtc.ice.IceConnectionState;
import io.eddyrtc.ice.IceEvent;
import io.eddyrtc.ice.Transmit;
import io.eddyrtc.ice.stun.StunMessage;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Objects;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * One WebRTC peer connection, sans-I/O: datagrams and time go in through {@link #handleInput} (or
 * {@link #handleReceive}/{@link #handleTimeout}), datagrams and events come out of {@link #pollOutput()}.
 * No threads, sockets or clocks; one thread drives an {@code Rtc} at a time.
 *
 * <pre>{@code
 * Rtc rtc = Rtc.builder().build();
 * rtc.addLocalCandidate(Candidate.host(socketAddress));
 * // ... signal, then loop:
 * while (true) {
 *     long deadline;
 *     while (true) {
 *         Output out = rtc.pollOutput();
 *         if (out instanceof Output.Timeout t) { deadline = t.atNanos(); break; }
 *         if (out instanceof Output.Transmit x) send(x);
 *         else if (out instanceof Event e) handle(e);
 *     }
 *     // wait for a datagram until deadline, then rtc.handleReceive(...) or rtc.handleTimeout(now)
 * }
 * }</pre>
 *
 * <p>What is wired today: demultiplexing (RFC 7983) and ICE. DTLS, SRTP, SCTP and media join here as
 * their modules land; until then their datagrams are dropped and counted by {@link RtcDropReason}.
 */
public final class Rtc {
    private static final System.Logger LOG = System.getLogger(Rtc.class.getName());

    private final RtcConfig config;
    private final IceAgent ice;
    private final DirectApi directApi;
    private final StunMessage stun = new StunMessage();
    private final Output.Timeout timeoutView = new Output.Timeout();
    private final Output.Transmit transmitView = new Output.Transmit();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final long[] drops = new long[RtcDropReason.values().length];
    private long lastNow = Long.MIN_VALUE;
    private boolean closed;

    Rtc(RtcConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.ice = new IceAgent(config.ice(), false, config.newRandom());
        this.directApi = new DirectApi(ice);
    }

    /** Starts a configuration; {@code Rtc.builder().build()} gives a full-ICE peer with defaults. */
    public static RtcConfig.Builder builder() {
        return new RtcConfig.Builder();
    }

    public RtcConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- set-up

    /** A local candidate: an address we receive on (its base is where we send from). */
    public void addLocalCandidate(Candidate candidate) {
        checkOpen("add a local candidate");
        ice.addLocalCandidate(Objects.requireNonNull(candidate, "candidate"));
    }

    /** A candidate the peer signalled (trickled or in its SDP). */
    public void addRemoteCandidate(Candidate candidate) {
        checkOpen("add a remote candidate");
        ice.addRemoteCandidate(Objects.requireNonNull(candidate, "candidate"));
    }

    /** The peer said it has no more candidates ({@code a=end-of-candidates}). */
    public void endOfRemoteCandidates() {
        ice.endOfRemoteCandidates();
    }

    /** Setting up without SDP: ICE role and credentials (and, as they are wired, DTLS and SCTP). */
    public DirectApi directApi() {
        checkOpen("use the direct API");
        return directApi;
    }

    // ---------------------------------------------------------------- input

    /** Feeds one input; same as {@link #handleReceive} or {@link #handleTimeout}. */
    public void handleInput(Input input) {
        switch (Objects.requireNonNull(input, "input")) {
            case Input.Receive r -> handleReceive(r.now(), r.source(), r.destination(), r.contents(), 0,
                    (int) Math.min(r.contents().byteSize(), Integer.MAX_VALUE));
            case Input.Timeout t -> handleTimeout(t.now());
        }
    }

    /**
     * A datagram arrived: {@code length} bytes at {@code offset} of {@code segment}, read during this call
     * only. Never throws on the datagram's content: what is not usable is dropped and counted.
     */
    public void handleReceive(long now, InetSocketAddress source, InetSocketAddress destination,
                              MemorySegment segment, long offset, int length) {
        advanceClock(now);
        if (closed) {
            drop(RtcDropReason.CLOSED, source);
            return;
        }
        DatagramKind kind = DatagramKind.classify(segment, offset, length);
        switch (kind) {
            case STUN -> {
                if (!ice.handleReceive(now, source, destination, segment, offset, length)) {
                    drop(RtcDropReason.NOT_STUN, source);
                }
            }
            case DTLS -> drop(RtcDropReason.DTLS_NOT_AVAILABLE, source);
            case RTP, RTCP -> drop(RtcDropReason.SRTP_NOT_READY, source);
            case TURN_CHANNEL -> drop(RtcDropReason.TURN_CHANNEL, source);
            case ZRTP -> drop(RtcDropReason.ZRTP, source);
            case UNKNOWN -> drop(RtcDropReason.UNKNOWN_PROTOCOL, source);
        }
        collectIceEvents();
    }

    /** Time reached {@code now}: run whatever timers are due (checks, retransmissions, consent). */
    public void handleTimeout(long now) {
        advanceClock(now);
        if (closed) {
            return;
        }
        if (now >= ice.nextDeadline()) {
            ice.handleTimeout(now);
        }
        collectIceEvents();
    }

    private void advanceClock(long now) {
        if (lastNow != Long.MIN_VALUE && now < lastNow) {
            throw new IllegalArgumentException("time went backwards: now=" + now + " after " + lastNow
                    + "; pass a monotonic clock such as System.nanoTime()");
        }
        lastNow = now;
    }

    // ---------------------------------------------------------------- output

    /**
     * The next thing to do: an {@link Event} to handle, a {@link Output.Transmit} to send, or finally an
     * {@link Output.Timeout} saying when to call {@link #handleTimeout} if nothing arrives first. Views are
     * valid until the next call on this {@code Rtc}.
     */
    public Output pollOutput() {
        Event event = events.poll();
        if (event != null) {
            return event;
        }
        if (!closed) {
            Transmit t = ice.pollTransmit();
            if (t != null) {
                return transmitView.set(t.source(), t.destination(), t.segment(), 0, t.length());
            }
        }
        return timeoutView.at(closed ? Long.MAX_VALUE : ice.nextDeadline());
    }

    private void collectIceEvents() {
        IceEvent e;
        while ((e = ice.pollEvent()) != null) {
            switch (e) {
                case IceEvent.StateChanged s -> events.add(new Event.IceConnectionStateChange(s.state()));
                case IceEvent.SelectedPairChanged p -> events.add(new Event.SelectedPairChange(p.local(), p.remote()));
                case IceEvent.NewPeerReflexiveCandidate c -> {
                    if (LOG.isLoggable(DEBUG)) {
                        LOG.log(DEBUG, "peer-reflexive remote candidate {0}", c.candidate());
                    }
                }
                case IceEvent.RoleChanged r -> {
                    if (LOG.isLoggable(DEBUG)) {
                        LOG.log(DEBUG, "ICE role conflict resolved: now {0}", r.controlling() ? "controlling" : "controlled");
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- routing and state

    /**
     * Whether a datagram is for this peer connection, for servers that route many {@code Rtc}s over one
     * socket: a STUN request must name our ufrag, a STUN response or any other datagram must come from an
     * address the peer uses. Reads the datagram, allocates nothing, never throws on its content.
     */
    public boolean accepts(InetSocketAddress source, MemorySegment segment, long offset, int length) {
        if (closed) {
            return false;
        }
        if (IceAgent.accepts(segment, offset, length)) {
            if (!stun.wrap(segment, offset, length)) {
                return false;
            }
            boolean mine = stun.isRequest() ? ice.isAddressedToUs(stun) : isPeerAddress(source);
            stun.unwrap();
            return mine;
        }
        return isPeerAddress(source);
    }

    /** {@link #accepts(InetSocketAddress, MemorySegment, long, int)} for an {@link Input}; a timeout is for everyone. */
    public boolean accepts(Input input) {
        return switch (Objects.requireNonNull(input, "input")) {
            case Input.Receive r -> accepts(r.source(), r.contents(), 0, (int) Math.min(r.contents().byteSize(), Integer.MAX_VALUE));
            case Input.Timeout t -> true;
        };
    }

    private boolean isPeerAddress(InetSocketAddress source) {
        return ice.isRemoteAddress(source) || source.equals(ice.dataDestination());
    }

    /** The ICE connection state. */
    public IceConnectionState iceConnectionState() {
        return ice.state();
    }

    /** False after {@link #disconnect()}, or once ICE has failed or lost consent for good. */
    public boolean isAlive() {
        IceConnectionState s = ice.state();
        return !closed && s != IceConnectionState.FAILED && s != IceConnectionState.CLOSED;
    }

    /** Closes the connection: timers stop, later input is dropped; a final state event is queued. */
    public void disconnect() {
        if (closed) {
            return;
        }
        ice.close();
        collectIceEvents();
        closed = true;
    }

    /** How many datagrams the Rtc dropped for {@code reason}. */
    public long dropped(RtcDropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Every datagram the Rtc or its ICE agent dropped. */
    public long droppedTotal() {
        long sum = ice.droppedTotal();
        for (long d : drops) {
            sum += d;
        }
        return sum;
    }

    /** STUN datagrams the ICE agent dropped (each reason is in the agent's own counters). */
    public long iceDropped() {
        return ice.droppedTotal();
    }

    private void drop(RtcDropReason reason, InetSocketAddress source) {
        drops[reason.ordinal()]++;
        if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, "dropped datagram from {0}: {1}", source, reason);
        }
    }

    private void checkOpen(String what) {
        if (closed) {
            throw new IllegalStateException("cannot " + what + " after disconnect(); build a new Rtc");
        }
    }

    @Override
    public String toString() {
        return "Rtc[ice=" + ice.state() + (closed ? ", closed" : "") + "]";
    }
}
