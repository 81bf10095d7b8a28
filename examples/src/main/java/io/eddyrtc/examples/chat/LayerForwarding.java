package io.eddyrtc.examples.chat;

import io.eddyrtc.engine.bwe.LayerRates;
import io.eddyrtc.engine.bwe.LayerSelector;
import io.eddyrtc.engine.rtp.ForwardedNumbering;

/**
 * One subscriber's copy of one published video track: which of the publisher's simulcast layers (or, below the
 * lowest, which temporal layers) it gets, chosen by a {@link LayerSelector} against the subscriber's share of
 * its bandwidth estimate, and the numbers the forwarded packets go out with ({@link ForwardedNumbering}: one
 * stream without gaps across switches and left-out packets). Allocates nothing per packet.
 */
final class LayerForwarding {
    private final LayerSelector selector;
    private final ForwardedNumbering numbering = new ForwardedNumbering();

    /** {@code rates}: the published track's, shared by every subscriber; {@code budgetBps}: the share to start with. */
    LayerForwarding(LayerRates rates, long budgetBps) {
        this.selector = new LayerSelector(rates, budgetBps);
    }

    /** The subscriber's estimate changed: this track may use {@code bps} of it. */
    void setBudget(long now, long bps) {
        selector.setBudget(now, bps);
    }

    /**
     * Whether the packet of {@code layer} ({@code keyframe} when it starts one, {@code temporalLayer} or -1)
     * with extended {@code sequence} and {@code timestamp} goes to the subscriber at {@code now}; if so, with
     * {@link #sequence()} and {@link #timestamp()}.
     */
    boolean forward(long now, int layer, boolean keyframe, int temporalLayer, long sequence, long timestamp, int clockRate) {
        if (!selector.forward(now, layer, keyframe, temporalLayer)) {
            numbering.drop(layer, sequence);
            return false;
        }
        numbering.forward(now, layer, sequence, timestamp, clockRate);
        return true;
    }

    int sequence() {
        return numbering.sequence();
    }

    long timestamp() {
        return numbering.timestamp();
    }

    /** The layer to ask the publisher a keyframe of (PLI) because a switch waits for one, or -1 (at most once a second). */
    int keyframeWanted(long now) {
        return selector.keyframeWanted(now);
    }

    /** The layer forwarded now, or -1 before the first keyframe. */
    int current() {
        return selector.current();
    }

    /** Whether only the lowest layer's base temporal layer goes (even the lowest layer does not fit). */
    boolean baseOnly() {
        return selector.baseOnly();
    }
}
