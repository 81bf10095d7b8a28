package io.eddyrtc.sctp;

import io.eddyrtc.buffers.LentBytes;
import io.eddyrtc.buffers.PacketBuffer;
import java.lang.foreign.MemorySegment;

/** What an {@link SctpAssociation} reports, polled with {@link SctpAssociation#pollEvent()}. */
public sealed interface SctpEvent {
    /** The four-way handshake finished: messages can flow. */
    record Connected() implements SctpEvent {}

    /**
     * A whole user message from the peer on {@link #stream()} with payload protocol id {@link #ppid()}: its
     * {@link #length()} bytes are the start of {@link #segment()}. The association lends it: the bytes lie in its
     * pool slot (or, past a slot's size, on the heap), valid until the next {@code pollEvent}, {@code handleReceive}
     * or {@code handleTimeout} on the association; {@link #copy()} or {@link #data()} keeps them. Messages made
     * with the public constructor are copies of their own and stay valid.
     */
    final class Message implements SctpEvent {
        private int stream;
        private int ppid;
        private final LentBytes bytes;

        /** A message of its own: {@code data} as it is (for feeding {@link DataChannels} by hand, and tests). */
        public Message(int stream, int ppid, byte[] data) {
            this.stream = stream;
            this.ppid = ppid;
            this.bytes = LentBytes.of(data);
        }

        /** A view for the association to lend. */
        Message() {
            this.bytes = new LentBytes();
        }

        /** Points this view at a message in {@code slot}, or in {@code heap} when the slot is {@link PacketBuffer#NONE}. */
        Message lend(int stream, int ppid, PacketBuffer slot, byte[] heap, int length) {
            this.stream = stream;
            this.ppid = ppid;
            bytes.lend(slot, slot.isNone() && heap != null ? MemorySegment.ofArray(heap).asReadOnly() : null, length);
            return this;
        }

        /** The slot the bytes lie in ({@link PacketBuffer#NONE} if on the heap), for whoever keeps them past the loan. */
        PacketBuffer slot() {
            return bytes.slot();
        }

        /** Takes the slot back out of the view when the loan ends; the view is blank again. */
        PacketBuffer endLoan() {
            return bytes.endLoan();
        }

        public int stream() {
            return stream;
        }

        public int ppid() {
            return ppid;
        }

        /** The message's length in bytes. */
        public int length() {
            return bytes.length();
        }

        /** The bytes: the first {@link #length()} bytes of this read-only segment (it may be longer: a whole slot). */
        public MemorySegment segment() {
            return bytes.segment();
        }

        /** A copy of the bytes (allocates). */
        public byte[] data() {
            return bytes.copy();
        }

        /** A message of its own with a copy of the bytes, valid for good (allocates). */
        public Message copy() {
            return new Message(stream, ppid, data());
        }

        @Override
        public String toString() {
            return "Message[stream=" + stream + ", ppid=" + ppid + ", " + length() + " bytes]";
        }
    }

    /** The peer reset its outgoing side of these streams (RFC 6525), as it does when it closes a data channel. */
    record StreamsReset(int[] streams) implements SctpEvent {}

    /** The peer performed our reset of these outgoing streams: they start over at SSN 0. */
    record OutgoingStreamsReset(int[] streams) implements SctpEvent {}

    /** The bytes queued on {@code stream} fell to its low-water mark or below: the writer may send more. */
    record BufferedAmountLow(int stream) implements SctpEvent {}

    /** The association ended: ABORT, SHUTDOWN, or too many retransmissions; {@code reason} says which. */
    record Closed(String reason) implements SctpEvent {}
}
