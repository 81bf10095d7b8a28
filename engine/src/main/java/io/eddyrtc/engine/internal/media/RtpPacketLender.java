package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.rtp.ExtensionMap;

/**
 * RTP mode: lends a received packet to the caller as an {@link Event.RtpPacket} view. The views, and
 * pointing one at a slot, belong to the {@code Rtc} that recycles them on its next call; the media path
 * asks it for one per packet through this, so it needs no way into the public package.
 */
@FunctionalInterface
public interface RtpPacketLender {
    /**
     * A view of the RTP packet in {@code slot} (already validated as RTP), received under {@code extensions},
     * to queue as an event; the slot is the view's until the {@code Rtc} recycles it.
     */
    Event.RtpPacket lend(String mid, String rid, long extendedSequence, long extendedTimestamp, long arrivedAtNanos,
                         ExtensionMap extensions, PacketBuffer slot);
}
