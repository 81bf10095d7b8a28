package io.eddyrtc.engine.packet;

import static io.eddyrtc.engine.packet.Payloads.put8;

import java.lang.foreign.MemorySegment;

/**
 * VP8 (RFC 7741): each payload gets a 4-byte descriptor with a 15-bit picture id (X=1, I=1, M=1)
 * that counts frames, S=1 on the first payload of a frame, partition index 0 throughout.
 */
public final class Vp8Packetizer implements Packetizer {
    private static final int DESCRIPTOR = 4;

    private MemorySegment frame;
    private long at;
    private long end;
    private int mtu;
    private boolean first;
    private boolean last;
    private int pictureId;

    @Override
    public void begin(MemorySegment frame, long offset, int length, int mtu) {
        if (length <= 0 || mtu <= DESCRIPTOR) {
            throw new IllegalArgumentException("a VP8 frame needs bytes and an MTU above " + DESCRIPTOR);
        }
        this.frame = frame;
        this.at = offset;
        this.end = offset + length;
        this.mtu = mtu;
        this.first = true;
        this.last = false;
        this.pictureId = (pictureId + 1) & 0x7FFF;
    }

    @Override
    public boolean hasNext() {
        return at < end;
    }

    @Override
    public int next(MemorySegment out, long to) {
        int n = (int) Math.min(mtu - DESCRIPTOR, end - at);
        put8(out, to, first ? 0x90 : 0x80);
        put8(out, to + 1, 0x80);
        put8(out, to + 2, 0x80 | (pictureId >>> 8));
        put8(out, to + 3, pictureId);
        MemorySegment.copy(frame, at, out, to + DESCRIPTOR, n);
        at += n;
        first = false;
        last = at >= end;
        return DESCRIPTOR + n;
    }

    @Override
    public boolean marker() {
        return last;
    }
}
