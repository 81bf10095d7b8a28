package io.eddyrtc.engine.packet;

/**
 * Decides, for VP8 and VP9 streams with temporal layers, whether a frame that follows lost packets
 * can still be decoded, from the picture id, TL0PICIDX and temporal layer of each frame (RFC 7741
 * §4.2, RFC 9628 §4.2). Frames of layer 0 only refer to earlier layer-0 frames: one whose TL0PICIDX
 * is the last emitted one's plus one is decodable, whatever higher-layer frames were lost in between.
 * A higher-layer frame after a loss is only emitted if it is the very next picture on the current
 * layer-0 frame; otherwise it may refer to what was lost and is held back as undecodable.
 *
 * <p>Without those fields (no picture id, flexible VP9, H.26x, AV1), sequence-number contiguity is
 * all there is.
 */
final class TemporalContiguity {
    private int lastPictureId = -1;
    private int lastTl0 = -1;

    /** The verdict for one frame: emit it or not, and whether it is contiguous. */
    static final int DROP = 0;
    static final int EMIT_CONTIGUOUS = 1;
    static final int EMIT_AFTER_LOSS = 2;

    void reset() {
        lastPictureId = -1;
        lastTl0 = -1;
    }

    /**
     * @param sequenceContiguous no packet is missing between the last emitted frame and this one
     */
    int check(int pictureId, int pictureIdBits, int tl0, int temporalLayer, boolean sequenceContiguous) {
        if (pictureId < 0 || tl0 < 0 || temporalLayer < 0) {
            lastPictureId = -1;
            lastTl0 = -1;
            return sequenceContiguous ? EMIT_CONTIGUOUS : EMIT_AFTER_LOSS;
        }
        int pictureMask = (1 << pictureIdBits) - 1;
        boolean known = lastPictureId >= 0;
        boolean nextTl0 = known && tl0 == ((lastTl0 + 1) & 0xFF);
        boolean nextPicture = known && pictureId == ((lastPictureId + 1) & pictureMask);
        if (temporalLayer == 0) {
            lastPictureId = pictureId;
            lastTl0 = tl0;
            return sequenceContiguous || nextTl0 ? EMIT_CONTIGUOUS : EMIT_AFTER_LOSS;
        }
        if (sequenceContiguous || (nextPicture && tl0 == lastTl0)) {
            lastPictureId = pictureId;
            lastTl0 = tl0;
            return EMIT_CONTIGUOUS;
        }
        return DROP;
    }
}
