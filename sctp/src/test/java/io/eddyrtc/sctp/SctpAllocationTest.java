package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The steady state of a data channel allocates nothing: a message written on one side, carried in SCTP packets
 * (DATA, SACK), lent on the other side from its pool slot, echoed from that slot and lent back, round after round.
 * (What DTLS allocates per record is outside SCTP: see {@code perf/results/sctp.md}.)
 */
class SctpAllocationTest {
    private static final long MS = 1_000_000L;

    private final PacketPool pool = PacketPool.builder().debug(false).build(); // a debug pool makes a view per slot taken
    private final SctpAssociation a = new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(1), pool, MemoryBudget.of(1 << 22));
    private final SctpAssociation b = new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(2), pool, MemoryBudget.of(1 << 22));
    private final DataChannels channelsA = new DataChannels(a, true);
    private final DataChannels channelsB = new DataChannels(b, false);
    private long now = MS;
    private int echoed;
    private int returned;

    @Test
    void messagesEchoedRoundAfterRoundAllocateNothing() {
        a.connect(now);
        pump();
        channelsA.open(now, "echo", "", true);
        pump();
        MemorySegment message = MemorySegment.ofArray(new byte[1000]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int warm = 20_000;
        int measured = 10_000;
        long before = 0;
        for (int i = 0; i < warm + measured; i++) {
            if (i == warm) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            now += MS;
            channelsA.send(now, 0, true, message, 0, 1000);
            pump();
            if (i % 64 == 0) { // delayed SACKs and other timers fire now and then
                now += 250 * MS;
                a.handleTimeout(now);
                b.handleTimeout(now);
                pump();
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(warm + measured, echoed, "every message reached B");
        assertEquals(warm + measured, returned, "and came back");
        assertEquals(0, pool.inUse() - a.bufferedAmount() / 1000 - b.bufferedAmount() / 1000, "no slot kept but what waits");
        // real per-message allocation would be at least 16 bytes x 10,000 round trips; allow JVM bookkeeping
        assertTrue(allocated < 16_000, measured + " round trips allocated " + allocated + " bytes");
    }

    /** Moves packets both ways until both are quiet: B echoes each message from its slot, A counts what returns. */
    private void pump() {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (SctpTransmit t; (t = a.pollTransmit()) != null; moved = true) {
                b.handleReceive(now, t.bytes(), t.length());
            }
            for (SctpEvent e; (e = b.pollEvent()) != null; ) {
                feed(e, channelsB);
            }
            for (DataChannelEvent e; (e = channelsB.pollEvent()) != null; ) {
                if (e instanceof DataChannelEvent.Message m) {
                    channelsB.send(now, m.id(), m.binary(), m.segment(), 0, m.length());
                    echoed++;
                }
            }
            for (SctpTransmit t; (t = b.pollTransmit()) != null; moved = true) {
                a.handleReceive(now, t.bytes(), t.length());
            }
            for (SctpEvent e; (e = a.pollEvent()) != null; ) {
                feed(e, channelsA);
            }
            for (DataChannelEvent e; (e = channelsA.pollEvent()) != null; ) {
                if (e instanceof DataChannelEvent.Message) {
                    returned++;
                }
            }
        }
    }

    private void feed(SctpEvent e, DataChannels channels) {
        switch (e) {
            case SctpEvent.Message m -> channels.handle(now, m);
            case SctpEvent.StreamsReset r -> channels.handle(now, r);
            case SctpEvent.OutgoingStreamsReset r -> channels.handle(now, r);
            case SctpEvent.BufferedAmountLow low -> channels.handle(low);
            case SctpEvent.Connected c -> { }
            case SctpEvent.Closed c -> { }
        }
    }
}
