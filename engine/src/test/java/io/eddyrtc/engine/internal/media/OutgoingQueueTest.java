package io.eddyrtc.engine.internal.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.internal.RtcDrops;
import org.junit.jupiter.api.Test;

/** The outgoing queue's lanes: what a pacer may hold and in which order it leaves. */
class OutgoingQueueTest {
    final PacketPool pool = PacketPool.builder().debug(false).slotSize(256).slotsPerSlab(64).maxSlots(2048).build();
    final RtcDrops drops = new RtcDrops();
    final OutgoingQueue queue = new OutgoingQueue(pool, drops);

    PacketBuffer slot(int length) {
        return pool.acquire().length(length);
    }

    @Test
    void immediatePacketsNeverWaitAndRepairsGoBeforeVideo() {
        PacketBuffer video = slot(100);
        PacketBuffer repair = slot(90);
        PacketBuffer audio = slot(50);
        PacketBuffer rtcp = slot(40);
        queue.add(video, OutgoingQueue.Lane.MEDIA, 1);
        queue.add(repair, OutgoingQueue.Lane.REPAIR, 2);
        queue.add(audio, OutgoingQueue.Lane.IMMEDIATE, 3);
        queue.add(rtcp);
        assertEquals(190, queue.pacedBytes(), "only repairs and video are paced");
        assertSame(audio, queue.pollImmediate());
        assertEquals(3, queue.polledSequence());
        assertSame(rtcp, queue.pollImmediate());
        assertEquals(-1, queue.polledSequence(), "RTCP has no transport-wide number");
        assertTrue(queue.pollImmediate().isNone());
        assertSame(repair, queue.pollPaced(), "the repair first, though the video was queued before it");
        assertEquals(2, queue.polledSequence());
        assertSame(video, queue.pollPaced());
        assertEquals(1, queue.polledSequence());
        assertEquals(0, queue.pacedBytes());
        assertTrue(queue.pollPaced().isNone());
    }

    @Test
    void whenFullTheOldestVideoGivesWay() {
        PacketBuffer audio = slot(50);
        queue.add(audio, OutgoingQueue.Lane.IMMEDIATE, 0);
        PacketBuffer oldest = slot(100);
        queue.add(oldest, OutgoingQueue.Lane.MEDIA, 1);
        for (int i = 2; i < OutgoingQueue.CAPACITY; i++) {
            queue.add(slot(100), OutgoingQueue.Lane.MEDIA, i);
        }
        queue.add(slot(100), OutgoingQueue.Lane.MEDIA, OutgoingQueue.CAPACITY);
        assertEquals(1, drops.dropped(RtcDropReason.SEND_BUFFER_FULL));
        assertSame(audio, queue.pollImmediate(), "the audio stays");
        pool.release(audio);
        PacketBuffer next = queue.pollPaced();
        assertEquals(2, queue.polledSequence(), "the oldest video went");
        pool.release(next);
        assertEquals(100L * (OutgoingQueue.CAPACITY - 2), queue.pacedBytes());
        queue.clear();
        assertEquals(0, pool.inUse(), "every slot back to the pool");
    }
}
