package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.putU8;

import java.lang.foreign.MemorySegment;

/**
 * What the VP8 and VP9 packetizers share: the frame is cut into consecutive slices, each after a
 * descriptor that carries a 15-bit picture id counting frames. Only the descriptors differ.
 */
abstract sealed class VpxPacketizer implements Packetizer permits Vp8Packetizer, Vp9Packetizer {
    private MemorySegment frame;
    private long at;
    private long end;
    private int mtu;
    private boolean first;
    private boolean last;
    private int pictureId;

    /** Starts slicing a frame the caller checked; each frame takes the next picture id. */
    final void start(MemorySegment frame, long offset, int length, int mtu) {
        this.frame = frame;
        this.at = offset;
        this.end = offset + length;
        this.mtu = mtu;
        this.first = true;
        this.last = false;
        this.pictureId = (pictureId + 1) & 0x7FFF;
    }

    /** True until the first payload of the frame is written. */
    final boolean first() {
        return first;
    }

    /** Frame bytes the next payload carries after a descriptor of {@code header} bytes. */
    final int sliceLength(int header) {
        return (int) Math.min(mtu - header, end - at);
    }

    /** True if a slice of {@code n} bytes is the frame's last. */
    final boolean endsFrame(int n) {
        return at + n >= end;
    }

    /** Writes the picture id field with M = 1 (15 bits), as VP8 and VP9 descriptors both lay it out. */
    final void putPictureId(MemorySegment out, long to) {
        putU8(out, to, 0x80 | (pictureId >>> 8));
        putU8(out, to + 1, pictureId);
    }

    /** Copies a slice of {@code n} frame bytes after the {@code header} bytes at {@code to}; returns the payload length. */
    final int putSlice(MemorySegment out, long to, int header, int n) {
        MemorySegment.copy(frame, at, out, to + header, n);
        at += n;
        first = false;
        last = at >= end;
        return header + n;
    }

    @Override
    public final boolean hasNext() {
        return at < end;
    }

    @Override
    public final boolean marker() {
        return last;
    }
}
