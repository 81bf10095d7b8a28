package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/**
 * VP8 (RFC 7741 §4.2): a payload descriptor of 1 to 6 bytes, then VP8 bitstream. A frame starts
 * where S=1 and the partition index is 0; its first bitstream byte carries the frame tag whose P bit
 * is 0 for a key frame (RFC 6386 §9.1).
 */
public final class Vp8PayloadDepacketizer extends VpxDepacketizer {

    /** Length of the descriptor at {@code offset}, or -1 if it runs past the payload. */
    static int descriptorLength(MemorySegment p, long offset, int length) {
        if (length < 1) {
            return -1;
        }
        int at = 1;
        if ((u8(p, offset) & 0x80) != 0) { // X: extension byte
            if (at >= length) {
                return -1;
            }
            int x = u8(p, offset + at++);
            if ((x & 0x80) != 0) { // I: picture id, M selects 15 bits
                if (at >= length) {
                    return -1;
                }
                at += pictureIdLength(p, offset + at);
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                at++;
            }
            if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                at++;
            }
        }
        return at <= length ? at : -1;
    }

    @Override
    public boolean isFrameStart(MemorySegment payload, long offset, int length) {
        return length > 0 && (u8(payload, offset) & 0x17) == 0x10;
    }

    /** Records picture id, TL0PICIDX and TID from a descriptor already checked by {@link #descriptorLength}. */
    private void readLayers(MemorySegment p, long offset) {
        if ((u8(p, offset) & 0x80) == 0) {
            return;
        }
        int x = u8(p, offset + 1);
        long at = offset + 2;
        int pictureId = -1;
        int pictureIdBits = 15;
        int tl0 = -1;
        int temporalLayer = -1;
        if ((x & 0x80) != 0) {
            int size = pictureIdLength(p, at);
            pictureId = readPictureId(p, at);
            pictureIdBits = bitsOfPictureId(size);
            at += size;
        }
        if ((x & 0x40) != 0) {
            tl0 = u8(p, at++);
        }
        if ((x & 0x20) != 0) {
            temporalLayer = u8(p, at) >>> 6;
        }
        frameLayers(pictureId, pictureIdBits, tl0, temporalLayer);
    }

    @Override
    public boolean depacketize(MemorySegment payload, long offset, int length, FrameBuffer out) {
        int d = descriptorLength(payload, offset, length);
        if (d < 0) {
            return false;
        }
        if (isFrameStart(payload, offset, length)) {
            readLayers(payload, offset);
            if (d < length) {
                keyframe = (u8(payload, offset + d) & 0x01) == 0;
            }
        }
        return out.append(payload, offset + d, length - d);
    }
}
