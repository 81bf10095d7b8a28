package io.eddyrtc.engine.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.rtp.RtpDropReason;
import io.eddyrtc.engine.rtp.RtpHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class RtxHistoryTest {
    private static final long MS = 1_000_000L;
    private final PacketPool pool = PacketPool.builder().slotSize(256).slotsPerSlab(64).maxSlots(4096).build();
    private final MemorySegment packet = MemorySegment.ofArray(new byte[200]);

    /** Sends {@code count} packets {@code gapMs} apart from {@code first}, numbered from {@code seq}. */
    private long send(RtxHistory h, long first, long seq, int count, long gapMs) {
        for (int i = 0; i < count; i++) {
            packet.set(ValueLayout.JAVA_BYTE, 0, (byte) (seq + i));
            h.put(first + i * gapMs * MS, seq + i, packet, 0, 200);
        }
        return first + (count - 1) * gapMs * MS;
    }

    @Test
    void theRingFollowsTheRateUpAndDownAndAQuietStreamKeepsNoSlot() {
        MemoryBudget budget = MemoryBudget.unlimited();
        RtxHistory h = new RtxHistory(pool, budget, 1_000 * MS, 4096);
        assertEquals(RtxHistory.MIN_RING, h.ringSize());
        long now = send(h, 0, 1000, 400, 5); // 200 packets a second
        assertEquals(256, h.ringSize(), "a second of 200 packets: the ring doubled to 256");
        assertEquals(256, h.held(), "older packets wait for the next expiry or to be overwritten");
        h.expire(now);
        assertEquals(201, h.held(), "what the last second sent (both ends included), no more");
        assertTrue(h.find(now, 1000 + 399) >= 0);
        assertTrue(h.find(now, 1000 + 199) >= 0, "exactly a second old: still kept");
        assertEquals(-1, h.find(now, 1000 + 198), "older than the window");
        long seq = 1400;
        for (int second = 0; second < 6; second++) { // 50 packets a second, expired every 250 ms
            for (int quarter = 0; quarter < 4; quarter++) {
                now = send(h, now + 20 * MS, seq, 12, 20);
                seq += 12;
                h.expire(now);
            }
            if (second < 3) {
                assertEquals(256, h.ringSize(), "a quarter full for " + (second + 1) + " s: the ring keeps its size");
            }
        }
        assertEquals(128, h.ringSize(), "a quarter full for four windows: the ring halved, keeping room to grow back");
        assertTrue(h.held() >= 48 && h.held() <= 51, "a second at 50 packets: " + h.held());
        now += 1_001 * MS;
        h.expire(now);
        assertEquals(0, h.held(), "quiet for a window: nothing kept");
        assertEquals(0, pool.inUse(), "every slot back to the pool");
        for (int i = 1; i <= 4; i++) {
            h.expire(now + i * 1_000 * MS);
        }
        assertEquals(RtxHistory.MIN_RING, h.ringSize(), "quiet for four windows more: the smallest ring");
        assertEquals((long) RtxHistory.MIN_RING * RtxHistory.ENTRY_BYTES, budget.inUse(), "only the smallest ring charged");
        pool.checkNoLeaks();
    }

    /**
     * A rate that swings (a loaded host, bursts of frames): 1,000 packets a second, then 100, second after second.
     * The ring grows to the high rate once and keeps that size, rather than halving in every slow second and
     * doubling again in the next fast one — a new ring each time, garbage at the rate of the traffic.
     */
    @Test
    void aRateThatSwingsKeepsOneRing() {
        RtxHistory h = new RtxHistory(pool, MemoryBudget.unlimited(), 1_000 * MS, 4096);
        java.util.Set<Integer> sizes = new java.util.TreeSet<>();
        long now = 0;
        long seq = 0;
        for (int second = 0; second < 8; second++) {
            int rate = second % 2 == 0 ? 1_000 : 100;
            for (int quarter = 0; quarter < 4; quarter++) {
                now = send(h, now + 1_000 * MS / rate, seq, rate / 4, 1_000 / rate);
                seq += rate / 4;
                h.expire(now);
                if (second > 0) {
                    sizes.add(h.ringSize());
                }
            }
        }
        assertEquals(java.util.Set.of(1024), sizes, "one ring once the fast rate was seen");
        h.clear();
        assertEquals(0, pool.inUse());
    }

    @Test
    void theRingStopsGrowingAtItsCapAndThenForgetsTheOldest() {
        RtxHistory h = new RtxHistory(pool, MemoryBudget.unlimited(), 1_000 * MS, 32);
        long now = send(h, 0, 0, 100, 1);
        assertEquals(32, h.ringSize());
        assertEquals(32, h.held());
        assertEquals(-1, h.find(now, 67), "pushed out by the cap, though inside the window");
        assertTrue(h.find(now, 68) >= 0);
        h.clear();
        assertEquals(0, pool.inUse());
    }

    @Test
    void pastTheBudgetAPacketIsNotKeptAndCounted() {
        MemoryBudget budget = MemoryBudget.of(RtxHistory.MIN_RING * RtxHistory.ENTRY_BYTES + 3 * 256);
        RtxHistory h = new RtxHistory(pool, budget, 1_000 * MS, 4096);
        send(h, 0, 0, 5, 1);
        assertEquals(3, h.held(), "three slots fit the budget");
        assertEquals(2, h.refused());
        assertEquals(2, budget.refusals());
        assertEquals(3, pool.inUse());
        h.clear();
        assertEquals(0, pool.inUse());
    }

    @Test
    void aCacheLeavesThePoolsLastEighthToPacketsInFlight() {
        PacketPool small = PacketPool.builder().slotSize(256).slotsPerSlab(16).maxSlots(16).build();
        RtxHistory h = new RtxHistory(small, MemoryBudget.unlimited(), 1_000 * MS, 4096);
        send(h, 0, 0, 20, 1);
        assertEquals(14, h.held());
        assertEquals(6, h.refused());
        assertTrue(!small.acquire().isNone(), "sending still finds a slot");
        h.clear();
    }

    @Test
    void aSharedSlotIsHeldNotCopiedAndTheRtxPacketCarriesThisStreamsRewrite() {
        PacketBuffer received = pool.acquire();
        MemorySegment s = received.segment();
        int len = RtpHeader.write(s, 0, 256, 100, true, 7, 111_111L, 0xAAAAL, null, null);
        s.asSlice(len, 50).fill((byte) 0x42);
        received.length(len + 50);

        MemoryBudget one = MemoryBudget.unlimited();
        MemoryBudget two = MemoryBudget.unlimited();
        SendStream a = new SendStream(SendStreamConfig.video(0xB1, 96).withRtx(0xB2, 97), pool, one);
        SendStream b = new SendStream(SendStreamConfig.video(0xC1, 98).withRtx(0xC2, 99), pool, two);
        a.recordShared(0, received, 500, 9_000L);
        b.recordShared(0, received, 60_000, 1_234_567L);
        received.release(); // the receiving side is done with it; both histories still hold it
        assertEquals(1, pool.inUse(), "one slot for both subscribers");
        assertEquals(2, pool.holders(received));
        assertEquals(one.inUse(), two.inUse(), "each charged the slot in full: what it alone keeps alive");

        MemorySegment out = MemorySegment.ofArray(new byte[256]);
        RtpHeader h = new RtpHeader();
        int rtx = b.answerNack(10 * MS, 60_000, out, 0, 256);
        assertEquals(len + 50 + 2, rtx);
        assertEquals(RtpDropReason.NONE, h.parse(out, 0, rtx));
        assertEquals(0xC2, h.ssrc());
        assertEquals(99, h.payloadType());
        assertEquals(60_000, BigEndian.u16(out, h.payloadOffset()), "the OSN is b's number, not the publisher's 7");
        ReceiveStream r = new ReceiveStream(0xC1, ReceiveStreamConfig.defaults(90_000));
        assertEquals(ReceiveOutcome.NEW, r.onRtx(10 * MS, h, 98));
        assertEquals(60_000, h.sequenceNumber());
        assertEquals(1_234_567L, h.timestamp(), "b's timestamp");
        assertTrue(h.marker(), "the marker is the publisher's");
        byte[] payload = new byte[50];
        java.util.Arrays.fill(payload, (byte) 0x42);
        assertArrayEquals(payload, out.asSlice(h.offset() + h.payloadOffset(), 50).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(7, BigEndian.u16(received.segment(), 2), "the shared slot itself is untouched");

        a.close();
        assertEquals(1, pool.inUse());
        b.close();
        assertEquals(0, pool.inUse(), "the last holder gives it back");
        pool.checkNoLeaks();
    }

    /**
     * An SFU that renumbered a VP8 packet's picture id and TL0PICIDX for one subscriber (a simulcast switch) sends
     * its repairs with the same numbers: a repair with the publisher's would be a frame of another encoder to the
     * subscriber. The shared slot keeps the publisher's.
     */
    @Test
    void aRepairOfASharedVp8PacketCarriesThePictureNumbersItWentOutWith() {
        PacketBuffer received = pool.acquire();
        MemorySegment s = received.segment();
        int len = RtpHeader.write(s, 0, 256, 100, true, 7, 111_111L, 0xAAAAL, null, null);
        byte[] descriptor = {(byte) 0x90, (byte) 0xE0, (byte) 0x80 | 0x12, 0x34, 0x56, 0x40}; // X, S; I L T; 15-bit id 0x1234; TL0 0x56
        MemorySegment.copy(MemorySegment.ofArray(descriptor), 0, s, len, descriptor.length);
        s.asSlice(len + descriptor.length, 40).fill((byte) 0x42);
        received.length(len + descriptor.length + 40);

        SendStream b = new SendStream(SendStreamConfig.video(0xC1, 98).withRtx(0xC2, 99), pool, MemoryBudget.unlimited());
        b.recordShared(0, received, 60_000, 1_234_567L, 0x0ABC, 0x07);

        MemorySegment out = MemorySegment.ofArray(new byte[256]);
        RtpHeader h = new RtpHeader();
        int rtx = b.answerNack(10 * MS, 60_000, out, 0, 256);
        assertEquals(RtpDropReason.NONE, h.parse(out, 0, rtx));
        long vp8 = h.payloadOffset() + 2; // after the OSN
        assertEquals(0x80 | 0x0A, BigEndian.u8(out, vp8 + 2), "the repair's picture id is the subscriber's (15 bits kept)");
        assertEquals(0xBC, BigEndian.u8(out, vp8 + 3));
        assertEquals(0x07, BigEndian.u8(out, vp8 + 4), "and its TL0PICIDX");
        assertEquals(0x40, BigEndian.u8(out, vp8 + 5), "the TID byte is the publisher's");
        assertEquals(0x34, BigEndian.u8(received.segment(), len + 3), "the shared slot keeps the publisher's numbers");
        assertEquals(0x56, BigEndian.u8(received.segment(), len + 4));
        received.release();
        b.close();
        pool.checkNoLeaks();
    }
}
