package io.eddyrtc.engine;

import io.eddyrtc.ice.Transport;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What drives an {@link Rtc} forward: a datagram that arrived, or time passing. Both carry {@code now},
 * in nanoseconds from any monotonic clock ({@code System.nanoTime()} in a server, a virtual clock in tests).
 *
 * <p>{@link Rtc#handleInput(Input)} takes these; a loop that wants no allocation per datagram calls
 * {@link Rtc#handleReceive} and {@link Rtc#handleTimeout} directly with the same values.
 */
public sealed interface Input permits Input.Receive, Input.Timeout {

    /** The time this input happened, in nanoseconds. */
    long now();

    /** A datagram {@code contents} that arrived from {@code source} on our local {@code destination}. */
    static Receive receive(long now, InetSocketAddress source, InetSocketAddress destination, MemorySegment contents) {
        return new Receive(now, Transport.UDP, source, destination, contents);
    }

    /**
     * A datagram that came over {@code transport}: from an ICE-TCP connection, one RFC 4571 frame with the connection's
     * remote and local addresses; from a TURN server over TCP, one of its messages.
     */
    static Receive receive(long now, Transport transport, InetSocketAddress source, InetSocketAddress destination,
                           MemorySegment contents) {
        return new Receive(now, transport, source, destination, contents);
    }

    /** Time reached {@code now} with no datagram. */
    static Timeout timeout(long now) {
        return new Timeout(now);
    }

    /**
     * A received datagram. {@code contents} is read during the call only; the caller may reuse it after.
     */
    record Receive(long now, Transport transport, InetSocketAddress source, InetSocketAddress destination, MemorySegment contents)
            implements Input {
        public Receive {
            Objects.requireNonNull(transport, "transport: Transport.UDP for a UDP datagram");
            Objects.requireNonNull(source, "source: pass the address the datagram came from");
            Objects.requireNonNull(destination, "destination: pass the local address the datagram arrived on");
            Objects.requireNonNull(contents, "contents: pass the datagram bytes");
        }
    }

    /** Time passing. */
    record Timeout(long now) implements Input {}
}
