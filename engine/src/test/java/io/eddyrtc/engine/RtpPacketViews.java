package io.eddyrtc.engine;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.internal.media.RtpPacketLender;
import java.util.ArrayDeque;

/**
 * {@link Event.RtpPacket} views lent and given back outside an {@link Rtc}, for tests that drive the media
 * layer alone: reused as the {@code Rtc} reuses them, so allocation tests see what an {@code Rtc} does.
 */
public final class RtpPacketViews implements RtpPacketLender {
    private final PacketPool pool;
    private final ArrayDeque<Event.RtpPacket> free = new ArrayDeque<>();

    public RtpPacketViews(PacketPool pool) {
        this.pool = pool;
    }

    @Override
    public Event.RtpPacket lend(String mid, String rid, long extendedSequence, long extendedTimestamp, long arrivedAtNanos,
                                PacketBuffer slot) {
        Event.RtpPacket view = free.poll();
        return (view == null ? new Event.RtpPacket() : view).set(mid, rid, extendedSequence, extendedTimestamp, arrivedAtNanos, slot);
    }

    /** The test is done with {@code view}: its slot goes back to the pool, the view to reuse. */
    public void recycle(Event.RtpPacket view) {
        PacketBuffer slot = view.release();
        if (!slot.isNone()) {
            pool.release(slot);
        }
        free.add(view);
    }
}
