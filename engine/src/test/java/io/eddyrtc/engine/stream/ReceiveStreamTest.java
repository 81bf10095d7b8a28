package io.eddyrtc.engine.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.NtpTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReceiveStreamTest {
    private static final long MS = 1_000_000L;
    private static final long SSRC = 0x1234_5678L;

    private final Packets p = new Packets();
    private final ReportBlockValues block = new ReportBlockValues();

    private static ReceiveStream video() {
        return new ReceiveStream(SSRC, ReceiveStreamConfig.defaults(90_000));
    }

    /** NACK timing without the reorder grace, to see the interval and window rules alone. */
    private static ReceiveStream videoNoGrace() {
        return new ReceiveStream(SSRC, ReceiveStreamConfig.defaults(90_000).withNackReorderGrace(0));
    }

    private ReceiveOutcome feed(ReceiveStream s, long now, int seq, long ts) {
        return s.onRtp(now, p.rtp(SSRC, 96, seq & 0xFFFF, ts & 0xFFFF_FFFFL, 100));
    }

    @Test
    void inOrderStreamHasNoLoss() {
        ReceiveStream s = video();
        for (int i = 0; i < 100; i++) {
            assertEquals(ReceiveOutcome.NEW, feed(s, i * 10 * MS, 1000 + i, 900L * i));
        }
        assertTrue(s.fillReportBlock(1000 * MS, block));
        assertEquals(0, block.fractionLost);
        assertEquals(0, block.cumulativeLost);
        assertEquals(1099, block.extendedHighestSequence);
        assertEquals(0, block.jitter);
        assertEquals(0, block.lastSenderReport);
        assertEquals(100, s.stats(1000 * MS).packets());
    }

    @Test
    void nackStateIsMadeWhenTheFirstGapOpensAndChargedToTheBudget() {
        MemoryBudget budget = MemoryBudget.unlimited();
        ReceiveStream s = new ReceiveStream(SSRC, ReceiveStreamConfig.defaults(90_000), budget);
        for (int i = 0; i < 3000; i++) {
            feed(s, i * MS, i, 0);
        }
        assertEquals(0, s.grownBytes(), "3,000 packets in order: no NACK state at all");
        assertEquals(0, budget.inUse());
        feed(s, 3001 * MS, 3001, 0); // 3000 is missing
        assertEquals(128L * SequenceRegister.NACK_ENTRY_BYTES, s.grownBytes(), "state for a NACK window of 100, as 128");
        assertEquals(s.grownBytes(), budget.inUse());
        int[] nacks = new int[8];
        assertEquals(1, s.pollNacks(3010 * MS, nacks));
        assertEquals(3000, nacks[0]);
        s.close();
        assertEquals(0, budget.inUse(), "a closed stream gives its state back");
    }

    @Test
    void withNoRoomForNackStateTheStreamGoesWithoutNacksAndSaysSo() {
        MemoryBudget budget = MemoryBudget.of(100);
        ReceiveStream s = new ReceiveStream(SSRC, ReceiveStreamConfig.defaults(90_000), budget);
        for (int i = 0; i < 50; i += 2) { // every other packet lost
            assertEquals(ReceiveOutcome.NEW, feed(s, i * MS, i, 0));
        }
        assertTrue(s.nackRefused());
        assertEquals(0, s.pollNacks(100 * MS, new int[64]));
        assertEquals(Long.MAX_VALUE, s.nextTimeout(), "and never asks to be polled for them");
        assertEquals(24, s.cumulativeLost(), "loss is still counted and reported");
        assertEquals(1, budget.refusals(), "refused once, not per packet");
    }

    @Test
    void lossCountsAndFractionPerRfc3550A3() {
        ReceiveStream s = video();
        for (int i = 0; i < 100; i++) {
            if (i % 10 != 5) {
                feed(s, i * MS, i, 0);
            }
        }
        s.fillReportBlock(100 * MS, block);
        assertEquals(10, block.cumulativeLost);
        assertEquals(10 * 256 / 100, block.fractionLost);
        // next interval: 50 expected, 50 received → fraction 0, cumulative unchanged
        for (int i = 100; i < 150; i++) {
            feed(s, i * MS, i, 0);
        }
        s.fillReportBlock(150 * MS, block);
        assertEquals(0, block.fractionLost);
        assertEquals(10, block.cumulativeLost);
    }

    @Test
    void reorderingAndDuplicates() {
        ReceiveStream s = video();
        assertEquals(ReceiveOutcome.NEW, feed(s, 0, 10, 0));
        assertEquals(ReceiveOutcome.NEW, feed(s, 1, 12, 0));
        assertEquals(ReceiveOutcome.LATE, feed(s, 2, 11, 0));
        assertEquals(ReceiveOutcome.DUPLICATE, feed(s, 3, 11, 0));
        assertEquals(ReceiveOutcome.DUPLICATE, feed(s, 4, 12, 0));
        assertEquals(ReceiveOutcome.LATE, feed(s, 5, 9, 0), "before the first packet, still ours");
        s.fillReportBlock(10, block);
        assertEquals(0, block.cumulativeLost);
        assertEquals(4, s.stats(10).packets());
        assertEquals(2, s.stats(10).duplicates());
        assertEquals(0, s.missingInNackWindow());
    }

    @Test
    void sixteenBitSequenceWrap() {
        ReceiveStream s = video();
        for (int i = 0; i < 20; i++) {
            assertEquals(ReceiveOutcome.NEW, feed(s, i, 65530 + i, 0));
        }
        assertEquals(ReceiveOutcome.LATE, feed(s, 21, 65529, 0));
        s.fillReportBlock(30, block);
        assertEquals((1L << 16) | 13, block.extendedHighestSequence, "one cycle, highest 13");
        assertEquals(0, block.cumulativeLost);
        assertEquals(65529, s.lastExtendedSequence(), "the late packet lands in cycle 0");
        feed(s, 22, 14, 0);
        assertEquals((1L << 16) + 14, s.lastExtendedSequence());
    }

    @Test
    void thirtyTwoBitTimestampWrapKeepsMediaTimeMonotonicAndJitterZero() {
        ReceiveStream s = new ReceiveStream(SSRC, ReceiveStreamConfig.defaults(48_000));
        long ts = 0xFFFF_FFFFL - 960 * 5;
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < 20; i++) {
            feed(s, i * 20 * MS, i, ts + 960L * i);
            assertTrue(s.lastExtendedTimestamp() > previous);
            if (previous != Long.MIN_VALUE) {
                assertEquals(960, s.lastExtendedTimestamp() - previous);
            }
            previous = s.lastExtendedTimestamp();
        }
        assertEquals(0, s.jitterTicks());
    }

    /**
     * RFC 3550 A.8 by hand, 8 kHz, packets 160 ticks (20 ms) apart arriving at 0, 20, 41, 60, 85 ms: transit
     * differences D = 0, 8, -8, 40 ticks. J = J + (|D| − J)/16 gives 0, 0.5, 0.97, 3.41 → 3 reported (the
     * fixed-point form: 0, 8, 15, 54 sixteenths → 3).
     */
    @Test
    void jitterMatchesAHandComputation() {
        ReceiveStream s = new ReceiveStream(SSRC, ReceiveStreamConfig.defaults(8000));
        long[] arrivalMs = {0, 20, 41, 60, 85};
        for (int i = 0; i < arrivalMs.length; i++) {
            feed(s, 1_000_000_000L + arrivalMs[i] * MS, i, 5000 + 160L * i);
        }
        assertEquals(3, s.jitterTicks());
        s.fillReportBlock(2_000_000_000L, block);
        assertEquals(3, block.jitter);
    }

    @Test
    void longPauseIsNeitherLossNorRestart() {
        ReceiveStream s = video();
        for (int i = 0; i < 10; i++) {
            feed(s, i * 30 * MS, i, 2700L * i);
        }
        // a minute later; the sender kept numbering and its RTP clock ran on: 59.73 s = 5 375 700 ticks
        long resume = 60_000 * MS;
        for (int i = 10; i < 20; i++) {
            assertEquals(ReceiveOutcome.NEW, feed(s, resume + (i - 10) * 30 * MS, i, 2700L * i + 5_373_000L));
        }
        s.fillReportBlock(resume + MS * 1000, block);
        assertEquals(0, block.cumulativeLost);
        assertEquals(0, block.jitter, "a pause with a continuous clock adds no jitter");
    }

    @Test
    void sourceRestartAfterTwoSequentialPacketsOfANewSequence() {
        ReceiveStream s = video();
        for (int i = 0; i < 10; i++) {
            feed(s, i, 100 + i, 0);
        }
        assertEquals(ReceiveOutcome.JUMP, feed(s, 20, 20_000, 0));
        assertEquals(ReceiveOutcome.NEW, feed(s, 21, 20_001, 0));
        assertEquals(ReceiveOutcome.NEW, feed(s, 22, 20_002, 0));
        s.fillReportBlock(30, block);
        assertEquals(0, block.cumulativeLost);
        assertEquals(20_002, block.extendedHighestSequence);
        // more than half the circle away reads as far in the past: same probation, same restart
        assertEquals(ReceiveOutcome.TOO_OLD, feed(s, 40, 60_000, 0));
        assertEquals(ReceiveOutcome.NEW, feed(s, 41, 60_001, 0));
        ReceiveStreamStats st = s.stats(50);
        assertEquals(13, st.packets(), "10 before, 2 and 1 after the restarts");
        assertEquals(2, st.dropped(), "the two packets held on probation");
    }

    @Test
    void nacksMissingPacketsEvery33msUpToFiveTimes() {
        ReceiveStream s = videoNoGrace();
        feed(s, 0, 100, 0);
        feed(s, 1, 104, 0); // 101, 102, 103 missing
        assertEquals(1, s.nextTimeout(), "a fresh gap is due at once");
        int[] out = new int[16];
        assertEquals(3, s.pollNacks(1, out));
        assertArrayEquals(new int[] {101, 102, 103}, Arrays.copyOf(out, 3));
        assertEquals(0, s.pollNacks(10 * MS, out), "not again within 33 ms");
        assertEquals(1 + 33 * MS, s.nextTimeout());
        feed(s, 20 * MS, 102, 0); // repaired
        long now = 1 + 33 * MS;
        for (int round = 2; round <= 5; round++) {
            assertEquals(2, s.pollNacks(now, out), "round " + round);
            assertArrayEquals(new int[] {101, 103}, Arrays.copyOf(out, 2));
            now += 33 * MS;
        }
        assertEquals(0, s.pollNacks(now, out), "five tries spent");
        assertEquals(Long.MAX_VALUE, s.nextTimeout());
        assertEquals(11, s.stats(now).nacksSent());
    }

    @Test
    void aPacketOnlyReorderedWithinTheGraceCostsNoNack() {
        ReceiveStream s = video(); // 5 ms grace by default
        feed(s, 0, 100, 0);
        feed(s, 1, 102, 0); // 101 is late, or lost
        assertEquals(1 + 5 * MS, s.nextTimeout(), "the first NACK waits out the reorder grace");
        int[] out = new int[16];
        assertEquals(0, s.pollNacks(3 * MS, out), "not yet");
        assertEquals(ReceiveOutcome.LATE, feed(s, 3 * MS, 101, 0), "it was only reordered");
        assertEquals(0, s.pollNacks(6 * MS, out), "so no NACK, and no retransmission");
        feed(s, 7 * MS, 104, 0); // 103 is lost for real
        assertEquals(0, s.pollNacks(8 * MS, out));
        assertEquals(1, s.pollNacks(12 * MS, out), "once the grace has passed");
        assertEquals(103, out[0]);
    }

    @Test
    void nackWindowIsTheLast100Packets() {
        ReceiveStream s = videoNoGrace();
        feed(s, 0, 0, 0);
        feed(s, 1, 300, 0); // 1..299 missing; only 200..299 within the window
        int[] out = new int[200];
        assertEquals(99, s.pollNacks(2, out));
        assertEquals(201, out[0]);
        ReceiveStream off = new ReceiveStream(SSRC, ReceiveStreamConfig.defaults(90_000).withNack(false));
        off.onRtp(0, p.rtp(SSRC, 96, 0, 0, 10));
        off.onRtp(0, p.rtp(SSRC, 96, 5, 0, 10));
        assertEquals(0, off.pollNacks(1, out));
    }

    @Test
    void nackPairsPackAndUnpack() {
        int[] seqs = {65534, 65535, 0, 5, 14, 40};
        int[] pairs = new int[4];
        assertEquals(2, NackPairs.pack(seqs, seqs.length, pairs));
        assertEquals(65534, NackPairs.pid(pairs[0]));
        // 65535 (+1), 0 (+2), 5 (+7), 14 (+16)
        assertEquals(0b1000_0000_0100_0011, NackPairs.blp(pairs[0]));
        assertEquals(40, NackPairs.pid(pairs[1]));
        assertEquals(0, NackPairs.blp(pairs[1]));
        int[] back = new int[17];
        assertEquals(5, NackPairs.unpack(NackPairs.pid(pairs[0]), NackPairs.blp(pairs[0]), back, 0));
        assertArrayEquals(new int[] {65534, 65535, 0, 5, 14}, Arrays.copyOf(back, 5));
    }

    @Test
    void senderReportGivesLsrDlsrAndTheNtpRtpMapping() {
        ReceiveStream s = video();
        feed(s, 0, 1, 90_000);
        long unix = 1_700_000_000_000_000_000L;
        long ntp = NtpTime.fromUnixNanos(unix);
        s.onSenderReport(1000 * MS, ntp, 90_000, 1, 100);
        s.fillReportBlock(1500 * MS, block);
        assertEquals(NtpTime.compact(ntp), block.lastSenderReport);
        assertEquals(32768, block.delaySinceLastSenderReport, "0.5 s in 1/65536 s");
        // a packet with timestamp one second after the SR's maps to one second after its wallclock
        feed(s, 1600 * MS, 2, 180_000);
        assertEquals(unix + 1_000_000_000L, s.rtpToUnixNanos(s.lastExtendedTimestamp()));
    }

    @Test
    void keyframeRequestsAreRateLimited() {
        KeyframeRequestLimiter k = video().keyframeRequests();
        assertTrue(k.tryRequest(0));
        assertFalse(k.tryRequest(100 * MS));
        assertFalse(k.tryRequest(499 * MS));
        assertTrue(k.tryRequest(500 * MS));
        assertEquals(2, k.allowedCount());
        assertEquals(2, k.suppressedCount());
    }

    @Test
    void statsRates() {
        ReceiveStream s = video();
        s.stats(0);
        for (int i = 0; i < 100; i++) {
            feed(s, i * 10 * MS, i, 0);
        }
        ReceiveStreamStats st = s.stats(1000 * MS);
        assertEquals(100, st.packetRate(), 1e-9);
        assertEquals(100 * 100 * 8, st.bitrateBps(), 1e-9);
    }

    @Test
    void paddingOnlyPacketsAreAccountedButNotDelivered() {
        ReceiveStream s = video();
        feed(s, 0, 1, 0);
        // a padding-only probe on the media SSRC takes sequence number 2
        int h = io.eddyrtc.engine.rtp.RtpHeader.write(p.buffer, 0, 1500, 96, false, 2, 0, SSRC, null, null);
        p.buffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 0xA0);
        p.buffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, h + 99, (byte) 100);
        p.header.parse(p.buffer, 0, h + 100);
        assertEquals(ReceiveOutcome.PADDING, s.onRtp(1, p.header));
        // the same on the RTX SSRC carries no OSN and is not malformed
        p.header.parse(p.buffer, 0, h + 100);
        assertEquals(ReceiveOutcome.PADDING, s.onRtx(2, p.header, 96));
        feed(s, 3, 3, 0);
        s.fillReportBlock(4, block);
        assertEquals(0, block.cumulativeLost, "the probe's number is not a loss");
        assertEquals(0, s.missingInNackWindow());
        assertEquals(2, s.paddingPackets());
        assertEquals(0, s.stats(5).dropped());
    }
}
