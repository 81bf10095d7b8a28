package io.eddyrtc.buffers;

import java.lang.foreign.MemorySegment;

/**
 * Base of every wire-format codec: a reusable view over {@code length} bytes of a segment starting at
 * {@code offset}, with big-endian field access relative to that start.
 *
 * <p>A flyweight is created once (per codec per {@code Rtc}) and re-pointed at each packet with
 * {@link #wrap}. {@code wrap} is where bounds are checked: it refuses a window that does not lie
 * inside the segment, and then asks {@link #validate()} whether the bytes are long enough for the
 * subclass's fixed fields and whatever lengths those fields declare. Field getters after a successful
 * wrap do no checks of their own. {@code wrap} never throws on bad input; it returns {@code false}
 * and leaves the flyweight unwrapped, so a packet path can drop and count.
 *
 * <p>Subclasses name their field offsets as constants, in the Aeron style, and read them with the
 * protected accessors, which are relative to {@link #offset()}.
 */
public abstract class Flyweight {
    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int length;

    /**
     * Points this view at {@code length} bytes of {@code segment} from {@code offset}.
     *
     * @return {@code true} if the window lies inside the segment and {@link #validate()} accepts it;
     *     {@code false} otherwise, in which case the flyweight is left unwrapped (length 0)
     */
    public final boolean wrap(MemorySegment segment, long offset, int length) {
        if (segment == null || offset < 0 || length < 0 || offset > segment.byteSize() - length) {
            unwrap();
            return false;
        }
        this.segment = segment;
        this.offset = offset;
        this.length = length;
        if (!validate()) {
            unwrap();
            return false;
        }
        return true;
    }

    /** Wraps the whole of {@code segment}; see {@link #wrap(MemorySegment, long, int)}. */
    public final boolean wrap(MemorySegment segment) {
        long size = segment == null ? -1 : segment.byteSize();
        if (size > Integer.MAX_VALUE) {
            unwrap();
            return false;
        }
        return wrap(segment, 0, (int) size);
    }

    /** Forgets the wrapped window, so a stale view cannot be read by mistake. */
    public final void unwrap() {
        segment = MemorySegment.NULL;
        offset = 0;
        length = 0;
    }

    /**
     * Checks that the wrapped window is long enough for the format: fixed header, declared lengths,
     * counts. Called by {@link #wrap} after the window itself was checked against the segment.
     * The default accepts any window.
     */
    protected boolean validate() {
        return true;
    }

    /**
     * Narrows the wrapped window to its first {@code newLength} bytes, e.g. once padding or a trailer
     * has been recognised. Returns false (and changes nothing) if that would grow the window.
     */
    protected final boolean limit(int newLength) {
        if (newLength < 0 || newLength > length) {
            return false;
        }
        length = newLength;
        return true;
    }

    public final MemorySegment segment() {
        return segment;
    }

    public final long offset() {
        return offset;
    }

    public final int length() {
        return length;
    }

    public final boolean isWrapped() {
        return segment != MemorySegment.NULL;
    }

    protected final int u8(int at) {
        return BigEndian.u8(segment, offset + at);
    }

    protected final int u16(int at) {
        return BigEndian.u16(segment, offset + at);
    }

    protected final int u24(int at) {
        return BigEndian.u24(segment, offset + at);
    }

    protected final long u32(int at) {
        return BigEndian.u32(segment, offset + at);
    }

    protected final int i32(int at) {
        return BigEndian.i32(segment, offset + at);
    }

    protected final long u48(int at) {
        return BigEndian.u48(segment, offset + at);
    }

    protected final long u64(int at) {
        return BigEndian.u64(segment, offset + at);
    }

    protected final void putU8(int at, int value) {
        BigEndian.putU8(segment, offset + at, value);
    }

    protected final void putU16(int at, int value) {
        BigEndian.putU16(segment, offset + at, value);
    }

    protected final void putU24(int at, int value) {
        BigEndian.putU24(segment, offset + at, value);
    }

    protected final void putU32(int at, long value) {
        BigEndian.putU32(segment, offset + at, value);
    }

    protected final void putU48(int at, long value) {
        BigEndian.putU48(segment, offset + at, value);
    }

    protected final void putU64(int at, long value) {
        BigEndian.putU64(segment, offset + at, value);
    }
}
