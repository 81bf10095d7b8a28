package io.eddyrtc.engine.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The steady-state claim, measured with the JVM's per-thread allocation counter: once warm, writing
 * a compound of every common kind (SR + SDES + NACK + PLI + FIR + REMB + TWCC + XR) and reading it
 * back, TWCC decode included, allocates nothing.
 */
class RtcpAllocationTest {
    private final RtcpWriter writer = new RtcpWriter();
    private final RtcpCompound compound = new RtcpCompound();
    private final TwccReport report = new TwccReport();
    private final MemorySegment out = Arena.ofAuto().allocate(1500);
    private final byte[] cname = "eddy-allocation-test".getBytes(StandardCharsets.US_ASCII);
    private final int[] lost = {100, 101, 105, 130, 131};
    private final long[] ssrcs = {7, 8};
    private final int[] seqs = new int[32];
    private final long[] times = new long[64];

    @Test
    void writingAndReadingAllocatesNothingOnceWarm() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long checksum = 0;
        long before = 0;
        int warm = 100_000;
        int measured = 20_000;
        for (int i = 0; i < warm + measured; i++) {
            if (i == warm) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            checksum += roundTrip(i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(checksum != 0);
        assertEquals(0, compound.droppedInCompound());
        // slack for the JVM's own bookkeeping (a deoptimisation, say); real per-compound allocation would
        // show up as at least 16 bytes x 20,000 compounds
        assertTrue(allocated < 16_000, measured + " compounds allocated " + allocated + " bytes");
    }

    private long roundTrip(int i) {
        report.begin(i, i);
        long t = 1_000_000_000L + i * 1_000_000L;
        for (int k = 0; k < 40; k++) {
            if (k % 9 == 4) {
                report.addLost();
            } else {
                report.addReceived(t + k * 700_000L);
            }
        }
        writer.begin(out, 0, 1500);
        writer.senderReport(1, 0xe000000080000000L + i, i, 10, 1000);
        writer.reportBlock(2, 1, 2, 3, 4, 5, 6);
        writer.sdesCname(1, cname);
        writer.nack(1, 2, lost, 0, lost.length);
        writer.pli(1, 2);
        writer.fir(1, 2, i);
        writer.remb(1, 1_500_000 + i, ssrcs, 2);
        writer.transportFeedback(1, 2, report);
        writer.extendedReport(1);
        writer.rrtr(0x0102030405060708L);
        writer.dlrr(2, 3, 4);
        int length = writer.finish();

        long sum = 0;
        compound.wrap(out, 0, length);
        while (compound.next()) {
            switch (compound.kind()) {
                case SENDER_REPORT -> sum += compound.senderReport().ntpTime() + compound.senderReport().jitter(0);
                case SOURCE_DESCRIPTION -> {
                    SourceDescription sdes = compound.sourceDescription();
                    while (sdes.nextChunk()) {
                        sum += sdes.cnameEquals(cname) ? 1 : 0;
                    }
                }
                case NACK -> sum += compound.nack().lostSequenceNumbers(seqs, 0);
                case PLI -> sum += compound.feedback().mediaSsrc();
                case FIR -> sum += compound.fullIntraRequest().entrySequenceNumber(0);
                case REMB -> sum += compound.remb().bitrate();
                case TRANSPORT_FEEDBACK -> sum += compound.transportFeedback().report().arrivalTimesNanos(times);
                case EXTENDED_REPORT -> {
                    ExtendedReport xr = compound.extendedReport();
                    while (xr.nextBlock()) {
                        sum += xr.blockType();
                    }
                }
                default -> sum--;
            }
        }
        return sum;
    }
}
