package io.eddyrtc.engine.rtp;

/**
 * The VP8 picture ids and TL0PICIDX one forwarded stream goes out with while an SFU switches it between a
 * publisher's simulcast layers, each an encoder with numbers of its own: from a switch on, the new layer's
 * numbers are moved to go on from the last ones forwarded, so the subscriber sees one encoder whose count of
 * pictures and of base-layer pictures only moves forward (written into the payload by
 * {@code packet.Vp8PictureNumbers}). Within a layer they keep their distances, gaps of left-out temporal layers
 * included, as the receiver expects them. The companion of {@link ForwardedNumbering}, which does the same for
 * sequence numbers and timestamps. Allocates nothing.
 */
public final class ForwardedPictureNumbers {
    private static final int PICTURE_ID_MASK = 0x7FFF;
    private static final int TL0_MASK = 0xFF;

    private boolean started;
    private int layer = -1;
    private long highestIn;
    private int pictureIdOffset;
    private int tl0Offset;
    private int lastPictureId = -1;
    private int lastTl0 = -1;
    private int pictureId = -1;
    private int tl0PicIdx = -1;

    /**
     * A packet of {@code layer} with extended sequence number {@code sequence}, carrying {@code pictureId} and
     * {@code tl0PicIdx} (-1 for one it lacks), goes out; a change of layer moves the numbers to follow the last
     * ones forwarded. Read what it goes out with from {@link #pictureId()} and {@link #tl0PicIdx()}.
     */
    public void forward(int layer, long sequence, int pictureId, int tl0PicIdx) {
        if (!started || layer != this.layer) {
            pictureIdOffset = lastPictureId >= 0 && pictureId >= 0 ? lastPictureId + 1 - pictureId : 0;
            tl0Offset = lastTl0 >= 0 && tl0PicIdx >= 0 ? lastTl0 + 1 - tl0PicIdx : 0;
            this.layer = layer;
            highestIn = sequence - 1;
            started = true;
        }
        this.pictureId = pictureId < 0 ? -1 : (pictureId + pictureIdOffset) & PICTURE_ID_MASK;
        this.tl0PicIdx = tl0PicIdx < 0 ? -1 : (tl0PicIdx + tl0Offset) & TL0_MASK;
        if (sequence > highestIn) { // the newest packet: what the next switch follows on from
            highestIn = sequence;
            lastPictureId = this.pictureId >= 0 ? this.pictureId : lastPictureId;
            lastTl0 = this.tl0PicIdx >= 0 ? this.tl0PicIdx : lastTl0;
        }
    }

    /** Another publisher's track takes the stream's place: its next packet is followed on from as a switch is. */
    public void sourceChanged() {
        layer = -1;
    }

    /** The picture id (15 bits; a 7-bit field takes the low 7) of the packet last forwarded, or -1 if it had none. */
    public int pictureId() {
        return pictureId;
    }

    /** The TL0PICIDX of the packet last forwarded, or -1 if it had none. */
    public int tl0PicIdx() {
        return tl0PicIdx;
    }
}
