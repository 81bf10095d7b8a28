package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.RtcConfig;
import io.eddyrtc.ice.Candidate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A client of an {@link RtcLoop} in a test: one {@link Rtc} on a socket of its own, driven a turn at a time by the
 * test's thread (the loop runs on its own). Events are kept, and handed to a listener while views are valid.
 */
final class LoopClient implements AutoCloseable {
    final Rtc rtc;
    final UdpTransport transport;
    private final PacketPool pool;
    private final RecvBatch in;
    private final TransmitBatch out = new TransmitBatch(64);
    private final InetSocketAddressCache addresses = new InetSocketAddressCache(64);
    final List<Event> events = new ArrayList<>();
    private Consumer<Event> listener = e -> { };
    private long deadline = Long.MIN_VALUE;

    LoopClient(UdpBackend backend, InetSocketAddress bind, RtcConfig.Builder config) throws IOException {
        this.transport = UdpTransport.open(UdpConfig.builder(bind).backend(backend).build());
        this.pool = PacketPool.builder().build();
        this.in = new RecvBatch(pool, 32);
        this.rtc = config.pool(pool).build();
        rtc.addLocalCandidate(Candidate.host(transport.localAddress()));
    }

    LoopClient onEvent(Consumer<Event> listener) {
        this.listener = listener;
        return this;
    }

    /** Sends what the Rtc has, then receives for up to {@code waitNanos} (or fires its timer). */
    void turn(long waitNanos) {
        while (true) {
            Output o = rtc.pollOutput();
            if (o instanceof Output.Timeout t) {
                deadline = t.atNanos();
                break;
            }
            if (o instanceof Output.Transmit x) {
                out.add(x, transport);
            } else if (o instanceof Event e) {
                listener.accept(e);
                if (!(e instanceof Event.RtpPacket)) {
                    events.add(e instanceof Event.ChannelData d ? d.copy() : e); // a message is lent: keep a copy
                }
            }
        }
        out.send(transport);
        long now = System.nanoTime();
        int n = transport.receive(in, Math.max(0, Math.min(waitNanos, deadline - now)));
        now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            rtc.handleReceive(now, addresses.get(in.source(i)), addresses.get(in.destination(i)), in.segment(i), 0, in.length(i));
        }
        if (now >= deadline) {
            rtc.handleTimeout(now);
        }
    }

    /** Runs turns of every client until {@code condition} holds; fails, saying {@code what}, after 20 s. */
    static void runUntil(BooleanSupplier condition, String what, LoopClient... clients) {
        long giveUp = System.nanoTime() + Loopback.PATIENCE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                fail("waited 20 s for " + what);
            }
            for (LoopClient c : clients) {
                c.turn(TimeUnit.MILLISECONDS.toNanos(clients.length > 1 ? 1 : 5));
            }
        }
    }

    boolean saw(Class<? extends Event> kind) {
        return events.stream().anyMatch(kind::isInstance);
    }

    @Override
    public void close() {
        rtc.disconnect();
        in.close();
        transport.close();
        pool.close();
    }
}
