package io.eddyrtc.ice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * A STUN datagram the agent wants sent (a connectivity or consent check, or the answer to one): the
 * first {@link #length()} bytes of {@link #segment()} from {@link #source()} to {@link #destination()}, over
 * {@link #transport()}. Through a TURN relay it is already wrapped for the server (a Send indication or ChannelData).
 * The agent owns and reuses these; one returned by {@link IceAgent#pollTransmit()} is valid until the
 * next call into the agent. (The engine's {@code Output.Transmit} is what an {@code Rtc} sends; it
 * carries these and DTLS, RTP and RTCP alike.)
 */
public final class StunTransmit {
    static final int CAPACITY = 1280;

    final MemorySegment segment;
    Transport transport = Transport.UDP;
    InetSocketAddress source;
    InetSocketAddress destination;
    int length;

    StunTransmit(Arena arena) {
        this(arena, CAPACITY);
    }

    StunTransmit(Arena arena, int capacity) {
        this.segment = arena.allocate(capacity);
    }

    /** How to send it: a UDP datagram, an RFC 4571 frame on an ICE-TCP connection, or a message to a TURN server over TCP. */
    public Transport transport() {
        return transport;
    }

    public InetSocketAddress source() {
        return source;
    }

    public InetSocketAddress destination() {
        return destination;
    }

    public MemorySegment segment() {
        return segment;
    }

    public int length() {
        return length;
    }

    /** A copy of the datagram (allocates; for tests and simple callers). */
    public byte[] toByteArray() {
        return segment.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    @Override
    public String toString() {
        return "StunTransmit[" + transport + " " + source + " -> " + destination + ", " + length + " bytes]";
    }
}
