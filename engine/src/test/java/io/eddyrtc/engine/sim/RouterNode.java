package io.eddyrtc.engine.sim;

import io.eddyrtc.buffers.InetSocketAddressView;
import io.eddyrtc.buffers.testkit.SansIoNode;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.route.DeadlineQueue;
import io.eddyrtc.engine.route.RtcRouter;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Many {@link Rtc}s behind one address of the {@link io.eddyrtc.buffers.testkit.VirtualNetwork}, as a server
 * loop runs them: datagrams routed by an {@link RtcRouter}, timers from a {@link DeadlineQueue}, and only the
 * peers with something to poll drained — the one a datagram or timer went to, and those a handler wrote into
 * (each {@code Rtc}'s change listener marks it). The sans-I/O core of net's server loop, on virtual time.
 */
public final class RouterNode implements SansIoNode {
    private final String name;
    private final RtcRouter router = new RtcRouter();
    private final DeadlineQueue deadlines = new DeadlineQueue();
    private final InetSocketAddressView source = new InetSocketAddressView();
    private final List<Pending> pending = new ArrayList<>();
    private final List<BiConsumer<Integer, Event>> listeners = new ArrayList<>();
    private final List<TimedEvent> events = new ArrayList<>();
    private boolean[] marked = new boolean[16];
    private int[] toDrain = new int[16];
    private int toDrainCount;
    private long lastNow;
    private long unrouted;

    /** An event of peer {@code id} and the virtual time it was polled. */
    public record TimedEvent(long atNanos, int id, Event event) {}

    private record Pending(InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {}

    public RouterNode(String name) {
        this.name = name;
    }

    /** Puts {@code rtc} behind this node's address (once it is signalled); returns its router id. */
    public int add(Rtc rtc) {
        int id = router.add(rtc);
        rtc.setChangeListener(() -> mark(id));
        mark(id);
        return id;
    }

    /** Disconnects peer {@code id}, sends its farewell and takes it off the router. */
    public void remove(int id) {
        Rtc rtc = router.rtc(id);
        rtc.disconnect();
        drain(id, lastNow);
        rtc.setChangeListener(null);
        deadlines.cancel(id);
        unmark(id);
        router.remove(id);
    }

    public RtcRouter router() {
        return router;
    }

    public Rtc rtc(int id) {
        return router.rtc(id);
    }

    /** Calls {@code listener} with each event as it is polled (views such as {@link Event.RtpPacket} valid then). */
    public RouterNode onEvent(BiConsumer<Integer, Event> listener) {
        listeners.add(listener);
        return this;
    }

    /** Events of peer {@code id} (RTP packet views are not kept), in the order polled. */
    public List<Event> eventsOf(int id) {
        return events.stream().filter(e -> e.id() == id).map(TimedEvent::event).toList();
    }

    /** Datagrams no peer took. */
    public long unrouted() {
        return unrouted;
    }

    @Override
    public void receive(long now, InetSocketAddress from, InetSocketAddress to, byte[] datagram) {
        lastNow = now;
        int id = router.receive(now, source.set(from), to, MemorySegment.ofArray(datagram), 0, datagram.length);
        if (id < 0) {
            unrouted++;
            return;
        }
        mark(id);
        drainMarked(now);
    }

    @Override
    public void timeout(long now) {
        lastNow = now;
        drainMarked(now);
        for (int id; (id = deadlines.pollDue(now)) >= 0; ) {
            router.rtc(id).handleTimeout(now);
            router.refresh(id); // a timer may have changed what routes to it (consent, a restart)
            mark(id);
        }
        drainMarked(now);
    }

    @Override
    public long nextDeadline() {
        drainMarked(lastNow); // set-up calls made between inputs
        return deadlines.nextDeadline();
    }

    @Override
    public void drainTransmits(long now, Transmitter out) {
        drainMarked(now);
        for (Pending p : pending) {
            out.send(p.source(), p.destination(), p.datagram());
        }
        pending.clear();
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

    private void unmark(int id) {
        if (id < marked.length && marked[id]) {
            marked[id] = false;
            for (int i = 0; i < toDrainCount; i++) {
                if (toDrain[i] == id) {
                    toDrain[i] = toDrain[--toDrainCount];
                    return;
                }
            }
        }
    }

    /** Drains every marked peer, and those its handlers' writes mark meanwhile. */
    private void drainMarked(long now) {
        while (toDrainCount > 0) {
            int id = toDrain[--toDrainCount];
            marked[id] = false;
            drain(id, now);
        }
    }

    private void drain(int id, long now) {
        Rtc rtc = router.rtc(id);
        while (true) {
            switch (rtc.pollOutput()) {
                case Output.Timeout t -> {
                    deadlines.schedule(id, t.atNanos());
                    if (rtc.lastInternalError() != null) {
                        throw new AssertionError("a bug inside the Rtc was caught and counted (INTERNAL_ERROR)", rtc.lastInternalError());
                    }
                    router.refresh(id);
                    return;
                }
                case Output.Transmit x -> pending.add(new Pending(x.source(), x.destination(), x.copy()));
                case Event e -> {
                    for (BiConsumer<Integer, Event> listener : listeners) {
                        listener.accept(id, e);
                    }
                    if (!(e instanceof Event.RtpPacket)) {
                        events.add(new TimedEvent(now, id, e));
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "RouterNode[" + name + ", " + router + "]";
    }
}
