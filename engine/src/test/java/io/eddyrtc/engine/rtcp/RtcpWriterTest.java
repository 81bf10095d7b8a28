package io.eddyrtc.engine.rtcp;

import static io.eddyrtc.engine.rtcp.RtcpTestSupport.describe;
import static io.eddyrtc.engine.rtcp.RtcpTestSupport.hex;
import static io.eddyrtc.engine.rtcp.RtcpTestSupport.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Writing compounds byte for byte as other stacks do, and parse → write → parse round trips. */
class RtcpWriterTest {
    private static final long SSRC = 0x902f9e2eL;

    private final MemorySegment out = Arena.ofAuto().allocate(2048);
    private final RtcpWriter writer = new RtcpWriter();
    private final RtcpCompound compound = new RtcpCompound();

    @Test
    void writesPionsRealCompoundByteForByte() {
        writer.begin(out, 0, 1500);
        assertTrue(writer.receiverReport(SSRC));
        assertTrue(writer.reportBlock(0xbc5e9a40L, 0, 0, 0x46e1, 273, 0x9f36432L, 150137));
        assertTrue(writer.sdesCname(SSRC, "{9c00eb92-1afb-9d49-a47d-91f64eee69f5}".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(writer.bye(SSRC));
        assertTrue(writer.pli(SSRC, SSRC));
        assertTrue(writer.feedback(RtcpCompound.TYPE_RTPFB, 5, SSRC, SSRC, out, 0, 0));
        assertWritten(RtcpCompoundTest.PION_REAL_PACKET, writer.finish());
    }

    @Test
    void writesSenderReport() {
        writer.begin(out, 0, 1500);
        assertTrue(writer.senderReport(SSRC, 0xda8bd1fcdddda05aL, 0xaaf4edd5L, 1, 2));
        assertTrue(writer.reportBlock(0xbc5e9a40L, 0, 0, 0x46e1, 273, 0x9f36432L, 150137));
        assertWritten(RtcpCompoundTest.PION_SR, writer.finish());
    }

    @Test
    void writesChromesRemb() {
        // pion's TestReceiverEstimatedMaximumBitrateMarshal: 8927168 b/s is mantissa 139487, exponent 6
        writer.begin(out, 0, 1500);
        assertTrue(writer.remb(1, 8_927_168, new long[] {1215622422L}, 1));
        assertWritten(RtcpCompoundTest.PION_REMB, writer.finish());
    }

    @Test
    void writesNackFromLostSequenceNumbers() {
        writer.begin(out, 0, 1500);
        int[] lost = {1, 3, 5, 7, 9, 1034, 1035, 1037};
        assertEquals(2, RtcpWriter.nackEntries(lost, 0, lost.length));
        assertTrue(writer.nack(SSRC, SSRC, lost, 0, lost.length));
        // pion's NACK pairs {1, 0xAA}, {1034, 0x05}
        assertWritten("81cd0004 902f9e2e 902f9e2e 000100aa 040a0005", writer.finish());

        writer.begin(out, 0, 1500);
        assertTrue(writer.nack(1, 2, new int[] {9, 65534, 65535, 0, 15, 16, 16}, 1, 6));
        // across the wrap: 65534 then +1, +2, +17 is out of reach of the first entry's mask
        assertWritten("81cd0004 00000001 00000002 fffe0003 000f0001", writer.finish());
    }

    @Test
    void nackFittingWritesTheLongestPrefixThatFits() {
        int[] lost = new int[100];
        for (int i = 0; i < lost.length; i++) {
            lost[i] = 1000 + 20 * i; // 20 apart: one entry each
        }
        writer.begin(out, 0, 8 + 12 + 4 * 10 + 3);
        assertTrue(writer.receiverReport(1));
        assertEquals(10, writer.nackFitting(1, 2, lost, 0, lost.length), "room for 10 entries after the RR");
        int n = writer.finish();
        assertEquals(60, n);
        compound.wrap(out, 0, n);
        assertTrue(compound.next());
        assertTrue(compound.next());
        assertEquals(10, compound.nack().entryCount());
        assertEquals(1180, compound.nack().packetId(9));

        writer.begin(out, 0, 15);
        assertEquals(0, writer.nackFitting(1, 2, lost, 0, lost.length), "no room for one entry");
        assertEquals(0, writer.finish());

        writer.begin(out, 0, 1500);
        assertEquals(100, writer.nackFitting(1, 2, lost, 0, lost.length));
        // neighbours share entries: 17 sequence numbers in a row need one PID+BLP
        int[] run = new int[40];
        for (int i = 0; i < run.length; i++) {
            run[i] = 65530 + i;
        }
        writer.begin(out, 0, 12 + 4 * 2);
        assertEquals(34, writer.nackFitting(1, 2, run, 0, run.length));
    }

    @Test
    void writesFirAndPli() {
        writer.begin(out, 0, 1500);
        assertTrue(writer.fir(1, 0x12345678L, 0x42));
        assertTrue(writer.pli(1, 0x12345678L));
        // RFC 5104 §4.3.1.2: the media source SSRC of a FIR is 0, the target is in the FCI
        assertWritten("84ce0004 00000001 00000000 12345678 42000000 81ce0002 00000001 12345678", writer.finish());
    }

    @Test
    void writesChromesTransportFeedbackFromItsParsedForm() {
        for (String vector : List.of(RtcpCompoundTest.PION_TWCC_1, RtcpCompoundTest.PION_TWCC_4)) {
            byte[] b = hex(vector);
            compound.wrap(segment(b), 0, b.length);
            assertTrue(compound.next());
            TransportFeedback fb = compound.transportFeedback();
            writer.begin(out, 0, 1500);
            assertTrue(writer.transportFeedback(fb.senderSsrc(), fb.mediaSsrc(), fb.report()));
            assertWritten(vector, writer.finish());
        }
    }

    @Test
    void writesStr0msPaddedTransportFeedback() {
        // str0m src/rtp/rtcp/mod.rs test padding_of_rtcp: 3 small deltas, padded with the P bit
        TwccReport report = new TwccReport();
        report.begin(82, 17);
        long reference = 25 * TwccReport.REFERENCE_NANOS;
        report.addReceived(reference + 0x7c * TwccReport.TICK_NANOS);
        report.addReceived(reference + (0x7c + 0x93) * TwccReport.TICK_NANOS);
        report.addReceived(reference + (0x7c + 0x93 + 0x84) * TwccReport.TICK_NANOS);
        writer.begin(out, 0, 1500);
        assertTrue(writer.transportFeedback(1, 0, report));
        assertWritten("afcd0006 00000001 00000000 0052 0003 000019 11 2003 7c9384 000003", writer.finish());
    }

    @Test
    void writesExtendedReport() {
        writer.begin(out, 0, 1500);
        assertTrue(writer.extendedReport(0x01020304L));
        assertTrue(writer.rrtr(0x0102030405060708L));
        assertTrue(writer.dlrr(0x88888888L, 0x12345678L, 0x99999999L));
        assertTrue(writer.dlrr(0x09090909L, 0x12345678L, 0x99999999L));
        // RFC 3611 §4.4 and §4.5 layouts: block length in words after the block header
        assertWritten("""
                80cf000b 01020304
                04000002 0102030405060708
                05000006 88888888 12345678 99999999 09090909 12345678 99999999""", writer.finish());
    }

    @Test
    void writesByeWithReasonAndAppWithPadding() {
        writer.begin(out, 0, 1500);
        assertTrue(writer.bye(new long[] {1, 2}, 2, "FOOBAR".getBytes(StandardCharsets.US_ASCII)));
        byte[] data = {1, 2, 3, 4, 5};
        assertTrue(writer.app(3, 7, 0x6e616d65L, segment(data), 0, data.length));
        int n = writer.finish();
        assertWritten("82cb0004 00000001 00000002 06464f4f 42415200 a3cc0004 00000007 6e616d65 01020304 05000003", n);
        assertEquals(List.of("BYE 1 2 reason=464f4f424152", "APP 3 7 1851878757 0102030405", "dropped 0"),
                describe(out, 0, n));
    }

    @Test
    void writesTheSchedulersCompound() {
        // SR + SDES + NACK + PLI + REMB + TWCC in one datagram, as the RTCP scheduler would send
        TwccReport twcc = new TwccReport();
        twcc.begin(100, 7);
        long t = 5_000_000_000L;
        twcc.addReceived(t);
        twcc.addLost();
        twcc.addReceived(t + 1_000_000);
        twcc.addReceived(t + 90_000_000);
        writer.begin(out, 0, 1200);
        assertTrue(writer.senderReport(1, 0xe000000080000000L, 90_000, 10, 12_000));
        assertTrue(writer.reportBlock(2, 25, 3, 70_000, 12, 0x1234, 0x10000));
        assertTrue(writer.sdesCname(1, "eddy".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(writer.nack(1, 2, new int[] {500, 502, 530}, 0, 3));
        assertTrue(writer.pli(1, 2));
        assertTrue(writer.remb(1, 2_500_000, new long[] {2, 3}, 2));
        assertTrue(writer.transportFeedback(1, 2, twcc));
        int n = writer.finish();
        assertEquals(List.of(
                "SR 1 ntp=e000000080000000 rtp=90000 packets=10 octets=12000",
                "block 2 fl=25 cl=3 ehs=70000 j=12 lsr=4660 dlsr=65536",
                "CNAME 1 " + hex(segment("eddy".getBytes(StandardCharsets.US_ASCII)), 0, 4),
                "NACK 1 2 [500, 502, 530]",
                "PLI 1 2",
                "REMB 1 4/156250 2 3",
                "TWCC 1 2 base=100 ref=78 fb=7 [32 - 4 356 ]",
                "dropped 0"), describe(out, 0, n));
        compound.wrap(out, 0, n);
        int packets = 0;
        while (compound.next()) {
            packets++;
            if (compound.kind() == RtcpKind.REMB) {
                assertEquals(2_500_000, compound.remb().bitrate());
            }
        }
        assertEquals(6, packets);
    }

    /** Every vector: what is parsed, written from the parsed values and parsed again, reads the same. */
    @ParameterizedTest
    @ValueSource(strings = {
        RtcpCompoundTest.PION_REAL_PACKET, RtcpCompoundTest.PION_SR, RtcpCompoundTest.PION_REMB,
        RtcpCompoundTest.PION_TWCC_1, RtcpCompoundTest.PION_TWCC_4, RtcpCompoundTest.PION_TWCC_6,
        "84ce0006 00000000 4bc4fcb4 12345678 42000000 98765432 57000000",
        "81cd0004 902f9e2e 902f9e2e 000100aa 040a0005",
        "82cb0003 00000001 00000002 03464f4f 81cc0003 00000007 6e616d65 11223344",
        "80cf000f 01020304 01000003 12345689 0005000c 40060000 04000002 0102030405060708"
            + " 05000006 88888888 12345678 99999999 09090909 12345678 99999999",
        "80c00001 deadbeef 8fce0003 00000001 00000002 41424344 83cd0002 00000001 00000002"
    })
    void roundTripsThroughTheWriter(String vector) {
        byte[] b = hex(vector);
        List<String> parsed = describe(segment(b), 0, b.length);
        compound.wrap(segment(b), 0, b.length);
        writer.begin(out, 0, (int) out.byteSize());
        assertTrue(RtcpTestSupport.rewrite(compound, writer));
        assertEquals(parsed, describe(out, 0, writer.finish()));
    }

    @Test
    void refusesWhatDoesNotFitAndWritesNothing() {
        writer.begin(out, 0, 40);
        assertTrue(writer.receiverReport(1));
        assertTrue(writer.reportBlock(2, 0, 0, 0, 0, 0, 0));
        assertFalse(writer.reportBlock(3, 0, 0, 0, 0, 0, 0), "8 + 24 + 24 > 40");
        assertFalse(writer.pli(1, 2), "12 > 8 left");
        assertTrue(writer.bye(1));
        assertEquals(40, writer.finish());
        assertEquals(List.of("RR 1", "block 2 fl=0 cl=0 ehs=0 j=0 lsr=0 dlsr=0", "BYE 1", "dropped 0"), describe(out, 0, 40));
    }

    @Test
    void reportBlocksStopAt31() {
        writer.begin(out, 0, 2048);
        assertTrue(writer.receiverReport(1));
        for (int i = 0; i < 31; i++) {
            assertTrue(writer.reportBlock(i, 0, 0, 0, 0, 0, 0));
        }
        assertFalse(writer.reportBlock(31, 0, 0, 0, 0, 0, 0));
        int n = writer.finish();
        compound.wrap(out, 0, n);
        assertTrue(compound.next());
        assertEquals(31, compound.receiverReport().blockCount());
    }

    @Test
    void cumulativeLostIsClampedTo24Bits() {
        writer.begin(out, 0, 100);
        writer.receiverReport(1);
        writer.reportBlock(2, 0, -10_000_000, 0, 0, 0, 0);
        writer.reportBlock(3, 0, 10_000_000, 0, 0, 0, 0);
        compound.wrap(out, 0, writer.finish());
        assertTrue(compound.next());
        assertEquals(-0x80_0000, compound.receiverReport().cumulativeLost(0));
        assertEquals(0x7F_FFFF, compound.receiverReport().cumulativeLost(1));
    }

    @Test
    void appendingToTheWrongPacketIsACallerBug() {
        writer.begin(out, 0, 100);
        assertThrows(IllegalStateException.class, () -> writer.reportBlock(1, 0, 0, 0, 0, 0, 0));
        writer.pli(1, 2);
        assertThrows(IllegalStateException.class, () -> writer.rrtr(0));
        writer.extendedReport(1);
        assertThrows(IllegalStateException.class, () -> writer.reportBlock(1, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> writer.begin(out, 2000, 100));
    }

    @Test
    void sdesChunksShareOnePacket() {
        writer.begin(out, 0, 200);
        assertTrue(writer.sdesCname(1, new byte[] {'a'}));
        assertTrue(writer.sdesCname(2, new byte[] {'b', 'c'}));
        int n = writer.finish();
        // 4 header + two chunks of 4 SSRC + 2 + text + 1 end, each padded to 4 bytes
        assertWritten("82ca0005 00000001 01016100 00000002 01026263 00000000", n);
    }

    private void assertWritten(String expectedHex, int length) {
        assertArrayEquals(hex(expectedHex), out.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE),
                () -> "wrote " + hex(out, 0, length));
    }
}
