package io.eddyrtc.engine.bwe;

import io.eddyrtc.engine.rtp.ForwardedNumbering;
import io.eddyrtc.engine.rtp.ForwardedPictureNumbers;

/**
 * One subscriber's copy of one published video track, as an SFU forwards it: which of the publisher's simulcast
 * layers (or, below the lowest, which temporal layers) it gets, chosen by a {@link LayerSelector} against the
 * subscriber's budget for the track, and the numbers the forwarded packets go out with ({@link ForwardedNumbering}:
 * one stream without gaps across switches, left-out packets and a change of publisher; for VP8 also the picture
 * ids and TL0PICIDX, {@link ForwardedPictureNumbers}, without which a receiver may drop the new layer's frames
 * after a switch). Allocates nothing per packet.
 */
public final class LayerForwarding {
    private LayerSelector selector;
    private final ForwardedNumbering numbering = new ForwardedNumbering();
    private final ForwardedPictureNumbers pictures = new ForwardedPictureNumbers();

    /** {@code rates}: the published track's, shared by every subscriber; {@code budgetBps}: the budget to start with. */
    public LayerForwarding(LayerRates rates, long budgetBps) {
        this.selector = new LayerSelector(rates, budgetBps);
    }

    /**
     * Another publication takes the track's place (a new publisher, whose layers arrive at {@code rates}): its
     * layer is chosen anew from its first keyframe on, and the numbering goes on from the last packet sent.
     */
    public void follow(LayerRates rates) {
        selector = new LayerSelector(rates, selector.budget());
        numbering.sourceChanged();
        pictures.sourceChanged();
    }

    /** The subscriber's estimate changed: this track may use {@code bps} of it. */
    public void setBudget(long now, long bps) {
        selector.setBudget(now, bps);
    }

    /** What this track may use of the subscriber's estimate, in bits per second. */
    public long budget() {
        return selector.budget();
    }

    /**
     * Whether the packet of {@code layer} ({@code keyframe} when it starts one, {@code temporalLayer} or -1)
     * with extended {@code sequence} and {@code timestamp} goes to the subscriber at {@code now}; if so, with
     * {@link #sequence()} and {@link #timestamp()}.
     */
    public boolean forward(long now, int layer, boolean keyframe, int temporalLayer, long sequence, long timestamp, int clockRate) {
        return forward(now, layer, keyframe, temporalLayer, sequence, timestamp, clockRate, -1, -1);
    }

    /**
     * As {@link #forward(long, int, boolean, int, long, long, int)} for a VP8 packet carrying {@code pictureId} and
     * {@code tl0PicIdx} (-1 for one it lacks, see {@code packet.LayerInfo}); if it goes, also with
     * {@link #pictureId()} and {@link #tl0PicIdx()}.
     */
    public boolean forward(long now, int layer, boolean keyframe, int temporalLayer, long sequence, long timestamp, int clockRate,
                           int pictureId, int tl0PicIdx) {
        if (!selector.forward(now, layer, keyframe, temporalLayer)) {
            numbering.drop(layer, sequence);
            return false;
        }
        numbering.forward(now, layer, sequence, timestamp, clockRate);
        pictures.forward(layer, sequence, pictureId, tl0PicIdx);
        return true;
    }

    /** The 16-bit sequence number the packet last forwarded goes out with. */
    public int sequence() {
        return numbering.sequence();
    }

    /** The 32-bit timestamp the packet last forwarded goes out with. */
    public long timestamp() {
        return numbering.timestamp();
    }

    /** The VP8 picture id the packet last forwarded goes out with, or -1 (it had none: leave the payload as it is). */
    public int pictureId() {
        return pictures.pictureId();
    }

    /** The VP8 TL0PICIDX the packet last forwarded goes out with, or -1 (it had none: leave the payload as it is). */
    public int tl0PicIdx() {
        return pictures.tl0PicIdx();
    }

    /** The layer to ask the publisher a keyframe of (PLI) because a switch waits for one, or -1 (at most once a second). */
    public int keyframeWanted(long now) {
        return selector.keyframeWanted(now);
    }

    /** The rate of the layer forwarded now ({@link LayerSelector#forwardedBitrate}). */
    public long forwardedBitrate(long now) {
        return selector.forwardedBitrate(now);
    }

    /** What the budget would need for the next layer up ({@link LayerSelector#wantedBitrate}). */
    public long wantedBitrate(long now) {
        return selector.wantedBitrate(now);
    }

    /**
     * The layer wanted (equal to {@link #current()} unless a switch waits for a keyframe): when it changes, so does
     * {@link #wantedBitrate}.
     */
    public int target() {
        return selector.target();
    }

    /** The layer forwarded now, or -1 before the first keyframe. */
    public int current() {
        return selector.current();
    }

    /** Whether only the lowest layer's base temporal layer goes (even the lowest layer does not fit). */
    public boolean baseOnly() {
        return selector.baseOnly();
    }
}
