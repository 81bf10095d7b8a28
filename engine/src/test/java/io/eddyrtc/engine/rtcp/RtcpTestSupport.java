package io.eddyrtc.engine.rtcp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * Test helpers: bytes from hex, a canonical text of everything the cursor reads out of a compound
 * (so two encodings of the same values compare equal), and a rewrite of a parsed compound through
 * {@link RtcpWriter} from the parsed values alone.
 */
final class RtcpTestSupport {
    private RtcpTestSupport() {
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("[\\s_]", ""));
    }

    static String hex(MemorySegment s, long offset, int length) {
        return HexFormat.of().formatHex(s.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
    }

    static MemorySegment segment(byte[] bytes) {
        return MemorySegment.ofArray(bytes);
    }

    /**
     * The values of every accepted packet, one line each (report blocks, SDES chunks and XR
     * sub-blocks on lines of their own, so that the writer may regroup them), then the drop count.
     */
    static List<String> describe(MemorySegment s, long offset, int length) {
        RtcpCompound c = new RtcpCompound();
        c.wrap(s, offset, length);
        List<String> out = new ArrayList<>();
        while (c.next()) {
            describePacket(c, out);
        }
        out.add("dropped " + c.droppedInCompound());
        return out;
    }

    static void describePacket(RtcpCompound c, List<String> out) {
        switch (c.kind()) {
            case SENDER_REPORT -> {
                SenderReport sr = c.senderReport();
                out.add("SR " + sr.ssrc() + " ntp=" + Long.toHexString(sr.ntpTime()) + " rtp=" + sr.rtpTimestamp()
                        + " packets=" + sr.packetCount() + " octets=" + sr.octetCount());
                blocks(sr, out);
            }
            case RECEIVER_REPORT -> {
                out.add("RR " + c.receiverReport().ssrc());
                blocks(c.receiverReport(), out);
            }
            case SOURCE_DESCRIPTION -> {
                SourceDescription sdes = c.sourceDescription();
                sdes.rewindChunks();
                while (sdes.nextChunk()) {
                    if (sdes.hasCname()) {
                        out.add("CNAME " + sdes.chunkSsrc() + " "
                                + hex(sdes.segment(), sdes.offset() + sdes.cnameOffset(), sdes.cnameLength()));
                    }
                }
            }
            case GOODBYE -> {
                Goodbye bye = c.goodbye();
                StringBuilder b = new StringBuilder("BYE");
                for (int i = 0; i < bye.sourceCount(); i++) {
                    b.append(' ').append(bye.source(i));
                }
                if (bye.hasReason()) {
                    b.append(" reason=").append(hex(bye.segment(), bye.offset() + bye.reasonOffset(), bye.reasonLength()));
                }
                out.add(b.toString());
            }
            case APP -> {
                AppPacket app = c.app();
                out.add("APP " + app.subtype() + " " + app.ssrc() + " " + app.name() + " "
                        + hex(app.segment(), app.offset() + app.dataOffset(), app.dataLength()));
            }
            case NACK -> {
                GenericNack nack = c.nack();
                int[] seqs = new int[nack.lostCount()];
                nack.lostSequenceNumbers(seqs, 0);
                TreeSet<Integer> set = new TreeSet<>();
                for (int q : seqs) {
                    set.add(q);
                }
                out.add("NACK " + nack.senderSsrc() + " " + nack.mediaSsrc() + " " + set);
            }
            case TRANSPORT_FEEDBACK -> {
                TransportFeedback fb = c.transportFeedback();
                TwccReport r = fb.report();
                StringBuilder b = new StringBuilder("TWCC " + fb.senderSsrc() + " " + fb.mediaSsrc() + " base="
                        + r.baseSequence() + " ref=" + r.referenceTime() + " fb=" + r.feedbackCount() + " [");
                for (int i = 0; i < r.packetCount(); i++) {
                    b.append(r.received(i) ? Integer.toString(r.deltaTicks(i)) : "-").append(' ');
                }
                out.add(b.append(']').toString());
            }
            case PLI -> out.add("PLI " + c.feedback().senderSsrc() + " " + c.feedback().mediaSsrc());
            case FIR -> {
                FullIntraRequest fir = c.fullIntraRequest();
                StringBuilder b = new StringBuilder("FIR " + fir.senderSsrc());
                for (int i = 0; i < fir.entryCount(); i++) {
                    b.append(' ').append(fir.entrySsrc(i)).append('/').append(fir.entrySequenceNumber(i));
                }
                out.add(b.toString());
            }
            case REMB -> {
                Remb remb = c.remb();
                StringBuilder b = new StringBuilder("REMB " + remb.senderSsrc() + " " + remb.bitrateExponent() + "/"
                        + remb.bitrateMantissa());
                for (int i = 0; i < remb.ssrcCount(); i++) {
                    b.append(' ').append(remb.ssrc(i));
                }
                out.add(b.toString());
            }
            case RTPFB_OTHER, PSFB_OTHER -> {
                FeedbackPacket fb = c.feedback();
                out.add("FB " + fb.packetType() + "/" + fb.format() + " " + fb.senderSsrc() + " " + fb.mediaSsrc() + " "
                        + hex(fb.segment(), fb.offset() + fb.fciOffset(), fb.fciLength()));
            }
            case EXTENDED_REPORT -> {
                ExtendedReport xr = c.extendedReport();
                out.add("XR " + xr.ssrc());
                xr.rewindBlocks();
                while (xr.nextBlock()) {
                    if (xr.blockType() == ExtendedReport.RRTR) {
                        out.add("RRTR " + Long.toHexString(xr.rrtrNtpTime()));
                    } else {
                        for (int i = 0; i < xr.dlrrCount(); i++) {
                            out.add("DLRR " + xr.dlrrSsrc(i) + " " + xr.dlrrLastRr(i) + " " + xr.dlrrDelay(i));
                        }
                    }
                }
            }
            case UNKNOWN -> out.add("RAW " + c.packetType() + "/" + c.countOrFormat() + " "
                    + hex(c.segment(), c.packetOffset() + 4, c.packetLength() - 4));
        }
    }

    private static void blocks(ReportPacket p, List<String> out) {
        for (int i = 0; i < p.blockCount(); i++) {
            out.add("block " + p.blockSsrc(i) + " fl=" + p.fractionLost(i) + " cl=" + p.cumulativeLost(i) + " ehs="
                    + p.extendedHighestSequence(i) + " j=" + p.jitter(i) + " lsr=" + p.lastSr(i) + " dlsr="
                    + p.delaySinceLastSr(i));
        }
    }

    /** Writes every packet {@code c} accepts into {@code w} from its parsed values; false if one did not fit. */
    static boolean rewrite(RtcpCompound c, RtcpWriter w) {
        while (c.next()) {
            if (!rewritePacket(c, w)) {
                return false;
            }
        }
        return true;
    }

    static boolean rewritePacket(RtcpCompound c, RtcpWriter w) {
        switch (c.kind()) {
            case SENDER_REPORT -> {
                SenderReport sr = c.senderReport();
                return w.senderReport(sr.ssrc(), sr.ntpTime(), sr.rtpTimestamp(), sr.packetCount(), sr.octetCount())
                        && rewriteBlocks(sr, w);
            }
            case RECEIVER_REPORT -> {
                return w.receiverReport(c.receiverReport().ssrc()) && rewriteBlocks(c.receiverReport(), w);
            }
            case SOURCE_DESCRIPTION -> {
                SourceDescription sdes = c.sourceDescription();
                sdes.rewindChunks();
                while (sdes.nextChunk()) {
                    if (sdes.hasCname() && !w.sdesCname(sdes.chunkSsrc(), sdes.cnameBytes())) {
                        return false;
                    }
                }
                return true;
            }
            case GOODBYE -> {
                Goodbye bye = c.goodbye();
                long[] ssrcs = new long[bye.sourceCount()];
                for (int i = 0; i < ssrcs.length; i++) {
                    ssrcs[i] = bye.source(i);
                }
                byte[] reason = bye.hasReason()
                        ? bye.segment().asSlice(bye.offset() + bye.reasonOffset(), bye.reasonLength()).toArray(ValueLayout.JAVA_BYTE)
                        : null;
                return w.bye(ssrcs, ssrcs.length, reason);
            }
            case APP -> {
                AppPacket app = c.app();
                return w.app(app.subtype(), app.ssrc(), app.name(), app.segment(), app.offset() + app.dataOffset(),
                        app.dataLength());
            }
            case NACK -> {
                GenericNack nack = c.nack();
                int[] seqs = new int[nack.lostCount()];
                nack.lostSequenceNumbers(seqs, 0);
                return w.nack(nack.senderSsrc(), nack.mediaSsrc(), seqs, 0, seqs.length);
            }
            case TRANSPORT_FEEDBACK -> {
                TransportFeedback fb = c.transportFeedback();
                return w.transportFeedback(fb.senderSsrc(), fb.mediaSsrc(), fb.report());
            }
            case PLI -> {
                return w.pli(c.feedback().senderSsrc(), c.feedback().mediaSsrc());
            }
            case FIR -> {
                FullIntraRequest fir = c.fullIntraRequest();
                long[] ssrcs = new long[fir.entryCount()];
                int[] seqs = new int[fir.entryCount()];
                for (int i = 0; i < ssrcs.length; i++) {
                    ssrcs[i] = fir.entrySsrc(i);
                    seqs[i] = fir.entrySequenceNumber(i);
                }
                return w.fir(fir.senderSsrc(), ssrcs, seqs, ssrcs.length);
            }
            case REMB -> {
                Remb remb = c.remb();
                long[] ssrcs = new long[remb.ssrcCount()];
                for (int i = 0; i < ssrcs.length; i++) {
                    ssrcs[i] = remb.ssrc(i);
                }
                return w.remb(remb.senderSsrc(), remb.bitrateExponent(), remb.bitrateMantissa(), ssrcs, ssrcs.length);
            }
            case RTPFB_OTHER, PSFB_OTHER -> {
                FeedbackPacket fb = c.feedback();
                return w.feedback(fb.packetType(), fb.format(), fb.senderSsrc(), fb.mediaSsrc(), fb.segment(),
                        fb.offset() + fb.fciOffset(), fb.fciLength());
            }
            case EXTENDED_REPORT -> {
                ExtendedReport xr = c.extendedReport();
                if (!w.extendedReport(xr.ssrc())) {
                    return false;
                }
                xr.rewindBlocks();
                while (xr.nextBlock()) {
                    if (xr.blockType() == ExtendedReport.RRTR) {
                        if (!w.rrtr(xr.rrtrNtpTime())) {
                            return false;
                        }
                    } else {
                        for (int i = 0; i < xr.dlrrCount(); i++) {
                            if (!w.dlrr(xr.dlrrSsrc(i), xr.dlrrLastRr(i), xr.dlrrDelay(i))) {
                                return false;
                            }
                        }
                    }
                }
                return true;
            }
            case UNKNOWN -> {
                return w.raw(c.packetType(), c.countOrFormat(), c.segment(), c.packetOffset() + 4, c.packetLength() - 4);
            }
        }
        throw new AssertionError(c.kind());
    }

    private static boolean rewriteBlocks(ReportPacket p, RtcpWriter w) {
        for (int i = 0; i < p.blockCount(); i++) {
            if (!w.reportBlock(p.blockSsrc(i), p.fractionLost(i), p.cumulativeLost(i), p.extendedHighestSequence(i),
                    p.jitter(i), p.lastSr(i), p.delaySinceLastSr(i))) {
                return false;
            }
        }
        return true;
    }
}
