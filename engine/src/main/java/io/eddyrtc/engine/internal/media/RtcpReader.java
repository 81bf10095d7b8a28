package io.eddyrtc.engine.internal.media;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.internal.RtcDrops;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import io.eddyrtc.engine.rtcp.RtcpCompound;
import io.eddyrtc.engine.stream.ReceiveStream;
import io.eddyrtc.engine.stream.ReceiveStreams;
import io.eddyrtc.engine.stream.ReportBlockValues;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The RTCP an {@code Rtc} receives, already unprotected: sender reports feed the receive streams' NTP/RTP
 * mapping, report blocks give our send streams their RTT and the peer's loss, NACKs are answered with RTX,
 * PLI and FIR become {@link Event.KeyframeRequest}s. SDES, BYE, REMB, TWCC, XR and APP are read and not
 * acted on (no bandwidth estimation yet). Never throws on the content; allocates only the events.
 */
final class RtcpReader {
    private final MediaSender sender;
    private final ReceiveStreams streams;
    private final RtcDrops drops;
    private final ArrayDeque<Event> events;
    private final RtcTimeline timeline;
    private final RtcpCompound compound = new RtcpCompound();
    private final ReportBlockValues block = new ReportBlockValues();

    /** {@code sender} answers NACKs and owns the streams report blocks are about; {@code streams} are those we receive. */
    RtcpReader(MediaSender sender, ReceiveStreams streams, RtcDrops drops, ArrayDeque<Event> events, RtcTimeline timeline) {
        this.sender = sender;
        this.streams = streams;
        this.drops = drops;
        this.events = events;
        this.timeline = timeline;
    }

    /** One compound datagram: every well-formed packet is used; a malformed one ends the compound and is counted. */
    void read(long now, InetSocketAddress source, MemorySegment segment, long offset, int length) {
        if (!compound.wrap(segment, offset, length)) {
            drops.count(RtcDropReason.MALFORMED_RTCP, source);
            return;
        }
        while (compound.next()) {
            switch (compound.kind()) {
                case SENDER_REPORT -> {
                    var sr = compound.senderReport();
                    ReceiveStream from = streams.media(sr.ssrc());
                    if (from != null) {
                        from.onSenderReport(now, sr.ntpTime(), sr.rtpTimestamp(), sr.packetCount(), sr.octetCount());
                    }
                    for (int i = 0; i < sr.blockCount(); i++) {
                        reportBlock(now, sr.blockSsrc(i), sr.fractionLost(i), sr.cumulativeLost(i), sr.extendedHighestSequence(i),
                                sr.jitter(i), sr.lastSr(i), sr.delaySinceLastSr(i));
                    }
                }
                case RECEIVER_REPORT -> {
                    var rr = compound.receiverReport();
                    for (int i = 0; i < rr.blockCount(); i++) {
                        reportBlock(now, rr.blockSsrc(i), rr.fractionLost(i), rr.cumulativeLost(i), rr.extendedHighestSequence(i),
                                rr.jitter(i), rr.lastSr(i), rr.delaySinceLastSr(i));
                    }
                }
                case NACK -> {
                    var nack = compound.nack();
                    SsrcSender out = sender.bySsrc(nack.mediaSsrc());
                    if (out != null && out.send() != null) {
                        // entry by entry, so no list of every number a peer names needs room here
                        for (int e = 0, entries = nack.entryCount(); e < entries; e++) {
                            int pid = nack.packetId(e);
                            int blp = nack.lostBitmask(e);
                            sender.answerNack(now, out, pid);
                            for (int k = 0; k < 16; k++) {
                                if ((blp & (1 << k)) != 0) {
                                    sender.answerNack(now, out, (pid + k + 1) & 0xFFFF);
                                }
                            }
                        }
                    }
                }
                case PLI -> keyframeRequest(compound.feedback().mediaSsrc(), false);
                case FIR -> {
                    var fir = compound.fullIntraRequest();
                    for (int i = 0; i < fir.entryCount(); i++) {
                        SsrcSender out = sender.bySsrc(fir.entrySsrc(i));
                        // RFC 5104 §4.3.1: a repeated FIR keeps its sequence number; only a new one is a new request
                        if (out == null || out.acceptFir(fir.entrySequenceNumber(i))) {
                            keyframeRequest(fir.entrySsrc(i), true);
                        }
                    }
                }
                default -> {
                    // SDES, BYE, REMB, TWCC, XR, APP: read and not acted on
                }
            }
        }
        if (compound.droppedInCompound() > 0) {
            drops.count(RtcDropReason.MALFORMED_RTCP, source);
        }
    }

    private void reportBlock(long now, long ssrc, int fractionLost, int cumulativeLost, long highest, long jitter, long lsr,
                             long dlsr) {
        SsrcSender out = sender.bySsrc(ssrc);
        if (out != null && out.send() != null) {
            out.send().onReportBlock(now, block.set(ssrc, fractionLost, cumulativeLost, highest, jitter, lsr, dlsr));
        }
    }

    /**
     * A request becomes an event with the mid and rid of our stream; for an SSRC no declared stream has (RTP
     * written raw with {@code writeRtp}) they are null and the application matches the SSRC itself.
     */
    private void keyframeRequest(long ssrc, boolean fir) {
        SsrcSender out = sender.bySsrc(ssrc);
        String mid = out == null ? null : out.section.mid();
        String rid = out == null ? null : out.rid;
        timeline.keyframeRequest(false, fir, mid, rid, ssrc);
        events.add(new Event.KeyframeRequest(mid, rid, ssrc, fir));
    }
}
