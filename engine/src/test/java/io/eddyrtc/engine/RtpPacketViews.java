package io.eddyrtc.engine;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.internal.media.RtpPacketLender;

/**
 * {@link Event.RtpPacket} views lent and given back outside an {@link Rtc}, for tests that drive the media
 * layer alone: the {@code Rtc}'s own lending, so allocation tests see what an {@code Rtc} does.
 */
public final class RtpPacketViews implements RtpPacketLender {
    private final Event.RtpPacket.Lending lending;

    public RtpPacketViews(PacketPool pool) {
        this.lending = new Event.RtpPacket.Lending(pool);
    }

    @Override
    public Event.RtpPacket lend(String mid, String rid, long extendedSequence, long extendedTimestamp, long arrivedAtNanos,
                                io.eddyrtc.engine.rtp.ExtensionMap extensions,
                                PacketBuffer slot) {
        return lending.lend(mid, rid, extendedSequence, extendedTimestamp, arrivedAtNanos, extensions, slot);
    }

    /** The test is done with {@code view}: its slot goes back to the pool, the view to reuse. */
    public void recycle(Event.RtpPacket view) {
        lending.recycle(view);
    }
}
