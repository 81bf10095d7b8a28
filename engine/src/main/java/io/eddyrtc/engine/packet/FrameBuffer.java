package io.eddyrtc.engine.packet;

import io.eddyrtc.buffers.MemoryBudget;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A reusable buffer one frame's bitstream is appended to while it is depacketized. It starts small,
 * doubles when a frame needs more room, and never grows past {@code maxBytes}: an append that would
 * cross that bound fails and marks the buffer {@linkplain #overflowed() overflowed}, so a bogus or
 * hostile stream costs at most {@code maxBytes} of heap, once. Its bytes are charged to a {@link MemoryBudget};
 * a growth the budget refuses fails the same way. {@link #shrink()} returns it to its first size.
 *
 * <p>The bytes are on the heap so that {@link #toByteArray()} and {@code javax}-style consumers can
 * copy them cheaply. {@link #segment()} is a view valid until the next append or {@link #clear()}.
 */
public final class FrameBuffer {
    /** The first size: most audio and small video frames fit; larger ones double it as they come. */
    static final int INITIAL = 2 * 1024;

    private final int maxBytes;
    private final MemoryBudget memory;
    private byte[] bytes;
    /** What {@link #bytes} is charged to the budget. */
    private long charged;
    private MemorySegment segment;
    private int length;
    private boolean overflowed;

    /** A buffer for frames of at most {@code maxBytes} bytes, charged to nobody. */
    public FrameBuffer(int maxBytes) {
        this(maxBytes, MemoryBudget.unlimited());
    }

    /** A buffer for frames of at most {@code maxBytes} bytes, whose heap is charged to {@code memory}. */
    public FrameBuffer(int maxBytes, MemoryBudget memory) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.memory = memory;
        int first = Math.min(INITIAL, maxBytes);
        // the first size is made regardless (a frame cannot be built without it), charged if there is room
        this.charged = memory.tryCharge(first) ? first : 0;
        this.bytes = new byte[first];
        this.segment = MemorySegment.ofArray(bytes);
    }

    /** Bytes of heap it has now (its length may be less). */
    public int capacity() {
        return bytes.length;
    }

    /** Back to the first size, the frame emptied: for a stream gone quiet. */
    public void shrink() {
        clear();
        int first = Math.min(INITIAL, maxBytes);
        if (bytes.length > first) {
            memory.release(charged);
            charged = memory.tryCharge(first) ? first : 0;
            bytes = new byte[first];
            segment = MemorySegment.ofArray(bytes);
        }
    }

    /** Gives its bytes back to the budget (the buffer is going away). */
    public void close() {
        memory.release(charged);
        charged = 0;
    }

    /** Empties the buffer for the next frame (keeps its capacity). */
    public void clear() {
        length = 0;
        overflowed = false;
    }

    /** Bytes written so far. */
    public int length() {
        return length;
    }

    /** The largest frame this buffer accepts. */
    public int maxBytes() {
        return maxBytes;
    }

    /** True once an append was refused because the frame would exceed {@link #maxBytes()}. */
    public boolean overflowed() {
        return overflowed;
    }

    /** The backing memory; bytes {@code [0, length())} are the frame. Valid until the next append. */
    public MemorySegment segment() {
        return segment;
    }

    /** The byte at {@code index} (which must be below {@link #length()}). */
    public int get(int index) {
        return bytes[index] & 0xFF;
    }

    /** A copy of the frame. Allocates: for sample-mode events (one array per frame), not the packet loop. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** Appends {@code count} bytes of {@code source} from {@code offset}; false if they do not fit. */
    public boolean append(MemorySegment source, long offset, int count) {
        if (!reserve(count)) {
            return false;
        }
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, bytes, length, count);
        length += count;
        return true;
    }

    /** Appends one byte; false if it does not fit. */
    public boolean appendByte(int value) {
        if (!reserve(1)) {
            return false;
        }
        bytes[length++] = (byte) value;
        return true;
    }

    /** Appends the four-byte Annex B start code {@code 00 00 00 01}; false if it does not fit. */
    public boolean appendStartCode() {
        if (!reserve(4)) {
            return false;
        }
        bytes[length] = 0;
        bytes[length + 1] = 0;
        bytes[length + 2] = 0;
        bytes[length + 3] = 1;
        length += 4;
        return true;
    }

    /**
     * Inserts {@code value} as LEB128 at {@code at}, moving the bytes after it up. Used for an AV1
     * OBU's size, known only once its last fragment arrived.
     */
    public boolean insertLeb128(int at, long value) {
        int size = Leb128.size(value);
        if (at < 0 || at > length || !reserve(size)) {
            return false;
        }
        System.arraycopy(bytes, at, bytes, at + size, length - at);
        Leb128.write(bytes, at, value);
        length += size;
        return true;
    }

    private boolean reserve(int count) {
        if (count < 0 || overflowed) {
            return false;
        }
        long needed = (long) length + count;
        if (needed <= bytes.length) {
            return true;
        }
        if (needed > maxBytes) {
            overflowed = true;
            return false;
        }
        // Rare: a frame larger than any before; doubling keeps the number of growths logarithmic.
        int capacity = (int) Math.min(maxBytes, Math.max(needed, 2L * bytes.length));
        if (!memory.tryCharge(capacity - charged)) {
            overflowed = true;
            return false;
        }
        charged = capacity;
        bytes = Arrays.copyOf(bytes, capacity);
        segment = MemorySegment.ofArray(bytes);
        return true;
    }
}
