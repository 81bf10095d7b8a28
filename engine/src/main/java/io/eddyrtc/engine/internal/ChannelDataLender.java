package io.eddyrtc.engine.internal;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.engine.Event;
import java.lang.foreign.MemorySegment;

/**
 * Lends a received data channel message to the caller as an {@link Event.ChannelData} view. The views, and pointing
 * one at a slot, belong to the {@code Rtc} that recycles them on its next call; the channel layer asks it for one
 * per message through this, so it needs no way into the public package.
 */
@FunctionalInterface
public interface ChannelDataLender {
    /**
     * A view of {@code length} bytes: in {@code slot}, whose hold passes to the view until the {@code Rtc} recycles it,
     * or, when the slot is {@link PacketBuffer#NONE}, at the start of {@code bytes} (a message longer than a slot).
     */
    Event.ChannelData lend(int id, boolean binary, PacketBuffer slot, MemorySegment bytes, int length);
}
