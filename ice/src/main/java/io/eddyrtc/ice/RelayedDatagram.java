package io.eddyrtc.ice;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * What a TURN server relayed to us, as {@link IceAgent#receiveFromRelay} unwraps it: {@link #length()} bytes at
 * {@link #offset()} of {@link #segment()} (the caller's own datagram, read in place), sent by {@link #peer()} to our
 * relayed address {@link #relayed()}. Feed it on as a UDP datagram from the one to the other. A view the agent
 * reuses: valid until the next call into it.
 */
public final class RelayedDatagram {
    InetSocketAddress peer;
    InetSocketAddress relayed;
    MemorySegment segment = MemorySegment.NULL;
    long offset;
    int length;

    RelayedDatagram() {
    }

    RelayedDatagram set(InetSocketAddress peer, InetSocketAddress relayed, MemorySegment segment, long offset, int length) {
        this.peer = peer;
        this.relayed = relayed;
        this.segment = segment;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** The peer's address as the relay saw it: where the datagram came from. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** Our relayed address (the relayed candidate) it was sent to. */
    public InetSocketAddress relayed() {
        return relayed;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "RelayedDatagram[" + peer + " -> " + relayed + ", " + length + " bytes]";
    }
}
