package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/**
 * What the VP8 and VP9 depacketizers share. Both descriptors may carry a picture id, a TL0PICIDX and
 * a temporal layer; the values of the packet that starts a frame are kept for the frame, so the
 * {@link FrameAssembler} can drop upper temporal layers whose base frame was lost. Both bitstreams
 * are plain bytes after the descriptor, so a frame is complete once anything was appended.
 */
abstract sealed class VpxDepacketizer implements Depacketizer permits Vp8PayloadDepacketizer, Vp9PayloadDepacketizer {
    /** Set by the codec while it depacketizes; cleared by {@link #beginFrame()}. */
    boolean keyframe;
    private int pictureId = -1;
    private int pictureIdBits = 15;
    private int tl0 = -1;
    private int temporalLayer = -1;

    /**
     * Bytes of the picture id field at {@code at}: VP8 and VP9 write it alike, a first byte whose M
     * bit (0x80) says a 15-bit id follows in two bytes, else a 7-bit id in one.
     */
    static int pictureIdLength(MemorySegment p, long at) {
        return (u8(p, at) & 0x80) != 0 ? 2 : 1;
    }

    /** The picture id whose field at {@code at} was checked to hold {@link #pictureIdLength} bytes. */
    static int readPictureId(MemorySegment p, long at) {
        int b = u8(p, at);
        return (b & 0x80) != 0 ? ((b & 0x7F) << 8) | u8(p, at + 1) : b;
    }

    /** Width in bits of a picture id whose field is {@code length} bytes. */
    static int bitsOfPictureId(int length) {
        return length == 2 ? 15 : 7;
    }

    /** Records the layer fields of the packet that starts the frame; -1 for those it lacks. */
    final void frameLayers(int pictureId, int pictureIdBits, int tl0, int temporalLayer) {
        this.pictureId = pictureId;
        this.pictureIdBits = pictureIdBits;
        this.tl0 = tl0;
        this.temporalLayer = temporalLayer;
    }

    @Override
    public final void beginFrame() {
        keyframe = false;
        frameLayers(-1, 15, -1, -1);
    }

    @Override
    public final boolean endFrame(FrameBuffer out) {
        return out.length() > 0;
    }

    @Override
    public final boolean keyframe() {
        return keyframe;
    }

    @Override
    public final int pictureId() {
        return pictureId;
    }

    @Override
    public final int pictureIdBits() {
        return pictureIdBits;
    }

    @Override
    public final int tl0PictureIndex() {
        return tl0;
    }

    @Override
    public final int temporalLayer() {
        return temporalLayer;
    }
}
