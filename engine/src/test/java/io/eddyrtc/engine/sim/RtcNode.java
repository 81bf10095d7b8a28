package io.eddyrtc.engine.sim;

import io.eddyrtc.buffers.testkit.SansIoNode;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.demux.DatagramKind;
import io.eddyrtc.ice.IceConnectionState;
import io.eddyrtc.ice.Transport;
import io.eddyrtc.ice.testkit.VirtualTcp;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One or more {@link Rtc}s behind one UDP socket on the {@link io.eddyrtc.buffers.testkit.VirtualNetwork}:
 * the adapter every engine simulation uses. With several Rtcs it routes each datagram with
 * {@link Rtc#accepts}, as an SFU does with thousands of peers on one port.
 *
 * <p>Each output loop runs right after every input, exactly like a real run loop: events are recorded
 * (with the virtual time they came out), transmits are copied onto the network.
 */
public final class RtcNode implements SansIoNode {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private final String name;
    private final List<Rtc> rtcs = new ArrayList<>();
    private final List<TimedEvent> events = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<java.util.function.Consumer<Event>> listeners = new ArrayList<>();
    private long unrouted;
    private long rtpPackets;
    private boolean keepEvents = true;
    private boolean timeCalls;
    private final long[] nanosByWake = new long[Wake.values().length];
    private final long[] wakes = new long[Wake.values().length];
    private long lastNow;

    /** What woke the Rtcs behind this node: a timeout, or a datagram of a kind (RFC 7983), for CPU time per path. */
    public enum Wake {
        TIMEOUT, STUN, DTLS, RTP, RTCP, OTHER;

        static Wake of(MemorySegment datagram, int length) {
            return switch (DatagramKind.classify(datagram, 0, length)) {
                case STUN -> STUN;
                case DTLS -> DTLS;
                case RTP -> RTP;
                case RTCP -> RTCP;
                case ZRTP, TURN_CHANNEL, UNKNOWN -> OTHER;
            };
        }
    }

    /** An event and the virtual time it was polled. */
    public record TimedEvent(long atNanos, Rtc rtc, Event event) {}

    private record Pending(Transport transport, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {}

    /** ICE-TCP and TURN-over-TCP connections; null when the node speaks UDP only. */
    private VirtualTcp tcp;

    public RtcNode(String name, Rtc... rtcs) {
        this.name = name;
        for (Rtc rtc : rtcs) {
            add(rtc);
        }
    }

    /**
     * Gives the node TCP connections (ICE-TCP, TURN over TCP): what arrives on them is deframed and fed with its
     * transport, and transmits of a TCP transport go out on them, as a loop with a TCP listener does.
     */
    public RtcNode withTcp(VirtualTcp connections) {
        this.tcp = connections;
        return this;
    }

    /** Puts another Rtc behind this socket. */
    public RtcNode add(Rtc rtc) {
        rtcs.add(rtc);
        return this;
    }

    public String name() {
        return name;
    }

    /** The first (for one-peer nodes, the only) Rtc. */
    public Rtc rtc() {
        return rtcs.getFirst();
    }

    public List<Rtc> rtcs() {
        return List.copyOf(rtcs);
    }

    public List<TimedEvent> events() {
        return List.copyOf(events);
    }

    /** Events of {@code rtc}, in the order polled. */
    public List<Event> eventsOf(Rtc rtc) {
        List<Event> out = new ArrayList<>();
        for (TimedEvent e : events) {
            if (e.rtc() == rtc) {
                out.add(e.event());
            }
        }
        return out;
    }

    /** The virtual time of the first event of {@code rtc} matching {@code test}, or -1. */
    public long firstEventAt(Rtc rtc, Predicate<Event> test) {
        for (TimedEvent e : events) {
            if (e.rtc() == rtc && test.test(e.event())) {
                return e.atNanos();
            }
        }
        return -1;
    }

    /**
     * Calls {@code listener} with every event as it is polled, while views ({@link Event.RtpPacket}) are
     * still valid. RTP packet views are not kept in {@link #events()}: they are lent, not owned.
     */
    public RtcNode onEvent(java.util.function.Consumer<Event> listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Whether polled events are kept for {@link #events()} (the default); a simulation of thousands of peers
     * turns it off so that what it measures is the peers' memory, not a record of their events. Listeners
     * still get every event.
     */
    public RtcNode keepEvents(boolean keep) {
        this.keepEvents = keep;
        return this;
    }

    /**
     * Whether to add up the CPU time spent in the Rtcs' own calls (input, timeouts, the output loop), apart
     * from the network's work, for a benchmark of what peers cost; off by default (it reads the thread's CPU
     * clock twice a call).
     */
    public RtcNode timeCalls(boolean on) {
        this.timeCalls = on;
        return this;
    }

    /** CPU time spent in the Rtcs' calls since {@link #timeCalls} was turned on, in nanoseconds. */
    public long nanosInRtc() {
        long sum = 0;
        for (long n : nanosByWake) {
            sum += n;
        }
        return sum;
    }

    /** The part of {@link #nanosInRtc()} spent on what {@code wake} brought (the input and the output loop after it). */
    public long nanosInRtc(Wake wake) {
        return nanosByWake[wake.ordinal()];
    }

    /** How many timed calls {@code wake} made since {@link #timeCalls} was turned on. */
    public long wakes(Wake wake) {
        return wakes[wake.ordinal()];
    }

    /** RTP-mode packets polled (they are given to listeners, not recorded). */
    public long rtpPackets() {
        return rtpPackets;
    }

    /** Datagrams no Rtc behind this socket accepted. */
    public long unrouted() {
        return unrouted;
    }

    /** ICE connected (or completed) for {@code rtc}. */
    public static boolean iceConnected(Rtc rtc) {
        IceConnectionState s = rtc.iceConnectionState();
        return s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED;
    }

    @Override
    public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
        lastNow = now;
        if (tcp != null && tcp.carries(source, destination)) {
            for (VirtualTcp.Received r : tcp.receive(source, destination, datagram)) {
                deliver(now, r.transport(), r.source(), r.destination(), r.datagram());
            }
        } else {
            deliver(now, Transport.UDP, source, destination, datagram);
        }
    }

    private void deliver(long now, Transport transport, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
        MemorySegment segment = MemorySegment.ofArray(datagram);
        Wake wake = timeCalls ? Wake.of(segment, datagram.length) : null;
        long started = timeCalls ? THREADS.getCurrentThreadCpuTime() : 0;
        for (Rtc rtc : rtcs) {
            if (rtcs.size() == 1 || rtc.accepts(source, segment, 0, datagram.length)) {
                rtc.handleReceive(now, transport, source, destination, segment, 0, datagram.length);
                failOnInternalError(rtc);
                pump(now, rtc);
                countTime(started, wake);
                return;
            }
        }
        unrouted++;
        countTime(started, wake);
    }

    @Override
    public void timeout(long now) {
        lastNow = now;
        long started = timeCalls ? THREADS.getCurrentThreadCpuTime() : 0;
        for (Rtc rtc : rtcs) {
            pump(now, rtc); // outputs queued by set-up calls made between inputs
            rtc.handleTimeout(now);
            failOnInternalError(rtc);
            pump(now, rtc);
        }
        countTime(started, Wake.TIMEOUT);
    }

    private void countTime(long started, Wake wake) {
        if (timeCalls) {
            nanosByWake[wake.ordinal()] += THREADS.getCurrentThreadCpuTime() - started;
            wakes[wake.ordinal()]++;
        }
    }

    @Override
    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Rtc rtc : rtcs) {
            next = Math.min(next, pump(lastNow, rtc));
        }
        return next;
    }

    @Override
    public void drainTransmits(long now, Transmitter out) {
        for (Rtc rtc : rtcs) {
            pump(now, rtc);
        }
        for (Pending p : pending) {
            if (p.transport() == Transport.UDP) {
                out.send(p.source(), p.destination(), p.datagram());
            } else {
                tcp.send(this, p.transport(), p.source(), p.destination(), p.datagram());
            }
        }
        pending.clear();
    }

    /** The Rtc catches its own bugs so a server goes on; a simulation must not: it fails the test with the cause. */
    private static void failOnInternalError(Rtc rtc) {
        if (rtc.lastInternalError() != null) {
            throw new AssertionError("a bug inside the Rtc was caught and counted (INTERNAL_ERROR)", rtc.lastInternalError());
        }
    }

    /** Runs the output loop of one Rtc until its timeout, which it returns. */
    private long pump(long now, Rtc rtc) {
        while (true) {
            switch (rtc.pollOutput()) {
                case Output.Timeout t -> {
                    return t.atNanos();
                }
                case Output.Transmit x -> pending.add(new Pending(x.transport(), x.source(), x.destination(), x.copy()));
                case Event e -> {
                    for (java.util.function.Consumer<Event> listener : listeners) {
                        listener.accept(e);
                    }
                    if (e instanceof Event.RtpPacket) {
                        rtpPackets++;
                    } else if (keepEvents) {
                        // a data channel message is lent like an RTP packet: what is kept is a copy
                        events.add(new TimedEvent(now, rtc, e instanceof Event.ChannelData d ? d.copy() : e));
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "RtcNode[" + name + ", " + rtcs.size() + " rtc]";
    }
}
