package io.eddyrtc.engine.packet;

import io.eddyrtc.buffers.MemoryBudget;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.packet.Captures.Emitted;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reordering, duplicates, loss, retransmission, oversize frames and window overflow in the assembler. */
class FrameAssemblerTest {

    /** One RTP packet of a generated VP8 stream. */
    record Packet(long seq, long ts, boolean marker, byte[] payload) {}

    /** {@code count} VP8 frames of 200 to 1500 bytes at MTU 300 (one to six packets each), from sequence 100. */
    static List<Packet> stream(int count, List<byte[]> frames, long seed) {
        Random r = new Random(seed);
        Vp8Packetizer p = new Vp8Packetizer();
        MemorySegment out = MemorySegment.ofArray(new byte[300]);
        List<Packet> packets = new ArrayList<>();
        long seq = 100;
        for (int i = 0; i < count; i++) {
            byte[] f = RoundTripPacketizerTest.bytes(r, 200 + r.nextInt(1300));
            f[0] = (byte) (i == 0 ? f[0] & ~1 : f[0] | 1);
            frames.add(f);
            p.begin(MemorySegment.ofArray(f), 0, f.length, 300);
            while (p.hasNext()) {
                int n = p.next(out, 0);
                packets.add(new Packet(seq++, 90_000L + 3000L * i, p.marker(), out.asSlice(0, n).toArray(
                        java.lang.foreign.ValueLayout.JAVA_BYTE)));
            }
        }
        return packets;
    }

    static List<Emitted> feed(FrameAssembler a, List<Packet> packets) {
        List<Emitted> out = new ArrayList<>();
        for (Packet p : packets) {
            a.push(p.seq(), p.ts(), p.marker(), MemorySegment.ofArray(p.payload()), 0, p.payload().length);
            Captures.drain(a, out);
        }
        return out;
    }

    static FrameAssembler assembler(int holdBack) {
        return new FrameAssembler(new Vp8PayloadDepacketizer(), AssemblerPools.pool(1500), MemoryBudget.unlimited(), 64, 1 << 20, holdBack);
    }

    static int frameIndex(Emitted e) {
        return (int) ((e.timestamp() - 90_000) / 3000);
    }

    @Test
    void inOrderPacketsGiveEveryFrame() {
        List<byte[]> frames = new ArrayList<>();
        List<Emitted> out = feed(assembler(3), stream(50, frames, 1));
        assertEquals(50, out.size());
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(frames.get(i), out.get(i).data());
            assertTrue(out.get(i).contiguous());
            assertEquals(i == 0, out.get(i).keyframe());
        }
    }

    @Test
    void reorderingWithinTheWindowIsUndone() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(60, frames, 2);
        Random r = new Random(7);
        for (int at = 0; at + 8 <= packets.size(); at += 8) {
            Collections.shuffle(packets.subList(at, at + 8), r);
        }
        FrameAssembler a = assembler(3);
        List<Emitted> out = feed(a, packets);
        assertEquals(60, out.size());
        for (int i = 0; i < 60; i++) {
            assertArrayEquals(frames.get(i), out.get(i).data(), "frame " + i);
            assertTrue(out.get(i).contiguous());
        }
        assertEquals(0, a.framesDropped());
    }

    @Test
    void duplicatesAreCountedAndIgnored() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(20, frames, 3);
        List<Packet> doubled = new ArrayList<>();
        for (Packet p : packets) {
            doubled.add(p);
            doubled.add(p); // a duplicate while held, or right after its frame went out
        }
        doubled.add(packets.get(0)); // long after: too late
        FrameAssembler a = assembler(3);
        List<Emitted> out = feed(a, doubled);
        assertEquals(20, out.size());
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(frames.get(i), out.get(i).data());
        }
        assertEquals(packets.size() + 1, a.packetsDuplicate() + a.packetsLate());
        assertTrue(a.packetsDuplicate() > 0 && a.packetsLate() > 0);
    }

    @Test
    void aSlotIsHeldOnlyWhileItsFrameWaitsAndAQuietStreamShrinks() {
        io.eddyrtc.buffers.PacketPool pool = io.eddyrtc.buffers.PacketPool.builder().slotSize(1500).slotsPerSlab(32).debug(true)
                .build(); // debug: a slot used after it went back would throw
        MemoryBudget budget = MemoryBudget.unlimited();
        FrameAssembler a = new FrameAssembler(new Vp8PayloadDepacketizer(), pool, budget, 512, 1 << 20, 3);
        long idle = a.memoryHeld();
        assertEquals(FrameAssembler.MIN_WINDOW, a.windowSize(), "a new stream starts with the smallest ring");
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(40, frames, 8);
        Packet lost = firstMultiPacketFrameMiddle(packets, 5);
        packets.remove(lost);
        List<Emitted> out = new ArrayList<>();
        int mostHeld = 0;
        for (Packet p : packets) {
            a.push(p.seq(), p.ts(), p.marker(), MemorySegment.ofArray(p.payload()), 0, p.payload().length);
            Captures.drain(a, out);
            mostHeld = Math.max(mostHeld, pool.inUse());
            assertEquals(a.packetsHeld(), pool.inUse(), "one slot per packet waiting, no more");
        }
        assertEquals(39, out.size(), "every frame but the one with the hole");
        assertTrue(mostHeld > 6, "the frames behind the hole waited in slots: " + mostHeld);
        assertEquals(0, pool.inUse(), "once they are out, every slot is back");
        assertEquals(a.memoryHeld(), budget.inUse(), "what it holds is what it charged");
        assertTrue(a.memoryHeld() > idle, "the hole grew the ring");
        a.trim();
        assertEquals(FrameAssembler.MIN_WINDOW, a.windowSize());
        assertEquals(idle, a.memoryHeld(), "trimmed back to what a new stream holds");
        Packet next = stream(41, new ArrayList<>(), 8).get(packets.size() + 1); // the stream goes on after a trim
        a.push(next.seq(), next.ts(), next.marker(), MemorySegment.ofArray(next.payload()), 0, next.payload().length);
        a.close();
        assertEquals(0, budget.inUse(), "closed: every byte back to the budget");
        pool.close(); // throws if a slot leaked
    }

    @Test
    void pastTheBudgetAPacketIsDroppedAndCountedNotKept() {
        MemoryBudget budget = MemoryBudget.of(FrameAssembler.MIN_WINDOW * FrameAssembler.ENTRY_BYTES + 2048 + 3 * 1500);
        FrameAssembler a = new FrameAssembler(new Vp8PayloadDepacketizer(), AssemblerPools.pool(1500), budget, 512, 1 << 20, 3);
        List<Packet> packets = stream(10, new ArrayList<>(), 9);
        packets.remove(firstMultiPacketFrameMiddle(packets, 1)); // a hole early: everything after it waits
        for (Packet p : packets) {
            a.push(p.seq(), p.ts(), p.marker(), MemorySegment.ofArray(p.payload()), 0, p.payload().length);
            while (a.pop()) {
                // frames after the hole wait; the budget fills first
            }
        }
        assertTrue(a.packetsRefused() > 0, "some packets found no room");
        assertTrue(budget.inUse() <= budget.limit());
        a.close();
        assertEquals(0, budget.inUse());
    }

    @Test
    void aLostPacketDropsOnlyItsFrameOnceEnoughFramesWaitBehindIt() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(30, frames, 4);
        Packet lost = firstMultiPacketFrameMiddle(packets, 5);
        packets.remove(lost);
        int lostFrame = (int) ((lost.ts() - 90_000) / 3000);
        FrameAssembler a = assembler(3);
        List<Emitted> out = new ArrayList<>();
        int completeAfterHole = 0;
        for (Packet p : packets) {
            a.push(p.seq(), p.ts(), p.marker(), MemorySegment.ofArray(p.payload()), 0, p.payload().length);
            if (p.marker() && p.ts() > lost.ts()) {
                completeAfterHole++;
            }
            int before = out.size();
            Captures.drain(a, out);
            if (out.size() > before && frameIndex(out.get(out.size() - 1)) > lostFrame) {
                assertTrue(completeAfterHole > 3, "held until more than three complete frames wait");
            }
        }
        assertEquals(29, out.size());
        assertEquals(1, a.framesDropped());
        for (Emitted e : out) {
            int i = frameIndex(e);
            assertTrue(i != lostFrame, "a frame with a hole is never emitted");
            assertArrayEquals(frames.get(i), e.data());
            assertEquals(i != lostFrame + 1, e.contiguous(), "frame " + i);
        }
    }

    @Test
    void aRetransmissionInTimeFillsTheHole() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(30, frames, 5);
        Packet late = firstMultiPacketFrameMiddle(packets, 5);
        int at = packets.indexOf(late);
        packets.remove(at);
        packets.add(at + 6, late); // arrives a few packets later, as a NACKed retransmission would
        FrameAssembler a = assembler(3);
        List<Emitted> out = feed(a, packets);
        assertEquals(30, out.size());
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(frames.get(i), out.get(i).data());
            assertTrue(out.get(i).contiguous());
        }
    }

    @Test
    void losingTheFirstOrTheMarkerPacketDropsTheFrame() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(30, frames, 6);
        Packet first = firstPacketOfMultiPacketFrame(packets, 5);
        Packet marker = null;
        for (int i = packets.indexOf(first) + 1; i < packets.size(); i++) {
            if (packets.get(i).marker() && packets.get(i).ts() > first.ts()
                    && !packets.get(i - 1).marker()) {
                marker = packets.get(i); // the end of a later multi-packet frame
                break;
            }
        }
        packets.remove(first);
        packets.remove(marker);
        FrameAssembler a = assembler(0);
        List<Emitted> out = feed(a, packets);
        assertEquals(28, out.size());
        for (Emitted e : out) {
            assertTrue(e.timestamp() != first.ts() && e.timestamp() != marker.ts());
            assertArrayEquals(frames.get(frameIndex(e)), e.data());
        }
        assertEquals(2, a.framesDropped());
    }

    @Test
    void anOversizeFrameIsDroppedAndCounted() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(30, frames, 8);
        FrameAssembler a = new FrameAssembler(new Vp8PayloadDepacketizer(), AssemblerPools.pool(1500), MemoryBudget.unlimited(), 64, 1000, 3);
        List<Emitted> out = feed(a, packets);
        long big = frames.stream().filter(f -> f.length > 1000).count();
        assertTrue(big > 0);
        assertEquals(30 - big, out.size());
        assertEquals(big, a.framesOversize());
        out.forEach(e -> assertTrue(e.data().length <= 1000));
        assertEquals(1000, a.frame().maxBytes());
    }

    @Test
    void aFullWindowForcesTheAssemblerPastAHole() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(40, frames, 9);
        Packet lost = firstMultiPacketFrameMiddle(packets, 2);
        packets.remove(lost);
        // a hold-back longer than the stream: only the 16-packet window makes it give up
        FrameAssembler a = new FrameAssembler(new Vp8PayloadDepacketizer(), AssemblerPools.pool(1500), MemoryBudget.unlimited(), 16, 1 << 20, 1000);
        List<Emitted> out = feed(a, packets);
        assertTrue(out.size() > 30, out.size() + " frames");
        assertFalse(out.stream().anyMatch(e -> e.timestamp() == lost.ts()));
        assertEquals(1, out.stream().filter(e -> !e.contiguous()).count());
    }

    @Test
    void aSequenceJumpRestartsTheStream() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(10, frames, 10);
        FrameAssembler a = assembler(3);
        List<Emitted> out = feed(a, packets.subList(0, packets.size() - 1)); // last frame incomplete
        List<Packet> later = new ArrayList<>();
        for (Packet p : packets) {
            later.add(new Packet(p.seq() + 1_000_000, p.ts() + 3000 * 20, p.marker(), p.payload()));
        }
        out.addAll(feed(a, later));
        assertEquals(9 + 10, out.size());
        assertFalse(out.get(9).contiguous(), "the frames before the jump were lost");
    }

    @Test
    void paddingBetweenFramesIsSteppedOver() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(30, frames, 11);
        List<Packet> padded = new ArrayList<>();
        long shift = 0;
        Random r = new Random(12);
        for (Packet p : packets) {
            padded.add(new Packet(p.seq() + shift, p.ts(), p.marker(), p.payload()));
            if (p.marker() && r.nextBoolean()) {
                for (int i = 0; i < 1 + r.nextInt(3); i++) { // probes between frames, timestamp of the last
                    shift++;
                    padded.add(new Packet(p.seq() + shift, p.ts(), false, new byte[0]));
                }
            }
        }
        Collections.swap(padded, 10, 11); // and a little reordering
        FrameAssembler a = assembler(3);
        List<Emitted> out = feed(a, padded);
        assertEquals(30, out.size());
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(frames.get(i), out.get(i).data());
            assertTrue(out.get(i).contiguous(), "frame " + i);
        }
        assertTrue(a.packetsPadding() > 5);
        assertEquals(0, a.framesDropped());
        // a lost packet next to padding still drops just its frame
        Packet lost = firstMultiPacketFrameMiddle(padded, 20);
        padded.remove(lost);
        FrameAssembler b = assembler(0);
        List<Emitted> out2 = feed(b, padded);
        assertEquals(29, out2.size());
        assertEquals(1, b.framesDropped());
    }

    @Test
    void resetStartsOverFromTheNextPacket() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(10, frames, 13);
        FrameAssembler a = assembler(3);
        List<Emitted> out = feed(a, packets.subList(0, packets.size() / 2));
        a.reset();
        List<Packet> restarted = new ArrayList<>();
        for (Packet p : packets) {
            restarted.add(new Packet(p.seq() - 50, p.ts(), p.marker(), p.payload())); // lower: would be late
        }
        List<Emitted> again = feed(a, restarted);
        assertEquals(10, again.size());
        assertTrue(again.get(0).contiguous());
        assertTrue(out.size() >= 4);
    }

    /** A format with no frame-start flag at all: boundaries come from markers alone. */
    static final class MarkerOnly implements Depacketizer {
        @Override
        public boolean isFrameStart(MemorySegment payload, long offset, int length) {
            return false;
        }

        @Override
        public boolean isFrameEnd(MemorySegment payload, long offset, int length, boolean marker) {
            return marker;
        }

        @Override
        public void beginFrame() {
        }

        @Override
        public boolean depacketize(MemorySegment payload, long offset, int length, FrameBuffer out) {
            return out.append(payload, offset, length);
        }

        @Override
        public boolean endFrame(FrameBuffer out) {
            return true;
        }

        @Override
        public boolean keyframe() {
            return false;
        }
    }

    @Test
    void withoutStartFlagsMarkersAloneRecoverFromJoiningMidFrameAndFromLoss() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(40, frames, 14);
        int joinAt = packets.indexOf(firstMultiPacketFrameMiddle(packets, 1)); // join the stream mid-frame
        List<Packet> seen = new ArrayList<>(packets.subList(joinAt, packets.size()));
        Packet lost = firstMultiPacketFrameMiddle(seen, 20);
        seen.remove(lost);
        FrameAssembler a = new FrameAssembler(new MarkerOnly(), AssemblerPools.pool(1500), MemoryBudget.unlimited(), 64, 1 << 20, 2);
        List<Emitted> out = feed(a, seen);
        int joinedFrame = (int) ((packets.get(joinAt).ts() - 90_000) / 3000);
        int lostFrame = (int) ((lost.ts() - 90_000) / 3000);
        assertEquals(40 - joinedFrame - 2, out.size(), "every frame but the joined and the lost one");
        for (Emitted e : out) {
            int i = frameIndex(e);
            assertTrue(i > joinedFrame && i != lostFrame);
            // the VP8 descriptor is left in: compare the bitstream after the 4-byte descriptors
            assertEquals(frames.get(i).length + 4L * (e.lastSeq() - e.firstSeq() + 1), e.data().length);
            assertEquals(i != joinedFrame + 1 && i != lostFrame + 1, e.contiguous(), "frame " + i);
        }
    }

    @Test
    void theFirstPacketsMayArriveOutOfOrder() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(20, frames, 15);
        List<Packet> shaken = new ArrayList<>(packets);
        Collections.reverse(shaken.subList(0, 5)); // the first frame's tail arrives first
        FrameAssembler a = assembler(3);
        List<Emitted> out = feed(a, shaken);
        assertEquals(20, out.size());
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(frames.get(i), out.get(i).data());
            assertTrue(out.get(i).contiguous());
        }
        assertEquals(0, a.packetsLate());
    }

    @Test
    void joiningMidFrameCostsOneFrameAndNoWait() {
        List<byte[]> frames = new ArrayList<>();
        List<Packet> packets = stream(20, frames, 16);
        int joinAt = packets.indexOf(firstMultiPacketFrameMiddle(packets, 2));
        FrameAssembler a = assembler(3);
        List<Emitted> out = new ArrayList<>();
        for (int i = joinAt; i < packets.size(); i++) {
            Packet p = packets.get(i);
            a.push(p.seq(), p.ts(), p.marker(), MemorySegment.ofArray(p.payload()), 0, p.payload().length);
            Captures.drain(a, out);
            if (p.marker() && p.ts() > packets.get(joinAt).ts()) {
                assertEquals(p.ts(), out.get(out.size() - 1).timestamp(), "each complete frame out at once");
            }
        }
        assertFalse(out.get(0).contiguous());
        assertEquals(1, a.framesDropped());
    }

    @Test
    void badWindowsAndOversizePayloadsAreRefused() {
        FrameAssembler a = new FrameAssembler(new AudioDepacketizer(), AssemblerPools.pool(100), MemoryBudget.unlimited(), 8, 100, 0);
        MemorySegment s = MemorySegment.ofArray(new byte[200]);
        assertFalse(a.push(1, 0, false, s, 150, 100));
        assertFalse(a.push(1, 0, false, s, -1, 10));
        assertFalse(a.push(1, 0, false, s, 0, 101));
        assertEquals(1, a.packetsOversize());
        assertTrue(a.push(1, 0, false, s, 0, 100));
        assertTrue(a.pop());
        assertEquals(100, a.frame().length());
        assertFalse(a.pop());
    }

    /** A middle packet (neither first nor last) of the first frame from index {@code from} with three or more packets. */
    static Packet firstMultiPacketFrameMiddle(List<Packet> packets, int from) {
        Packet first = firstPacketOfMultiPacketFrame(packets, from);
        return packets.get(packets.indexOf(first) + 1);
    }

    static Packet firstPacketOfMultiPacketFrame(List<Packet> packets, int from) {
        for (int i = 1; i + 2 < packets.size(); i++) {
            Packet p = packets.get(i);
            if ((p.ts() - 90_000) / 3000 >= from && packets.get(i - 1).marker() && !p.marker()
                    && !packets.get(i + 1).marker()) {
                return p;
            }
        }
        throw new AssertionError("no frame of three packets");
    }
}
