package io.eddyrtc.sctp;

import io.eddyrtc.buffers.LentBytes;
import io.eddyrtc.buffers.PacketBuffer;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** What {@link DataChannels} reports. */
public sealed interface DataChannelEvent {
    /** A channel opened: the peer sent DATA_CHANNEL_OPEN, or acknowledged ours. */
    record Open(int id, String label, String protocol, boolean ordered) implements DataChannelEvent {}

    /** Channel {@code id}'s bufferedAmount fell to its low-water mark: send more. */
    record BufferedAmountLow(int id) implements DataChannelEvent {}

    /** Channel {@code id} closed (either side closed it; both stream directions are reset). */
    record Closed(int id) implements DataChannelEvent {}

    /**
     * A whole message on channel {@link #id()}, binary or UTF-8 text: its {@link #length()} bytes are the start of
     * {@link #segment()}. Lent by {@link DataChannels}: the bytes lie in the association's pool slot (or, past a
     * slot's size, on the heap), valid until the next {@code pollEvent} or {@code handle} on it. {@link #copy()},
     * {@link #data()} or {@link #text()} keep them; {@link #retainSlot()} keeps the slot itself. Messages made with
     * the public constructor are copies of their own and stay valid.
     */
    final class Message implements DataChannelEvent {
        private int id;
        private boolean binary;
        private final LentBytes bytes;

        /** A message of its own: {@code data} as it is. */
        public Message(int id, boolean binary, byte[] data) {
            this.id = id;
            this.binary = binary;
            this.bytes = LentBytes.of(data);
        }

        /** A view for {@link DataChannels} to lend. */
        Message() {
            this.bytes = new LentBytes();
        }

        /**
         * Points this view at {@code length} bytes: in {@code slot} (which this view then holds, a holder of its own)
         * or, when the slot is {@link PacketBuffer#NONE}, at the start of {@code heap}.
         */
        Message lend(int id, boolean binary, PacketBuffer slot, MemorySegment heap, int length) {
            this.id = id;
            this.binary = binary;
            bytes.lend(slot, heap, length);
            return this;
        }

        /** Ends the loan: the slot this view held (to release), the view blank again. */
        PacketBuffer endLoan() {
            return bytes.endLoan();
        }

        public int id() {
            return id;
        }

        /** False for UTF-8 text. */
        public boolean binary() {
            return binary;
        }

        /** The message's length in bytes. */
        public int length() {
            return bytes.length();
        }

        /** The bytes: the first {@link #length()} bytes of this read-only segment (it may be longer: a whole slot). */
        public MemorySegment segment() {
            return bytes.segment();
        }

        /**
         * Keeps the message's bytes past the loan without a copy: its pool slot with one more holder, which the caller
         * releases when done ({@link PacketBuffer#release()}); {@link PacketBuffer#NONE} when the bytes are on the heap,
         * where {@link #segment()} stays valid as long as it is referenced.
         */
        public PacketBuffer retainSlot() {
            return bytes.retainSlot();
        }

        /** A copy of the bytes (allocates). */
        public byte[] data() {
            return bytes.copy();
        }

        /** The message as text (allocates). */
        public String text() {
            return new String(data(), StandardCharsets.UTF_8);
        }

        /** A message of its own with a copy of the bytes, valid for good (allocates). */
        public Message copy() {
            return new Message(id, binary, data());
        }

        @Override
        public String toString() {
            return "Message[id=" + id + (binary ? ", binary, " : ", text, ") + length() + " bytes]";
        }
    }
}
