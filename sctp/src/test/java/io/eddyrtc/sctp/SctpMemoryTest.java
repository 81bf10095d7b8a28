package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.sctp.internal.SctpPacket;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An association that keeps message bytes in pool slots charged to a memory budget: what it holds shows in the
 * budget and the pool, writes past the budget are refused whole, a peer cannot make it hold more than the budget
 * (only the chunk next in order gets past, so an honest peer never stalls), and everything goes back at the end.
 */
@ExtendWith(SeedExtension.class)
class SctpMemoryTest {
    static final long MS = 1_000_000L;
    static final int SLOT = 2048;

    final PacketPool pool = PacketPool.builder().debug(true).slotSize(SLOT).slotsPerSlab(16).build();

    @AfterEach
    void everySlotIsBack() {
        assertEquals(0, pool.inUse(), "slots still held once the association ended");
        pool.close();
    }

    ScriptedPeer established(long seed, MemoryBudget budget) {
        SctpAssociation sctp = new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(seed), pool, budget);
        return new ScriptedPeer(sctp, SctpHostilePeerTest.PEER_TAG, SctpHostilePeerTest.PEER_TSN).establish(0);
    }

    @Test
    void aMessageIsLentFromItsSlotAndTheSlotGoesBackAfterThePoll(@Seed long seed) {
        MemoryBudget budget = MemoryBudget.of(1 << 20);
        ScriptedPeer peer = established(seed, budget);
        byte[] bytes = new byte[1000];
        new SplittableRandom(seed).nextBytes(bytes);
        peer.sctp.handleReceive(MS, peer.packet(peer.message(0, 3, 0, 53, true, bytes)));
        SctpEvent.Message m = (SctpEvent.Message) peer.sctp.pollEvent();
        assertEquals(1000, m.length());
        assertTrue(m.segment().isReadOnly() && m.segment().byteSize() == SLOT, "a view of the whole slot: " + m.segment());
        assertArrayEquals(bytes, m.data());
        assertEquals(1, pool.inUse());
        assertEquals(SLOT, budget.inUse(), "the lent slot is charged to the budget");
        peer.sctp.pollEvent(); // the next call on the association ends the loan
        assertEquals(0, pool.inUse());
        assertEquals(0, budget.inUse());
        peer.sctp.abort("done");
    }

    @Test
    void aWritePastTheBudgetIsRefusedWholeAndFitsOnceTheQueueDrains(@Seed long seed) {
        MemoryBudget budget = MemoryBudget.of(4 * SLOT);
        ScriptedPeer peer = established(seed, budget);
        int fragment = SctpConfig.defaults().mtu() - SctpPacket.COMMON_HEADER - SctpPacket.DATA_HEADER & ~3;
        byte[] threeFragments = new byte[2 * fragment + 10];
        peer.sctp.send(MS, 1, 53, threeFragments, true);
        assertEquals(3 * SLOT, budget.inUse(), "a slot per fragment until the peer acknowledges it");
        long queued = peer.sctp.bufferedAmount();
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> peer.sctp.send(MS, 1, 53, threeFragments, true));
        assertTrue(refused.getMessage().contains("send buffer"), refused.getMessage());
        assertEquals(queued, peer.sctp.bufferedAmount(), "nothing of the refused message was queued");
        assertEquals(3 * SLOT, budget.inUse());
        assertEquals(1, budget.refusals());
        peer.collect(MS);
        peer.receive(2 * MS, peer.packet(ScriptedPeer.sack(peer.associationInitialTsn + 2, 1 << 20, new int[0][])));
        assertEquals(0, budget.inUse(), "acknowledged: the slots went back");
        peer.sctp.send(3 * MS, 1, 53, threeFragments, true);
        assertEquals(3 * SLOT, budget.inUse());
        peer.sctp.abort("done");
        assertEquals(0, budget.inUse(), "an ABORT gives back what waited");
    }

    @Test
    void aPeerCannotMakeItHoldMoreThanTheBudgetAndTheChunkNextInOrderStillGetsIn(@Seed long seed) {
        MemoryBudget budget = MemoryBudget.of(2 * SLOT);
        ScriptedPeer peer = established(seed, budget);
        // three first fragments of messages that wait above a missing TSN: two fit the budget, the third is refused
        for (int offset = 1; offset <= 3; offset++) {
            peer.receive(MS, peer.packet(peer.data(offset, 1, offset, 53, SctpPacket.DATA_BEGIN, new byte[100])));
        }
        assertEquals(1, peer.sctp.dropped(SctpDropReason.NO_MEMORY));
        assertEquals(2, peer.sctp.receiveBufferedFragments());
        assertEquals(2 * SLOT, budget.inUse());
        // the chunk next in order is what lets held data drain: taken though the budget is full
        peer.receive(2 * MS, peer.packet(peer.message(0, 2, 0, 53, true, new byte[] {42})));
        assertTrue(peer.events.stream().anyMatch(e -> e instanceof SctpEvent.Message m && m.stream() == 2
                && m.data()[0] == 42), "delivered: " + peer.events);
        assertEquals(2 * SLOT, budget.inUse(), "the in-order chunk went onto the heap, uncharged");
        peer.sctp.abort("done");
        assertEquals(0, budget.inUse(), "the held fragments gave their slots back");
    }

    @Test
    void aMessageOfSeveralFragmentsIsJoinedInOneSlotWhenItFitsAndOnTheHeapWhenItDoesNot(@Seed long seed) {
        MemoryBudget budget = MemoryBudget.of(1 << 20);
        ScriptedPeer peer = established(seed, budget);
        byte[] first = new byte[1000];
        byte[] second = new byte[900];
        java.util.Arrays.fill(second, (byte) 7);
        peer.receive(MS, peer.packet(peer.data(0, 1, 0, 53, SctpPacket.DATA_BEGIN, first)));
        peer.sctp.handleReceive(MS, peer.packet(peer.data(1, 1, 0, 53, SctpPacket.DATA_END, second)));
        SctpEvent.Message joined = (SctpEvent.Message) peer.sctp.pollEvent();
        assertEquals(1900, joined.length());
        assertEquals(SLOT, joined.segment().byteSize(), "1,900 bytes fit one slot: joined in the first fragment's");
        assertEquals(7, joined.data()[1899]);
        assertEquals(1, pool.inUse(), "the second fragment's slot went back");
        peer.receive(2 * MS, peer.packet(peer.data(2, 1, 1, 53, SctpPacket.DATA_BEGIN, new byte[1100])));
        peer.sctp.handleReceive(2 * MS, peer.packet(peer.data(3, 1, 1, 53, SctpPacket.DATA_END, new byte[1100])));
        SctpEvent.Message big = (SctpEvent.Message) peer.sctp.pollEvent();
        assertEquals(2200, big.length());
        assertEquals(2200, big.segment().byteSize(), "2,200 bytes are more than a slot: one heap array of its own");
        assertEquals(0, pool.inUse(), "both fragments' slots went back");
        peer.sctp.abort("done");
    }
}
