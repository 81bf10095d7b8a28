package io.eddyrtc.engine.rtcp;

import static io.eddyrtc.engine.rtcp.RtcpTestSupport.describe;
import static io.eddyrtc.engine.rtcp.RtcpTestSupport.hex;
import static io.eddyrtc.engine.rtcp.RtcpTestSupport.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing real and hand-built compound packets, and refusing every kind of length lie. */
class RtcpCompoundTest {

    /** Pion rtcp, packet_test.go {@code realPacket()}: RR, SDES, BYE, PLI and an RTCP-SR-REQ (RTPFB FMT 5). */
    static final String PION_REAL_PACKET = """
            81c90007 902f9e2e bc5e9a40 00000000 000046e1 00000111 09f36432 00024a79
            81ca000c 902f9e2e 0126 7b39633030656239322d316166622d396434392d613437642d3931663634656565363966357d 00000000
            81cb0001 902f9e2e
            81ce0002 902f9e2e 902f9e2e
            85cd0002 902f9e2e 902f9e2e""";

    /**
     * Pion rtcp, sender_report_test.go "valid": an SR with one report block. Pion's bytes say length 7,
     * which does not cover the block (pion does not check); here the length is the true 12.
     */
    static final String PION_SR = """
            81c8000c 902f9e2e da8bd1fcdddda05a aaf4edd5 00000001 00000002
            bc5e9a40 00000000 000046e1 00000111 09f36432 00024a79""";

    /** Pion rtcp, receiver_estimated_maximum_bitrate_test.go: "real data sent by Chrome while watching a 6Mb/s stream". */
    static final String PION_REMB = "8fce0005 00000001 00000000 52454d42 011a20df 4874ed16";

    /** Pion rtcp, transport_layer_cc_test.go "example1": one small delta, padded with the P bit. */
    static final String PION_TWCC_1 = "afcd0005 fa17fa17 43032fa0 00990001 3de80217 20019401";
    /** Pion "example4": a run-length chunk of 7 small deltas. */
    static final String PION_TWCC_4 = "afcd0007 fa17fa17 193dd8bb 00040007 10636e01 20074c24 24100c0c 10000003";
    /** Pion "example6": a two-bit vector with a large delta, then a run of 48 not received. */
    static final String PION_TWCC_6 = "afcd0007 9b74f61f 9371dcbc 853c0009 63f916b3 d5520030 9baa6aaa 7b010901";

    private final RtcpCompound compound = new RtcpCompound();

    @Test
    void readsPionsRealCompound() {
        assertEquals(List.of(
                "RR 2419039790",
                "block 3160316480 fl=0 cl=0 ehs=18145 j=273 lsr=166945842 dlsr=150137",
                "CNAME 2419039790 " + hex(segment("{9c00eb92-1afb-9d49-a47d-91f64eee69f5}".getBytes()), 0, 38),
                "BYE 2419039790",
                "PLI 2419039790 2419039790",
                "FB 205/5 2419039790 2419039790 ",
                "dropped 0"), describe(bytes(PION_REAL_PACKET)));
    }

    @Test
    void readsSenderReport() {
        byte[] b = hex(PION_SR);
        assertTrue(compound.wrap(segment(b), 0, b.length));
        assertTrue(compound.next());
        assertEquals(RtcpKind.SENDER_REPORT, compound.kind());
        SenderReport sr = compound.senderReport();
        assertEquals(0x902f9e2eL, sr.ssrc());
        assertEquals(0xda8bd1fcdddda05aL, sr.ntpTime());
        assertEquals(0xaaf4edd5L, sr.rtpTimestamp());
        assertEquals(1, sr.packetCount());
        assertEquals(2, sr.octetCount());
        assertEquals(1, sr.blockCount());
        assertEquals(0xbc5e9a40L, sr.blockSsrc(0));
        assertEquals(0x46e1, sr.extendedHighestSequence(0));
        assertEquals(273, sr.jitter(0));
        assertEquals(0x9f36432L, sr.lastSr(0));
        assertEquals(150137, sr.delaySinceLastSr(0));
        assertFalse(compound.next());
        assertNull(compound.lastDropReason());
    }

    @Test
    void refusesPionsSenderReportWithItsLengthLie() {
        MemorySegment s = bytes(PION_SR.replace("81c8000c", "81c80007"));
        compound.wrap(s, 0, (int) s.byteSize());
        assertFalse(compound.next());
        // 32 bytes cannot hold the SR's one block; what follows inside the datagram is not a packet (version 0)
        assertEquals(1, compound.dropped(RtcpDropReason.MALFORMED_REPORT));
        assertEquals(RtcpDropReason.BAD_VERSION, compound.lastDropReason());
    }

    @Test
    void cumulativeLostIsSigned() {
        MemorySegment s = bytes("81c90007 00000001 00000002 ff fffffe 00000000 00000000 00000000 00000000");
        compound.wrap(s, 0, (int) s.byteSize());
        assertTrue(compound.next());
        assertEquals(255, compound.receiverReport().fractionLost(0));
        assertEquals(-2, compound.receiverReport().cumulativeLost(0));
    }

    @Test
    void readsChromesRemb() {
        MemorySegment s = bytes(PION_REMB);
        compound.wrap(s, 0, (int) s.byteSize());
        assertTrue(compound.next());
        assertEquals(RtcpKind.REMB, compound.kind());
        Remb remb = compound.remb();
        assertEquals(1, remb.senderSsrc());
        assertEquals(8_927_168, remb.bitrate(), "139487 * 2^6");
        assertEquals(1, remb.ssrcCount());
        assertEquals(1215622422L, remb.ssrc(0));
    }

    @Test
    void rembBitrateSaturatesInsteadOfOverflowing() {
        MemorySegment s = bytes("8fce0004 00000001 00000000 52454d42 00ffffff");
        compound.wrap(s, 0, (int) s.byteSize());
        assertTrue(compound.next());
        assertEquals(63, compound.remb().bitrateExponent());
        assertEquals(Long.MAX_VALUE, compound.remb().bitrate());
    }

    @Test
    void applicationFeedbackThatIsNotRembPassesThrough() {
        MemorySegment s = bytes("8fce0003 00000001 00000002 41424344");
        compound.wrap(s, 0, (int) s.byteSize());
        assertTrue(compound.next());
        assertEquals(RtcpKind.PSFB_OTHER, compound.kind());
        assertEquals(15, compound.feedback().format());
        assertEquals(4, compound.feedback().fciLength());
    }

    @Test
    void expandsNack() {
        // Pion's NACK round-trip pairs {1, 0xAA} and {1034, 0x05} (transport_layer_nack_test.go)
        MemorySegment s = bytes("81cd0004 902f9e2e 902f9e2e 000100aa 040a0005");
        compound.wrap(s, 0, (int) s.byteSize());
        assertTrue(compound.next());
        GenericNack nack = compound.nack();
        assertEquals(2, nack.entryCount());
        assertEquals(8, nack.lostCount());
        int[] seqs = new int[8];
        assertEquals(8, nack.lostSequenceNumbers(seqs, 0));
        assertEquals("[1, 3, 5, 7, 9, 1034, 1035, 1037]", java.util.Arrays.toString(seqs));
        int[] shortOut = new int[3];
        assertEquals(3, nack.lostSequenceNumbers(shortOut, 0), "a short array truncates");
    }

    @Test
    void nackWrapsAroundSequenceZero() {
        MemorySegment s = bytes("81cd0003 00000001 00000002 ffff0003");
        compound.wrap(s, 0, (int) s.byteSize());
        assertTrue(compound.next());
        int[] seqs = new int[3];
        compound.nack().lostSequenceNumbers(seqs, 0);
        assertEquals("[65535, 0, 1]", java.util.Arrays.toString(seqs));
    }

    @Test
    void readsFirEntries() {
        // Pion full_intra_request_test.go, two entries (pion's length field says 5 for these 7 words; corrected)
        MemorySegment s = bytes("84ce0006 00000000 4bc4fcb4 12345678 42000000 98765432 57000000");
        compound.wrap(s, 0, (int) s.byteSize());
        assertTrue(compound.next());
        assertEquals(RtcpKind.FIR, compound.kind());
        FullIntraRequest fir = compound.fullIntraRequest();
        assertEquals(2, fir.entryCount());
        assertEquals(0x12345678L, fir.entrySsrc(0));
        assertEquals(0x42, fir.entrySequenceNumber(0));
        assertEquals(0x98765432L, fir.entrySsrc(1));
        assertEquals(0x57, fir.entrySequenceNumber(1));
    }

    @Test
    void readsChromeTransportFeedback() {
        MemorySegment s = bytes(PION_TWCC_1);
        compound.wrap(s, 0, (int) s.byteSize());
        assertTrue(compound.next());
        assertEquals(RtcpKind.TRANSPORT_FEEDBACK, compound.kind());
        assertEquals(23, compound.packetLength(), "one byte of padding excluded");
        TwccReport r = compound.transportFeedback().report();
        assertEquals(153, r.baseSequence());
        assertEquals(1, r.packetCount());
        assertEquals(4057090, r.referenceTime());
        assertEquals(23, r.feedbackCount());
        assertEquals(TwccReport.SMALL_DELTA, r.status(0));
        assertEquals(37_000 / 250, r.deltaTicks(0));

        assertEquals(List.of("TWCC 4195875351 423483579 base=4 ref=1074030 fb=1 [76 36 36 16 12 12 16 ]", "dropped 0"),
                describe(bytes(PION_TWCC_4)));
        // two-bit vector (small x5, not received, large 265), then a run of 48 not received cut to the count of 9
        assertEquals(List.of("TWCC 2608133663 2473712828 base=34108 ref=6551830 fb=179 [155 170 106 170 123 - 265 - - ]",
                "dropped 0"), describe(bytes(PION_TWCC_6)));
    }

    @Test
    void refusesPionsTransportFeedbackThatLies() {
        // pion "example2": two-bit symbol 3, which the draft reserves (pion calls it "received without delta")
        assertRefused("afcd0006 fa17fa17 193dd8bb 0174000e 45b15a40 d800f0ff d0000003",
                RtcpDropReason.MALFORMED_TRANSPORT_FEEDBACK);
        // pion "example3": P bit set but the last byte, the padding count, is 0
        assertRefused("afcd0007 fa17fa17 193dd8bb 01740006 45b15a40 40022004 1ffe1f9a d000d000",
                RtcpDropReason.BAD_PADDING);
        // pion "example5": the padding count (3) swallows the last delta
        assertRefused("afcd0006 fa17fa17 193dd8bb 0001000e 10636d00 ba00100c 0c100003",
                RtcpDropReason.MALFORMED_TRANSPORT_FEEDBACK);
    }

    @Test
    void readsExtendedReportBlocks() {
        // RFC 3611 §4.4 RRTR and §4.5 DLRR with two sub-blocks, around a §4.1 loss RLE block to be skipped
        MemorySegment s = bytes("""
                80cf000f 01020304
                01000003 12345689 0005000c 40060000
                04000002 0102030405060708
                05000006 88888888 12345678 99999999 09090909 12345678 99999999""");
        compound.wrap(s, 0, (int) s.byteSize());
        assertTrue(compound.next());
        assertEquals(RtcpKind.EXTENDED_REPORT, compound.kind());
        ExtendedReport xr = compound.extendedReport();
        assertEquals(0x01020304L, xr.ssrc());
        assertTrue(xr.nextBlock());
        assertEquals(ExtendedReport.RRTR, xr.blockType());
        assertEquals(0x0102030405060708L, xr.rrtrNtpTime());
        assertTrue(xr.nextBlock());
        assertEquals(ExtendedReport.DLRR, xr.blockType());
        assertEquals(2, xr.dlrrCount());
        assertEquals(0x09090909L, xr.dlrrSsrc(1));
        assertEquals(0x12345678L, xr.dlrrLastRr(1));
        assertEquals(0x99999999L, xr.dlrrDelay(1));
        assertFalse(xr.nextBlock());
    }

    @Test
    void readsByeReasonAndApp() {
        MemorySegment s = bytes("82cb0003 00000001 00000002 03464f4f 81cc0003 00000007 6e616d65 11223344");
        assertEquals(List.of("BYE 1 2 reason=464f4f", "APP 1 7 1851878757 11223344", "dropped 0"), describe(s, 0, s.byteSize()));
    }

    @Test
    void acceptsReducedSizePliAlone() {
        // RFC 5506: a single feedback packet without the SR/RR RFC 3550 would ask for first
        MemorySegment s = bytes("81ce0002 00000001 00000002");
        assertEquals(List.of("PLI 1 2", "dropped 0"), describe(s, 0, s.byteSize()));
    }

    @Test
    void passesUnknownTypesThrough() {
        MemorySegment s = bytes("80c00001 deadbeef 80c90001 00000009");
        compound.wrap(s, 0, (int) s.byteSize());
        assertTrue(compound.next());
        assertEquals(RtcpKind.UNKNOWN, compound.kind());
        assertEquals(192, compound.packetType());
        assertEquals(8, compound.packetLength());
        assertTrue(compound.next());
        assertEquals(RtcpKind.RECEIVER_REPORT, compound.kind());
    }

    // ---- malformed input: every length lie is refused without reading outside the window ----

    @Test
    void headerLiesEndTheCompound() {
        assertRefused("81c9", RtcpDropReason.TRUNCATED_HEADER);
        assertRefused("41c90001 00000001", RtcpDropReason.BAD_VERSION);
        assertRefused("81c90007 902f9e2e", RtcpDropReason.LENGTH_OVERRUN);
        // the first packet survives; the lie in the second ends the compound before the PLI
        MemorySegment s = bytes("80c90001 00000001 80c90009 00000001 81ce0002 00000001 00000002");
        assertEquals(List.of("RR 1", "dropped 1"), describe(s, 0, s.byteSize()));
        // a trailing half header after good packets
        s = bytes("80c90001 00000001 81c9");
        assertEquals(List.of("RR 1", "dropped 1"), describe(s, 0, s.byteSize()));
    }

    @Test
    void aMalformedBodyOnlyCostsItsPacket() {
        // RR claiming 1 block in a body of none, then a good PLI
        MemorySegment s = bytes("81c90001 00000001 81ce0002 00000001 00000002");
        compound.wrap(s, 0, (int) s.byteSize());
        assertTrue(compound.next());
        assertEquals(RtcpKind.PLI, compound.kind());
        assertEquals(RtcpDropReason.MALFORMED_REPORT, compound.lastDropReason());
        assertFalse(compound.next());
        assertEquals(1, compound.droppedInCompound());
        assertEquals(1, compound.dropped(RtcpDropReason.MALFORMED_REPORT));
        assertEquals(1, compound.droppedTotal());
        compound.wrap(s, 0, (int) s.byteSize());
        while (compound.next()) {
            assertEquals(RtcpKind.PLI, compound.kind());
        }
        assertEquals(1, compound.droppedInCompound(), "per compound, reset by wrap");
        assertEquals(2, compound.droppedTotal(), "over the cursor's life");
    }

    @Test
    void paddingLies() {
        assertRefused("a1c90001 00000000", RtcpDropReason.BAD_PADDING); // count 0
        assertRefused("a1c90001 00000005", RtcpDropReason.BAD_PADDING); // more than the body
        assertRefused("a0c90000", RtcpDropReason.BAD_PADDING); // no body to pad
        // padding that leaves too little for the SR's fixed fields
        assertRefused("a0c80006 00000001 00000000 00000000 00000000 00000000 00000004", RtcpDropReason.MALFORMED_REPORT);
    }

    @Test
    void reportCountsThatDoNotFit() {
        assertRefused("80c80005 00000001 00000000 00000000 00000000 00000000", RtcpDropReason.MALFORMED_REPORT);
        assertRefused("82c90007 00000001 00000002 00000000 00000000 00000000 00000000 00000000",
                RtcpDropReason.MALFORMED_REPORT);
    }

    @Test
    void sdesLies() {
        assertRefused("81ca0002 00000001 01090000", RtcpDropReason.MALFORMED_SDES); // CNAME length past the end
        assertRefused("81ca0002 00000001 01026162", RtcpDropReason.MALFORMED_SDES); // no terminating zero
        assertRefused("82ca0003 00000001 01016100 00000000", RtcpDropReason.MALFORMED_SDES); // second chunk missing
        assertRefused("81ca0001 00000001", RtcpDropReason.MALFORMED_SDES); // chunk with no item list at all
        // other items are stepped over; the first CNAME is reported
        MemorySegment s = bytes("81ca0003 00000001 02017801 02616200");
        assertEquals(List.of("CNAME 1 6162", "dropped 0"), describe(s, 0, s.byteSize()));
    }

    @Test
    void byeLies() {
        assertRefused("82cb0001 00000001", RtcpDropReason.MALFORMED_BYE);
        assertRefused("81cb0002 00000001 05414243", RtcpDropReason.MALFORMED_BYE);
    }

    @Test
    void feedbackLies() {
        assertRefused("81ce0001 00000001", RtcpDropReason.MALFORMED_FEEDBACK); // no media SSRC
        assertRefused("81cd0002 00000001 00000002", RtcpDropReason.MALFORMED_FEEDBACK); // NACK without FCI
        assertRefused("a1cd0003 00000001 00000002 00010002", RtcpDropReason.MALFORMED_FEEDBACK); // FCI cut by padding
        assertRefused("84ce0003 00000001 00000000 00000001", RtcpDropReason.MALFORMED_FEEDBACK); // FIR half entry
        assertRefused("84ce0002 00000001 00000000", RtcpDropReason.MALFORMED_FEEDBACK); // FIR without entries
        assertRefused("8fce0004 00000001 00000000 52454d42 02000001", RtcpDropReason.MALFORMED_FEEDBACK); // 2 SSRCs promised
        assertRefused("8fce0003 00000001 00000000 52454d42", RtcpDropReason.MALFORMED_FEEDBACK); // no bitrate
        assertRefused("81cc0001 00000001", RtcpDropReason.MALFORMED_APP);
    }

    @Test
    void transportFeedbackLies() {
        // too short for base, count, reference time
        assertRefused("8fcd0003 00000001 00000002 00000001", RtcpDropReason.MALFORMED_TRANSPORT_FEEDBACK);
        // 3 statuses promised, no chunk
        assertRefused("8fcd0004 00000001 00000002 00000003 00000000", RtcpDropReason.MALFORMED_TRANSPORT_FEEDBACK);
        // a run of 3 small deltas, one delta byte present (and 1 byte of zero padding)
        assertRefused("8fcd0005 00000001 00000002 00000003 00000000 20030500", RtcpDropReason.MALFORMED_TRANSPORT_FEEDBACK);
        // a run with the reserved symbol 3
        assertRefused("8fcd0005 00000001 00000002 00000001 00000000 60010000", RtcpDropReason.MALFORMED_TRANSPORT_FEEDBACK);
        // a large delta cut in half
        assertRefused("afcd0005 00000001 00000002 00000001 00000000 4001ff02", RtcpDropReason.MALFORMED_TRANSPORT_FEEDBACK);
    }

    @Test
    void extendedReportLies() {
        assertRefused("80cf0000", RtcpDropReason.MALFORMED_XR);
        assertRefused("80cf0002 00000001 04000002", RtcpDropReason.MALFORMED_XR); // RRTR past the end
        assertRefused("80cf0003 00000001 04000001 00000000", RtcpDropReason.MALFORMED_XR); // RRTR of the wrong size
        assertRefused("80cf0004 00000001 05000002 00000000 00000000", RtcpDropReason.MALFORMED_XR); // DLRR of 2 words
        assertRefused("80cf0002 00000001 0900", RtcpDropReason.LENGTH_OVERRUN);
    }

    @Test
    void windowOutsideTheSegmentIsRefusedNotRead() {
        MemorySegment s = bytes("81ce0002 00000001 00000002");
        assertFalse(compound.wrap(s, 4, 12));
        assertFalse(compound.next());
        // a window that ends before the segment does: the parser must not look past it
        assertTrue(compound.wrap(s, 0, 8));
        assertFalse(compound.next());
        assertEquals(RtcpDropReason.LENGTH_OVERRUN, compound.lastDropReason());
    }

    private void assertRefused(String hexBytes, RtcpDropReason reason) {
        MemorySegment s = bytes(hexBytes);
        compound.wrap(s, 0, (int) s.byteSize());
        assertFalse(compound.next(), hexBytes);
        assertEquals(reason, compound.lastDropReason(), hexBytes);
        assertEquals(1, compound.droppedInCompound(), hexBytes);
    }

    private static MemorySegment bytes(String hexBytes) {
        return segment(hex(hexBytes));
    }

    private static List<String> describe(MemorySegment s) {
        return RtcpTestSupport.describe(s, 0, (int) s.byteSize());
    }

    private static List<String> describe(MemorySegment s, long offset, long length) {
        return RtcpTestSupport.describe(s, offset, (int) length);
    }
}
