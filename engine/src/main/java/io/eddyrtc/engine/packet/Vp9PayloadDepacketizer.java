package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.u16;
import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/**
 * VP9 (RFC 9628 §4.2): a payload descriptor (flags I P L F B E V Z, then picture id, layer indices,
 * reference diffs in flexible mode, scalability structure) before VP9 bitstream. One RTP timestamp
 * carries a picture: one layer frame per spatial layer, each marked by B (begin) and E (end), the
 * picture ended by the marker. A keyframe starts spatial layer 0 without inter-picture prediction.
 *
 * <p>The descriptor fields of the last parsed packet are readable (picture id, layer indices) for
 * callers that forward layers selectively.
 */
public final class Vp9PayloadDepacketizer extends VpxDepacketizer {
    static final int I = 0x80;
    static final int P = 0x40;
    static final int L = 0x20;
    static final int F = 0x10;
    static final int B = 0x08;
    static final int E = 0x04;
    static final int V = 0x02;

    private int pictureId = -1;
    private int pictureIdBits = 15;
    private int temporalId;
    private int spatialId;
    private int tl0 = -1;
    private boolean layered;
    private int width;
    private int height;

    /**
     * Parses the descriptor at {@code offset}; returns its length, or -1 if a field runs past the
     * payload or is inconsistent. Records picture id, layer indices and, if present, the resolution
     * of spatial layer 0 from the scalability structure.
     */
    int parse(MemorySegment p, long offset, int length) {
        if (length < 1) {
            return -1;
        }
        int flags = u8(p, offset);
        int at = 1;
        pictureId = -1;
        temporalId = 0;
        spatialId = 0;
        tl0 = -1;
        layered = false;
        if ((flags & I) != 0) {
            if (at >= length) {
                return -1;
            }
            int size = pictureIdLength(p, offset + at);
            if (at + size > length) {
                return -1;
            }
            pictureId = readPictureId(p, offset + at);
            pictureIdBits = bitsOfPictureId(size);
            at += size;
        }
        if ((flags & L) != 0) {
            if (at >= length) {
                return -1;
            }
            int layers = u8(p, offset + at++);
            temporalId = layers >>> 5;
            spatialId = (layers >>> 1) & 0x07;
            layered = true;
            if ((flags & F) == 0) { // TL0PICIDX, non-flexible mode only
                if (at >= length) {
                    return -1;
                }
                tl0 = u8(p, offset + at++);
            }
        }
        if ((flags & F) != 0 && (flags & P) != 0) {
            for (int refs = 0; ; refs++) { // P_DIFF with N: up to 3 reference pictures
                if (refs == 3 || at >= length) {
                    return -1;
                }
                if ((u8(p, offset + at++) & 0x01) == 0) {
                    break;
                }
            }
        }
        if ((flags & V) != 0) {
            if (at >= length) {
                return -1;
            }
            int ss = u8(p, offset + at++);
            int spatialLayers = (ss >>> 5) + 1;
            if ((ss & 0x10) != 0) { // Y: a width and height per spatial layer
                if (at + 4 * spatialLayers > length) {
                    return -1;
                }
                width = u16(p, offset + at);
                height = u16(p, offset + at + 2);
                at += 4 * spatialLayers;
            }
            if ((ss & 0x08) != 0) { // G: the picture group description
                if (at >= length) {
                    return -1;
                }
                int pictures = u8(p, offset + at++);
                for (int i = 0; i < pictures; i++) {
                    if (at >= length) {
                        return -1;
                    }
                    at += 1 + ((u8(p, offset + at) >>> 2) & 0x03);
                }
            }
        }
        return at <= length ? at : -1;
    }

    @Override
    public boolean isFrameStart(MemorySegment payload, long offset, int length) {
        if (length < 1 || (u8(payload, offset) & B) == 0) {
            return false;
        }
        return parse(payload, offset, length) >= 0 && spatialId == 0;
    }

    @Override
    public boolean depacketize(MemorySegment payload, long offset, int length, FrameBuffer out) {
        int d = parse(payload, offset, length);
        if (d < 0) {
            return false;
        }
        int flags = u8(payload, offset);
        if ((flags & B) != 0 && spatialId == 0) {
            keyframe |= (flags & P) == 0;
            frameLayers(pictureId, pictureIdBits, tl0, layered ? temporalId : -1);
        }
        return out.append(payload, offset + d, length - d);
    }

    /** Temporal layer of the last parsed packet (0 without layer indices). */
    public int temporalId() {
        return temporalId;
    }

    /** Spatial layer of the last parsed packet (0 without layer indices). */
    public int spatialId() {
        return spatialId;
    }

    /** Width of spatial layer 0 from the last scalability structure seen, or 0. */
    public int width() {
        return width;
    }

    /** Height of spatial layer 0 from the last scalability structure seen, or 0. */
    public int height() {
        return height;
    }
}
