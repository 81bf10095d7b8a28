package io.eddyrtc.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddyrtc.engine.rtp.RtpDropReason;
import io.eddyrtc.engine.rtp.RtpHeader;
import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Mirrors str0m's {@code rtx_buffer} and {@code receive} fuzz targets: the bytes are a script of operations
 * on a send stream's RTX cache, or of packets and times fed to a receive stream. Nothing may throw, and the
 * invariants below must hold whatever the script.
 */
class StreamFuzzTest {
    private static final long MS = 1_000_000L;

    /**
     * Jazzer cannot instrument Java 25 classes here (see the parent pom), so its mutations are blind; this
     * runs both targets on seeded random scripts in plain {@code mvn test} as well.
     */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.extension.ExtendWith(io.eddyrtc.buffers.testkit.SeedExtension.class)
    void randomScripts(@io.eddyrtc.buffers.testkit.Seed long seed) {
        java.util.Random random = new java.util.Random(seed);
        for (int run = 0; run < 300; run++) {
            byte[] script = new byte[random.nextInt(1200)];
            random.nextBytes(script);
            if (run % 2 == 0) {
                // mostly small steps, so sequences stay near each other and exercise the windows
                for (int i = 0; i + 6 <= script.length; i += 6) {
                    int seq = 1000 + i / 6 + random.nextInt(7) - 3;
                    script[i] = (byte) (seq >>> 8);
                    script[i + 1] = (byte) seq;
                    script[i + 4] = (byte) random.nextInt(40);
                }
            }
            receive(script);
            rtxBuffer(script);
        }
    }

    /** Script: per op a byte selecting send / NACK / padding / wait, then its arguments. */
    @FuzzTest(maxDuration = "5s")
    void rtxBuffer(byte[] script) {
        // the history's size from the script: from one packet up, so overwriting and growing the ring are both fuzzed
        PacketPool pool = PacketPool.builder().slotsPerSlab(16).build();
        SendStream s = new SendStream(SendStreamConfig.video(1, 96).withRtx(2, 97)
                .withHistory(1 + (script.length > 0 ? script[0] & 0x3F : 0), 3_000 * MS), pool, MemoryBudget.unlimited());
        MemorySegment payload = MemorySegment.ofArray(new byte[1400]);
        MemorySegment out = MemorySegment.ofArray(new byte[1500]);
        RtpHeader h = new RtpHeader();
        long now = 0;
        int i = 1;
        while (i + 2 < script.length) {
            int op = script[i] & 3;
            int a = script[i + 1] & 0xFF;
            int b = script[i + 2] & 0xFF;
            i += 3;
            switch (op) {
                case 0 -> {
                    int seq = s.nextSequenceNumber();
                    payload.asSlice(0, 1400).fill((byte) seq);
                    int len = s.write(now, out, 0, 1500, false, now / 11_111, payload, 0, a * 5, null, null);
                    assertTrue(len == 12 + a * 5);
                }
                case 1 -> {
                    int seq = (a << 8) | b;
                    int len = s.answerNack(now, seq, out, 0, 1500);
                    assertTrue(len >= 0);
                    if (len > 0) {
                        assertEquals(RtpDropReason.NONE, h.parse(out, 0, len));
                        assertEquals(2, h.ssrc());
                        ReceiveStream r = new ReceiveStream(1, ReceiveStreamConfig.defaults(90_000));
                        // an original with no payload (a = 0) comes back as numbered padding: its hole is filled, nothing plays
                        int originalPayload = h.payloadLength() - 2; // the RTX payload starts with the original sequence number
                        assertEquals(originalPayload > 0 ? ReceiveOutcome.NEW : ReceiveOutcome.PADDING, r.onRtx(now, h, 96));
                        assertEquals(seq, h.sequenceNumber());
                        for (int k = 0; k < h.payloadLength(); k++) {
                            assertEquals((byte) seq, h.segment().get(ValueLayout.JAVA_BYTE, h.offset() + h.payloadOffset() + k));
                        }
                    }
                }
                case 2 -> assertTrue(s.writePadding(now, out, 0, 1500, a) > 12);
                default -> {
                    now += (long) a * b * MS;
                    s.expireHistory(now);
                }
            }
        }
        SendStreamStats st = s.stats(now);
        assertTrue(st.rtxPackets() + st.nacksUnanswered() + st.rtxOverBudget() == st.nacksReceived());
        s.close();
        pool.close(); // throws if the history kept a slot
    }

    /** Script: 6 bytes per packet — sequence (2), timestamp step (2), arrival step in ms (1), flags (1). */
    @FuzzTest(maxDuration = "5s")
    void receive(byte[] script) {
        ReceiveStream s = new ReceiveStream(7, ReceiveStreamConfig.defaults(90_000));
        MemorySegment buffer = MemorySegment.ofArray(new byte[200]);
        RtpHeader h = new RtpHeader();
        ReportBlockValues block = new ReportBlockValues();
        int[] nacks = new int[64];
        long now = 0;
        long ts = 0;
        for (int i = 0; i + 6 <= script.length; i += 6) {
            int seq = ((script[i] & 0xFF) << 8) | (script[i + 1] & 0xFF);
            ts += (short) (((script[i + 2] & 0xFF) << 8) | (script[i + 3] & 0xFF)) * 30L;
            now += (script[i + 4] & 0xFF) * MS;
            int flags = script[i + 5] & 0xFF;
            boolean rtx = (flags & 1) != 0;
            int len = RtpHeader.write(buffer, 0, 200, rtx ? 97 : 96, false, rtx ? 0 : seq, ts, rtx ? 8 : 7, null, null);
            int payload = flags >>> 4;
            if (rtx) {
                buffer.set(ValueLayout.JAVA_BYTE, len, (byte) (seq >>> 8));
                buffer.set(ValueLayout.JAVA_BYTE, len + 1, (byte) seq);
            }
            assertEquals(RtpDropReason.NONE, h.parse(buffer, 0, len + payload));
            ReceiveOutcome o = rtx ? s.onRtx(now, h, 96) : s.onRtp(now, h);
            if (o == ReceiveOutcome.NEW || o == ReceiveOutcome.LATE) {
                assertEquals(seq, h.sequenceNumber());
                assertEquals(seq, (int) (s.lastExtendedSequence() & 0xFFFF));
            }
            if ((flags & 2) != 0) {
                int n = s.pollNacks(now, nacks);
                assertTrue(n >= 0 && n <= nacks.length);
                if (n > 0) {
                    // a NACKed number is missing: feeding it now is a late arrival, never a duplicate
                    int len2 = RtpHeader.write(buffer, 0, 200, 96, false, nacks[0], ts, 7, null, null);
                    h.parse(buffer, 0, len2 + 1);
                    assertEquals(ReceiveOutcome.LATE, s.onRtp(now, h));
                }
            }
            if ((flags & 4) != 0) {
                s.onSenderReport(now, now * 3, ts, i, i * 10L);
            }
            if ((flags & 8) != 0 && s.fillReportBlock(now, block)) {
                assertTrue(block.fractionLost >= 0 && block.fractionLost <= 255);
                assertTrue(block.cumulativeLost >= -0x80_0000 && block.cumulativeLost <= 0x7F_FFFF);
                assertTrue(block.extendedHighestSequence >= 0 && block.extendedHighestSequence <= 0xFFFF_FFFFL);
                assertTrue(block.jitter >= 0);
            }
            assertTrue(s.missingInNackWindow() <= s.config().nackWindow());
        }
        ReceiveStreamStats st = s.stats(now);
        assertTrue(st.cumulativeLost() >= 0, "received never exceeds expected: " + st);
    }
}
