package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.u8;

import io.eddyrtc.engine.media.Codec;
import java.lang.foreign.MemorySegment;

/**
 * What an SFU reads from one video RTP payload without depacketizing it: whether the packet starts a frame,
 * whether that frame is a keyframe (where a forwarded stream may switch to this layer), and its temporal
 * layer (VP8 and VP9 descriptors carry it; -1 when unknown), and for VP8 the picture id and TL0PICIDX that a
 * forwarded stream renumbers across layer switches ({@link Vp8PictureNumbers}). One instance per reader, reused
 * for every packet; allocates nothing.
 */
public final class LayerInfo {
    private static final int H264_IDR = 5;
    private static final int H264_SPS = 7;
    private static final int H264_STAP_A = 24;
    private static final int H264_FU_A = 28;
    private static final int AV1_N = 0x08;

    private final Vp9PayloadDepacketizer vp9 = new Vp9PayloadDepacketizer();
    private boolean frameStart;
    private boolean keyframe;
    private int temporalLayer;
    private int pictureId;
    private int tl0PicIdx;

    /**
     * Reads the payload of {@code codec} at {@code offset}; false (and nothing known) when the descriptor is
     * malformed or the codec is not video. Never throws on the content.
     */
    public boolean read(Codec codec, MemorySegment payload, long offset, int length) {
        frameStart = false;
        keyframe = false;
        temporalLayer = -1;
        pictureId = -1;
        tl0PicIdx = -1;
        if (length < 1) {
            return false;
        }
        return switch (codec) {
            case VP8 -> vp8(payload, offset, length);
            case VP9 -> vp9(payload, offset, length);
            case H264 -> h264(payload, offset, length);
            case AV1 -> av1(payload, offset);
            default -> false;
        };
    }

    private boolean vp8(MemorySegment p, long offset, int length) {
        int d = Vp8PayloadDepacketizer.descriptorLength(p, offset, length);
        if (d < 0) {
            return false;
        }
        int first = u8(p, offset);
        if ((first & 0x80) != 0) {
            int x = u8(p, offset + 1);
            long at = offset + 2;
            if ((x & 0x80) != 0) { // I: the picture id, 7 or 15 bits
                pictureId = VpxDepacketizer.readPictureId(p, at);
                at += VpxDepacketizer.pictureIdLength(p, at);
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                tl0PicIdx = u8(p, at);
            }
            if ((x & 0x20) != 0) { // T: the TID/Y/KEYIDX byte is the last of the descriptor
                temporalLayer = u8(p, offset + d - 1) >>> 6;
            }
        }
        frameStart = (first & 0x17) == 0x10; // S set, partition 0
        keyframe = frameStart && d < length && (u8(p, offset + d) & 0x01) == 0; // the frame tag's P bit (RFC 6386 §9.1)
        return true;
    }

    private boolean vp9(MemorySegment p, long offset, int length) {
        if (vp9.parse(p, offset, length) < 0) {
            return false;
        }
        int flags = u8(p, offset);
        frameStart = (flags & Vp9PayloadDepacketizer.B) != 0;
        keyframe = frameStart && (flags & Vp9PayloadDepacketizer.P) == 0 && vp9.spatialId() == 0;
        temporalLayer = (flags & Vp9PayloadDepacketizer.L) != 0 ? vp9.temporalId() : -1;
        return true;
    }

    private boolean h264(MemorySegment p, long offset, int length) {
        int type = u8(p, offset) & 0x1F;
        if (type == H264_FU_A) {
            if (length < 2) {
                return false;
            }
            int fu = u8(p, offset + 1);
            frameStart = (fu & 0x80) != 0;
            keyframe = frameStart && (fu & 0x1F) == H264_IDR;
        } else if (type == H264_STAP_A) {
            frameStart = true;
            for (long at = offset + 1; at + 2 < offset + length; ) {
                int size = (u8(p, at) << 8) | u8(p, at + 1);
                int inner = u8(p, at + 2) & 0x1F;
                keyframe |= inner == H264_IDR || inner == H264_SPS;
                at += 2 + size;
            }
        } else {
            frameStart = true;
            keyframe = type == H264_IDR || type == H264_SPS;
        }
        return true;
    }

    private boolean av1(MemorySegment p, long offset) {
        int aggregation = u8(p, offset);
        frameStart = (aggregation & 0x80) == 0; // Z clear: the first OBU is not a continuation
        keyframe = (aggregation & AV1_N) != 0; // N: a new coded video sequence starts here
        return true;
    }

    /** Whether the packet starts a frame. */
    public boolean frameStart() {
        return frameStart;
    }

    /** Whether the packet starts a keyframe: a forwarded stream may begin or switch here. */
    public boolean keyframe() {
        return keyframe;
    }

    /** The temporal layer (0 is the base), or -1 when the payload does not say. */
    public int temporalLayer() {
        return temporalLayer;
    }

    /** VP8: the picture id (7 or 15 bits, as the descriptor carries it), or -1 when the payload does not say. */
    public int pictureId() {
        return pictureId;
    }

    /** VP8: the TL0PICIDX (the running count of base-layer frames, 8 bits), or -1 when the payload does not say. */
    public int tl0PicIdx() {
        return tl0PicIdx;
    }
}
