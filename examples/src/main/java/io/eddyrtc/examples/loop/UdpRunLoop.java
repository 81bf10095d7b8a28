package io.eddyrtc.examples.loop;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The README's run loop, as code that compiles and runs: one {@link Rtc} on one UDP socket, the caller's
 * clock ({@link System#nanoTime()}), events handed to a consumer. The region between the {@code README}
 * markers is copied verbatim into the README, and {@code ReadmeRunLoopTest} checks that they match.
 */
public final class UdpRunLoop implements AutoCloseable {
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50); // so stop() is noticed soon
    private final Rtc rtc;
    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final Selector selector;
    private long sent;
    private long received;

    /** Binds a non-blocking UDP socket at {@code bindAddress} (port 0 picks one) for {@code rtc}. */
    public UdpRunLoop(Rtc rtc, InetSocketAddress bindAddress) throws IOException {
        this.rtc = rtc;
        this.channel = DatagramChannel.open();
        channel.bind(bindAddress);
        channel.configureBlocking(false);
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    /** The socket's address: give it to the Rtc as a host candidate. */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** Runs until the Rtc is no longer alive or {@code stop} says so; every event goes to {@code events}. */
    public void run(Consumer<Event> events, BooleanSupplier stop) throws IOException {
        // README:begin
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        MemorySegment bufSegment = MemorySegment.ofBuffer(buf);
        while (!stop.getAsBoolean()) {
            long deadline;
            while (true) {                                    // drain outputs until the engine wants time
                Output out = rtc.pollOutput();
                if (out instanceof Output.Timeout t) { deadline = t.atNanos(); break; }
                switch (out) {
                    case Output.Transmit x -> send(x);        // to x.destination(), from our socket
                    case Event e -> events.accept(e);         // connection state, channel data, ...
                    default -> { }
                }
            }
            if (!rtc.isAlive()) {
                break;                                        // after the last events and alerts went out
            }
            long wait = deadline - System.nanoTime();         // the clock is the caller's, never the library's
            buf.clear();
            InetSocketAddress from = wait > 0 ? receive(buf, wait) : null;
            long now = System.nanoTime();
            if (from == null) {
                rtc.handleTimeout(now);
            } else {
                rtc.handleReceive(now, from, local, bufSegment, 0, buf.position());
            }
        }
        // README:end
    }

    private void send(Output.Transmit x) throws IOException {
        channel.send(x.contents().asByteBuffer(), x.destination());
        sent++;
    }

    /** Waits up to {@code waitNanos} for one datagram into {@code buf}; its sender, or null on timeout. */
    private InetSocketAddress receive(ByteBuffer buf, long waitNanos) throws IOException {
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(waitNanos, MAX_WAIT_NANOS)));
        InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
        if (from == null && selector.select(millis) > 0) {
            selector.selectedKeys().clear();
            from = (InetSocketAddress) channel.receive(buf);
        }
        if (from != null) {
            received++;
        }
        return from;
    }

    /** Datagrams sent so far (read after {@link #run} returned). */
    public long sent() {
        return sent;
    }

    /** Datagrams received so far (read after {@link #run} returned). */
    public long received() {
        return received;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
