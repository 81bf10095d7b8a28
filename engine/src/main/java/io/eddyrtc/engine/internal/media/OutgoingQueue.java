package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.internal.RtcDrops;
import java.util.ArrayDeque;

/**
 * Protected packets an {@code Rtc} has ready to send, in pool slots, oldest first. Bounded: when the
 * caller stops polling, or ICE has no path to send on, the oldest packet gives way (its slot back to the
 * pool, counted as {@link RtcDropReason#SEND_BUFFER_FULL}), so one stalled peer cannot take every slot of a
 * pool it shares with others. Stale media is worth less than fresh media anyway.
 */
public final class OutgoingQueue {
    /** About a second of 5 Mbit/s video in 1200-byte packets. */
    public static final int CAPACITY = 512;

    private final ArrayDeque<PacketBuffer> queue = new ArrayDeque<>();
    private final PacketPool pool;
    private final RtcDrops drops;

    OutgoingQueue(PacketPool pool, RtcDrops drops) {
        this.pool = pool;
        this.drops = drops;
    }

    void add(PacketBuffer slot) {
        if (queue.size() >= CAPACITY) {
            pool.release(queue.poll());
            drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
        }
        queue.add(slot);
    }

    /** The oldest packet, or {@link PacketBuffer#NONE}; the caller owns its slot from here. */
    PacketBuffer poll() {
        PacketBuffer next = queue.poll();
        return next == null ? PacketBuffer.NONE : next;
    }

    /** Every queued slot back to the pool (the {@code Rtc} is closing). */
    void clear() {
        for (PacketBuffer slot; (slot = queue.poll()) != null; ) {
            pool.release(slot);
        }
    }
}
