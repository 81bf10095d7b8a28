package io.eddyrtc.buffers.testkit;

import java.net.InetSocketAddress;

/**
 * Anything sans-I/O that the {@link VirtualNetwork} can drive: an ICE agent, a DTLS endpoint, an
 * SCTP association, a whole {@code Rtc}. Tests write a few lines of adapter per component.
 *
 * <p>The network calls these from one thread, with non-decreasing {@code now} values in nanoseconds.
 */
public interface SansIoNode {
    /** A datagram arrived at one of the node's addresses. The array is the node's to keep. */
    void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] datagram);

    /** Time has reached (or passed) {@link #nextDeadline()}. */
    void timeout(long now);

    /** The absolute time, in nanoseconds, at which the node wants {@link #timeout}; {@code Long.MAX_VALUE} for never. */
    long nextDeadline();

    /** Hands every datagram the node wants to send now to {@code out}. */
    void drainTransmits(long now, Transmitter out);

    /** Where a node puts its outgoing datagrams. */
    @FunctionalInterface
    interface Transmitter {
        void send(InetSocketAddress source, InetSocketAddress destination, byte[] datagram);
    }
}
