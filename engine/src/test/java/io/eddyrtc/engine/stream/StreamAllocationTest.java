package io.eddyrtc.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.rtp.RtpExtensionValues;
import io.eddyrtc.engine.rtp.RtpHeader;
import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The steady-state claim of the packet path, checked with the thread allocation counter (the JMH figures
 * in {@code perf/results/rtp.md} say the same): a sender writing packets with extensions and answering
 * NACKs with RTX, a receiver parsing them, reading extensions, accounting, polling NACKs and unwrapping RTX,
 * allocate nothing once warm.
 */
class StreamAllocationTest {
    @Test
    void sendReceiveNackRtxAllocateNothingOnceWarm() {
        ExtensionMap map = new ExtensionMap().set(1, RtpExtension.MID).set(3, RtpExtension.TRANSPORT_WIDE_CC)
                .set(4, RtpExtension.ABS_SEND_TIME).set(5, RtpExtension.AUDIO_LEVEL);
        RtpExtensionValues out = new RtpExtensionValues().setMid("0".getBytes(StandardCharsets.US_ASCII));
        RtpExtensionValues in = new RtpExtensionValues();
        // a production pool: a debug pool makes a checked view per slot taken, which is the test's, not the stream's
        SendStream sender = new SendStream(SendStreamConfig.video(1, 96).withRtx(2, 97).withRtxBudget(1.0, 8_000, 1_000_000),
                PacketPool.builder().debug(false).build(), MemoryBudget.unlimited());
        ReceiveStream receiver = new ReceiveStream(1, ReceiveStreamConfig.defaults(90_000));
        RtpHeader header = new RtpHeader();
        MemorySegment payload = MemorySegment.ofArray(new byte[1000]);
        MemorySegment wire = MemorySegment.ofArray(new byte[1500]);
        MemorySegment rtx = MemorySegment.ofArray(new byte[1500]);
        int[] nacks = new int[64];
        ReportBlockValues block = new ReportBlockValues();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        int warm = 100_000;
        int measured = 20_000;
        long before = 0;
        long now = 1_000_000_000L;
        long delivered = 0;
        for (int i = 0; i < warm + measured; i++) {
            if (i == warm) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            now += 5_000_000L;
            out.setTransportSequence(i).setAbsSendTime(RtpExtensionValues.absSendTimeOf(now)).setAudioLevel(i & 127, true);
            int len = sender.write(now, wire, 0, 1500, false, now / 11_111, payload, 0, 1000, map, out);
            if (i % 25 == 7) {
                continue; // lost on the way
            }
            header.wrap(wire, 0, len);
            map.parse(header, in);
            if (receiver.onRtp(now, header) == ReceiveOutcome.NEW) {
                delivered++;
            }
            int n = receiver.pollNacks(now, nacks);
            for (int k = 0; k < n; k++) {
                int r = sender.answerNack(now, nacks[k], rtx, 0, 1500);
                if (r > 0 && header.wrap(rtx, 0, r) && receiver.onRtx(now, header, 96) == ReceiveOutcome.LATE) {
                    delivered++;
                }
            }
            if (i % 200 == 0) {
                receiver.fillReportBlock(now, block);
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(warm + measured, delivered, "every packet delivered, losses repaired");
        assertEquals(0, receiver.cumulativeLost());
        // Real per-packet allocation would be at least 16 bytes x 20,000 packets; allow JVM bookkeeping.
        assertTrue(allocated < 16_000, measured + " packets allocated " + allocated + " bytes");
    }
}
