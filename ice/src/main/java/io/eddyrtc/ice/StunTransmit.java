package io.eddyrtc.ice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * A STUN datagram the agent wants sent (a connectivity or consent check, or the answer to one): the
 * first {@link #length()} bytes of {@link #segment()} from {@link #source()} to {@link #destination()}.
 * The agent owns and reuses these; one returned by {@link IceAgent#pollTransmit()} is valid until the
 * next call into the agent. (The engine's {@code Output.Transmit} is what an {@code Rtc} sends; it
 * carries these and DTLS, RTP and RTCP alike.)
 */
public final class StunTransmit {
    static final int CAPACITY = 1280;

    final MemorySegment segment;
    InetSocketAddress source;
    InetSocketAddress destination;
    int length;

    StunTransmit(Arena arena) {
        this.segment = arena.allocate(CAPACITY);
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
        return "StunTransmit[" + source + " -> " + destination + ", " + length + " bytes]";
    }
}
