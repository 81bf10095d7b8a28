package io.eddyrtc.engine.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.NtpTime;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpDropReason;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.rtp.RtpExtensionValues;
import io.eddyrtc.engine.rtp.RtpHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class SendStreamTest {
    private static final long MS = 1_000_000L;
    private static final long SSRC = 0xAAAA_0001L;
    private static final long RTX_SSRC = 0xAAAA_0002L;

    private final MemorySegment payload = MemorySegment.ofArray(new byte[1200]);
    private final MemorySegment out = MemorySegment.ofArray(new byte[1500]);
    private final MemorySegment rtxOut = MemorySegment.ofArray(new byte[1500]);
    private final RtpHeader h = new RtpHeader();
    private final PacketPool pool = PacketPool.builder().slotsPerSlab(16).build();

    private SendStream stream(SendStreamConfig config) {
        return new SendStream(config, pool, MemoryBudget.unlimited());
    }

    private SendStream video() {
        return stream(SendStreamConfig.video(SSRC, 96).withRtx(RTX_SSRC, 97).withInitial(65534, 0xFFFF_FF00L));
    }

    private int send(SendStream s, long now, long sourceTicks, int size) {
        return s.write(now, out, 0, 1500, false, sourceTicks, payload, 0, size, null, null);
    }

    @Test
    void numbersPacketsAcrossTheSixteenBitWrapAndTimestampsAcrossThe32BitWrap() {
        SendStream s = video();
        int[] seqs = new int[4];
        long[] ts = new long[4];
        for (int i = 0; i < 4; i++) {
            int len = send(s, i * 33 * MS, 3000L * i, 100);
            assertEquals(RtpDropReason.NONE, h.parse(out, 0, len));
            seqs[i] = h.sequenceNumber();
            ts[i] = h.timestamp();
            assertEquals(SSRC, h.ssrc());
            assertEquals(96, h.payloadType());
        }
        assertArrayEquals(new int[] {65534, 65535, 0, 1}, seqs);
        assertArrayEquals(new long[] {0xFFFF_FF00L, (0xFFFF_FF00L + 3000) & 0xFFFF_FFFFL,
                (0xFFFF_FF00L + 6000) & 0xFFFF_FFFFL, (0xFFFF_FF00L + 9000) & 0xFFFF_FFFFL}, ts);
    }

    @Test
    void noTimestampJumpWhenTheSourceRestartsAfterAPause() {
        SendStream s = video();
        for (int i = 0; i < 30; i++) {
            send(s, i * 33 * MS, 123_456L + 3000L * i, 100);
        }
        long last = s.timestampFor(29 * 33 * MS, 123_456L + 3000L * 29);
        // 10 s pause, then the (new) source starts over at 0
        long resumeAt = 29 * 33 * MS + 10_000 * MS;
        long first = s.timestampFor(resumeAt, 0);
        assertEquals(last + 900_000, first, "continues by the elapsed 10 s, not by the source's jump");
        assertEquals(first + 3000, s.timestampFor(resumeAt + 33 * MS, 3000), "then follows the source again");
    }

    @Test
    void switchSourceReanchorsEvenForSmallDifferences() {
        SendStream s = video();
        send(s, 0, 1000, 100);
        int len = send(s, 33 * MS, 4000, 100);
        h.parse(out, 0, len);
        long last = h.timestamp();
        s.switchSource();
        len = send(s, 66 * MS, 4100, 100); // only 100 ticks on in the new source's clock
        h.parse(out, 0, len);
        assertEquals((last + 2970) & 0xFFFF_FFFFL, h.timestamp(), "33 ms after the last packet, at 90 kHz");
    }

    @Test
    void senderReportPairsNtpWithTheRtpTimeOfTheSameInstant() {
        SendStream s = video();
        send(s, 1000 * MS, 0, 100);
        SenderReportValues sr = new SenderReportValues();
        long ntp = NtpTime.fromUnixNanos(1_700_000_000_000_000_000L);
        assertTrue(s.fillSenderReport(1500 * MS, ntp, sr));
        assertEquals((0xFFFF_FF00L + 45_000) & 0xFFFF_FFFFL, sr.rtpTime, "the last packet's time plus 0.5 s");
        assertEquals(ntp, sr.ntpTime);
        assertEquals(1, sr.packetCount);
        assertEquals(100, sr.octetCount);
        assertFalse(video().fillSenderReport(0, ntp, sr), "nothing sent, no SR");
    }

    @Test
    void answersNacksWithRtxThatUnwrapsToTheOriginal() {
        SendStream s = video();
        ExtensionMap map = new ExtensionMap().set(3, RtpExtension.TRANSPORT_WIDE_CC);
        RtpExtensionValues ext = new RtpExtensionValues().setTransportSequence(42);
        payload.asSlice(0, 300).fill((byte) 7);
        int len = s.write(0, out, 0, 1500, true, 0, payload, 0, 300, map, ext);
        byte[] original = out.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE);
        for (int i = 1; i < 10; i++) {
            send(s, i * MS, 90L * i, 500);
        }
        int rtx = s.answerNack(20 * MS, 65534, rtxOut, 0, 1500);
        assertEquals(len + 2, rtx);
        assertEquals(RtpDropReason.NONE, h.parse(rtxOut, 0, rtx));
        assertEquals(RTX_SSRC, h.ssrc());
        assertEquals(97, h.payloadType());
        ReceiveStream r = new ReceiveStream(SSRC, ReceiveStreamConfig.defaults(90_000));
        assertEquals(ReceiveOutcome.NEW, r.onRtx(21 * MS, h, 96));
        assertArrayEquals(original, rtxOut.asSlice(h.offset(), h.length()).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(0, s.answerNack(21 * MS, 1000, rtxOut, 0, 1500), "never sent");
        assertEquals(0, s.answerNack(1100 * MS, 65535, rtxOut, 0, 1500), "older than the 1 s history");
        SendStreamStats st = s.stats(1100 * MS);
        assertEquals(3, st.nacksReceived());
        assertEquals(2, st.nacksUnanswered());
        assertEquals(1, st.rtxPackets());
    }

    @Test
    void withoutRtxNothingIsKeptAndNacksAreNotAnswered() {
        SendStream s = stream(SendStreamConfig.audio(SSRC, 111, 48_000));
        send(s, 0, 0, 100);
        assertEquals(0, s.answerNack(MS, 0, rtxOut, 0, 1500));
        assertEquals(null, s.history(), "no RTX, no history: a NACK could not be answered anyway");
        assertEquals(0, pool.inUse());
    }

    @Test
    void theHistoryHoldsTheLastSecondAndAQuietStreamGivesItsSlotsBack() {
        SendStream s = stream(SendStreamConfig.audio(SSRC, 111, 48_000).withRtx(RTX_SSRC, 112));
        for (int i = 0; i < 60; i++) {
            send(s, i * 20 * MS, 960L * i, 100);
        }
        assertEquals(0, s.answerNack(1190 * MS, 8, rtxOut, 0, 1500), "sent at 160 ms: more than a second ago");
        assertTrue(s.answerNack(1190 * MS, 10, rtxOut, 0, 1500) > 0, "sent at 200 ms: within the second");
        assertEquals(64, s.history().ringSize(), "50 packets a second: a ring of 64");
        s.expireHistory(1190 * MS);
        assertEquals(50, pool.inUse(), "the last second's packets, one slot each");
        s.expireHistory(3000 * MS);
        assertEquals(0, pool.inUse(), "quiet for more than the window: every slot back");
        s.expireHistory(7000 * MS);
        assertEquals(RtxHistory.MIN_RING, s.history().ringSize(), "and after four windows more, the smallest ring");
        s.close();
        pool.checkNoLeaks();
    }

    @Test
    void paddingPacketsParseAsPaddingOnTheRtxSsrc() {
        SendStream s = video();
        send(s, 0, 0, 100);
        int len = s.writePadding(MS, out, 0, 1500, 200);
        assertEquals(212, len);
        assertEquals(RtpDropReason.NONE, h.parse(out, 0, len));
        assertEquals(RTX_SSRC, h.ssrc());
        assertTrue(h.hasPadding());
        assertEquals(0, h.payloadLength());
        assertEquals(200, h.paddingLength());
        assertEquals(255 + 12, s.writePadding(MS, out, 0, 1500, 1000), "at most 255 bytes of padding per packet");
    }

    @Test
    void rttFromTheReportBlockAnsweringOurSenderReport() {
        SendStream s = video();
        ReceiveStream r = new ReceiveStream(SSRC, ReceiveStreamConfig.defaults(90_000));
        long t0 = 5_000 * MS;
        int len = send(s, t0, 0, 100);
        h.parse(out, 0, len);
        r.onRtp(t0 + 20 * MS, h);
        SenderReportValues sr = new SenderReportValues();
        long wallAtT0 = 1_700_000_000_000_000_000L;
        s.fillSenderReport(t0 + 10 * MS, NtpTime.fromUnixNanos(wallAtT0 + 10 * MS), sr);
        r.onSenderReport(t0 + 30 * MS, sr); // 20 ms one way
        ReportBlockValues rb = new ReportBlockValues();
        r.fillReportBlock(t0 + 130 * MS, rb); // held 100 ms
        long rtt = s.onReportBlock(t0 + 150 * MS, rb); // 20 ms back
        assertEquals(40 * MS, rtt, 20_000, "40 ms to within the 1/65536 s of DLSR");
        assertEquals(rtt, s.stats(t0 + 150 * MS).rttNanos());
        // the classic wallclock form gives the same
        long classic = RoundTrip.fromReportBlock(NtpTime.fromUnixNanos(wallAtT0 + 150 * MS), rb.lastSenderReport,
                rb.delaySinceLastSenderReport);
        assertEquals(40 * MS, classic, 50_000);
        assertEquals(-1, RoundTrip.fromReportBlock(NtpTime.fromUnixNanos(wallAtT0), 0, 0));
    }
}
