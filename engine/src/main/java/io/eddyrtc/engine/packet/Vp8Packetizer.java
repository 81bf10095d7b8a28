package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.putU8;

import java.lang.foreign.MemorySegment;

/**
 * VP8 (RFC 7741): each payload gets a 4-byte descriptor with a 15-bit picture id (X=1, I=1, M=1)
 * that counts frames, S=1 on the first payload of a frame, partition index 0 throughout.
 */
public final class Vp8Packetizer extends VpxPacketizer {
    private static final int DESCRIPTOR = 4;

    @Override
    public void begin(MemorySegment frame, long offset, int length, int mtu) {
        if (length <= 0 || mtu <= DESCRIPTOR) {
            throw new IllegalArgumentException("a VP8 frame needs bytes and an MTU above " + DESCRIPTOR);
        }
        start(frame, offset, length, mtu);
    }

    @Override
    public int next(MemorySegment out, long to) {
        putU8(out, to, first() ? 0x90 : 0x80); // X, and S on the frame's first payload
        putU8(out, to + 1, 0x80); // I
        putPictureId(out, to + 2);
        return putSlice(out, to, DESCRIPTOR, sliceLength(DESCRIPTOR));
    }
}
