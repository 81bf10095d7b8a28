package io.eddyrtc.engine.internal;

import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.engine.RtcDropReason;

/**
 * An {@code Rtc}'s drop counters, one per {@link RtcDropReason}, shared by its layers; the detail a layer
 * counts with is the datagram's source, or null when the drop is not about one received datagram.
 */
public final class RtcDrops extends DropCounter<RtcDropReason> {
    public RtcDrops() {
        // under the Rtc's logger, where an operator looks for what a peer sent
        super(RtcDropReason.class, System.getLogger("io.eddyrtc.engine.Rtc"), "Rtc");
    }
}
