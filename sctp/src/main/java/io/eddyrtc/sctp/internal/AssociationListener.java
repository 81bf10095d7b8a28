package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.sctp.SctpDropReason;

/** What the pieces of an association report to it; it turns each report into its own event or counter. */
public interface AssociationListener {
    /**
     * A whole user message from the peer: {@code length} bytes in {@code slot}, or in {@code heap} when {@code slot}
     * is {@link PacketBuffer#NONE}. The slot, and its charge to the memory budget, pass to the listener.
     */
    void message(int stream, int ppid, PacketBuffer slot, byte[] heap, int length);

    /** The peer reset its outgoing side of these streams (RFC 6525). */
    void streamsReset(int[] streams);

    /** The peer performed our reset of these outgoing streams. */
    void outgoingStreamsReset(int[] streams);

    /** The bytes queued on {@code stream} fell to its low-water mark. */
    void bufferedAmountLow(int stream);

    /** Something the peer sent was ignored. */
    void dropped(SctpDropReason reason);
}
