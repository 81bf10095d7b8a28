package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.internal.RtcDrops;

/**
 * Protected packets an {@code Rtc} has ready to send, in pool slots, in three lanes a pacer treats apart:
 * {@link Lane#IMMEDIATE} (RTCP, audio, packets of streams we cannot classify) is never held;
 * {@link Lane#REPAIR} (RTX) goes before {@link Lane#MEDIA} (video), both oldest first. Each packet keeps its
 * transport-wide number for the send history.
 *
 * <p>Bounded: when the caller stops polling, or ICE has no path to send on, the oldest video gives way (then
 * the oldest repair, then the oldest immediate packet; its slot back to the pool, counted as
 * {@link RtcDropReason#SEND_BUFFER_FULL}), so one stalled peer cannot take every slot of a pool it shares with
 * others. Stale media is worth less than fresh media anyway.
 */
public final class OutgoingQueue {
    /** About a second of 5 Mbit/s video in 1200-byte packets. */
    public static final int CAPACITY = 512;

    /** How a queued packet is paced. */
    enum Lane { IMMEDIATE, REPAIR, MEDIA }

    private final SlotRing immediate = new SlotRing();
    private final SlotRing repair = new SlotRing();
    private final SlotRing media = new SlotRing();
    private final PacketPool pool;
    private final RtcDrops drops;
    private long pacedBytes;
    private int polledSequence = -1;

    OutgoingQueue(PacketPool pool, RtcDrops drops) {
        this.pool = pool;
        this.drops = drops;
    }

    /** An immediate packet without a transport-wide number (RTCP). */
    void add(PacketBuffer slot) {
        add(slot, Lane.IMMEDIATE, -1);
    }

    /** {@code slot} (its length set) joins {@code lane}; {@code transportSequence} is its number, or -1. */
    void add(PacketBuffer slot, Lane lane, int transportSequence) {
        if (immediate.size() + repair.size() + media.size() >= CAPACITY) {
            dropOldest();
        }
        switch (lane) {
            case IMMEDIATE -> immediate.add(slot, transportSequence);
            case REPAIR -> repair.add(slot, transportSequence);
            case MEDIA -> media.add(slot, transportSequence);
        }
        if (lane != Lane.IMMEDIATE) {
            pacedBytes += slot.length();
        }
    }

    private void dropOldest() {
        PacketBuffer dropped;
        if (media.size() > 0 || repair.size() > 0) {
            dropped = media.size() > 0 ? media.poll() : repair.poll();
            pacedBytes -= dropped.length();
        } else {
            dropped = immediate.poll();
        }
        pool.release(dropped);
        drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
    }

    /** The oldest packet of the immediate lane, or {@link PacketBuffer#NONE}; the caller owns its slot from here. */
    PacketBuffer pollImmediate() {
        PacketBuffer next = immediate.poll();
        polledSequence = immediate.polledSequence();
        return next;
    }

    /** The oldest repair, else the oldest video, or {@link PacketBuffer#NONE}; the caller owns its slot from here. */
    PacketBuffer pollPaced() {
        SlotRing lane = repair.size() > 0 ? repair : media;
        PacketBuffer next = lane.poll();
        if (!next.isNone()) {
            polledSequence = lane.polledSequence();
            pacedBytes -= next.length();
        }
        return next;
    }

    /** The transport-wide number of the packet polled last, or -1. */
    int polledSequence() {
        return polledSequence;
    }

    /** Bytes waiting in the paced lanes (repair and video). */
    long pacedBytes() {
        return pacedBytes;
    }

    /** Every queued slot back to the pool (the {@code Rtc} is closing). */
    void clear() {
        releaseAll(immediate);
        releaseAll(repair);
        releaseAll(media);
        pacedBytes = 0;
    }

    private void releaseAll(SlotRing lane) {
        for (PacketBuffer slot; !(slot = lane.poll()).isNone(); ) {
            pool.release(slot);
        }
    }
}
