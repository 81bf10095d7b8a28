package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.NtpTime;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.srtp.SrtpSession;
import io.eddyrtc.engine.MediaConfig;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.bwe.TwccRecorder;
import io.eddyrtc.engine.internal.RtcDrops;
import io.eddyrtc.engine.rtcp.RtcpWriter;
import io.eddyrtc.engine.rtcp.TwccReport;
import io.eddyrtc.engine.stream.ReceiveStream;
import io.eddyrtc.engine.stream.ReportBlockValues;
import io.eddyrtc.engine.stream.SendStream;
import io.eddyrtc.engine.stream.SenderReportValues;
import java.util.List;

/**
 * The RTCP an {@code Rtc} sends, and when: a report compound every {@link MediaConfig#reportIntervalNanos()}
 * while media moves, every {@value #IDLE_REPORT_INTERVAL_NANOS} ns (RFC 3550's minimum) while none has moved
 * in either direction for an interval (an SR per stream we send, or an RR when we send nothing; report
 * blocks about what we receive; our CNAME; the REMB budget), transport-wide feedback every {@link TwccRecorder#INTERVAL_NANOS} while numbered packets
 * arrive, NACKs as receive streams say they are due, and PLIs on request. Each compound is written into a
 * pool slot, protected with SRTCP and queued for the {@code Rtc}'s output. Allocates nothing.
 */
final class RtcpScheduler {
    private static final int MAX_REPORT_BLOCKS = 31;
    /**
     * Between reports while no media moves: RFC 3550's 5 s minimum. An idle peer then costs a fifth of the
     * reports (most of its keepalive work), and a receiver loses nothing: with no packets there is nothing new
     * to report, and the first packet after the pause brings reports back to their interval.
     */
    static final long IDLE_REPORT_INTERVAL_NANOS = 5_000_000_000L;

    private final MediaConfig config;
    private final PacketPool pool;
    private final RtcDrops drops;
    private final OutgoingQueue outgoing;
    private final TwccRecorder twcc;
    private final long rtcpSsrc;
    private final byte[] cname;
    private final RtcpWriter writer = new RtcpWriter();
    private final ReportBlockValues block = new ReportBlockValues();
    private final SenderReportValues senderReport = new SenderReportValues();
    /** NACKs due at one poll; more are polled again at once (a default NACK window is 100 numbers). */
    private final int[] sequences = new int[128];
    private SrtpSession srtp;
    private long nextReportAt = Long.MAX_VALUE;
    private long lastMediaAt = Long.MIN_VALUE / 2;
    /** Where the next report's blocks start, so that more than 31 streams are all reported in turn. */
    private int nextBlock;
    /** The receive budget announced by REMB with every report, 0 for none. */
    private long rembBitrate;
    private final long[] rembSsrcs = new long[64];

    /**
     * {@code outgoing}: where protected compounds go; {@code twcc}: what the transport-wide feedback reports;
     * {@code rtcpSsrc}: the SSRC of our reports when we send no media.
     */
    RtcpScheduler(MediaConfig config, PacketPool pool, RtcDrops drops, OutgoingQueue outgoing, TwccRecorder twcc, long rtcpSsrc,
                  byte[] cname) {
        this.config = config;
        this.pool = pool;
        this.drops = drops;
        this.outgoing = outgoing;
        this.twcc = twcc;
        this.rtcpSsrc = rtcpSsrc;
        this.cname = cname;
    }

    /** DTLS exported the SRTP keys: compounds are protected with {@code session}, reports start one interval from {@code now}. */
    void start(long now, SrtpSession session) {
        this.srtp = session;
        this.nextReportAt = now + config.reportIntervalNanos();
    }

    /** When a report or transport-wide feedback is next due ({@link Long#MAX_VALUE} before SRTP keys). */
    long nextDeadline() {
        return srtp == null ? Long.MAX_VALUE : Math.min(nextReportAt, twcc.dueAt());
    }

    /** Sends the transport-wide feedback and the report compound that are due at {@code now}. */
    void handleTimeout(long now, List<SsrcSender> outbound, List<SsrcReceiver> inbound) {
        if (srtp == null) {
            return;
        }
        if (now >= twcc.dueAt()) {
            TwccReport feedback = twcc.nextFeedback(now);
            if (feedback != null) {
                transportFeedback(twcc.mediaSsrc(), feedback);
            }
        }
        if (now >= nextReportAt) {
            reports(now, outbound, inbound);
            boolean moving = now - lastMediaAt <= config.reportIntervalNanos();
            nextReportAt = now + (moving ? config.reportIntervalNanos() : Math.max(config.reportIntervalNanos(),
                    IDLE_REPORT_INTERVAL_NANOS));
            twcc.trim(now); // a peer whose numbered packets stopped gives its ring back
        }
    }

    /**
     * An RTP packet went out or came in at {@code now}: reports keep (or go back to) their interval. Per packet,
     * two comparisons.
     */
    void mediaMoved(long now) {
        lastMediaAt = now;
        long due = now + config.reportIntervalNanos();
        if (nextReportAt > due && srtp != null) {
            nextReportAt = due;
        }
    }

    /** A picture loss indication for the stream we receive with {@code mediaSsrc} (behind an empty RR). */
    void pli(long mediaSsrc) {
        PacketBuffer slot = begin();
        if (slot == null) {
            return;
        }
        writer.receiverReport(rtcpSsrc);
        writer.pli(rtcpSsrc, mediaSsrc);
        finish(slot);
    }

    /** Transport-wide congestion control feedback about the packets numbered since the last one. */
    private void transportFeedback(long mediaSsrc, TwccReport report) {
        PacketBuffer slot = begin();
        if (slot == null) {
            return;
        }
        writer.receiverReport(rtcpSsrc);
        if (!writer.transportFeedback(rtcpSsrc, mediaSsrc, report)) {
            drops.count(RtcDropReason.SEND_BUFFER_FULL, null); // sized by the MTU, so it should not happen; never silent
        }
        finish(slot);
    }

    /** The NACKs {@code receive} says are due at {@code now}, in as many datagrams as they need. */
    void nacks(long now, ReceiveStream receive) {
        int n = receive.pollNacks(now, sequences);
        int from = 0;
        while (from < n) {
            PacketBuffer slot = begin();
            if (slot == null) {
                return;
            }
            writer.receiverReport(rtcpSsrc);
            int covered = writer.nackFitting(rtcpSsrc, receive.ssrc(), sequences, from, n - from);
            finish(slot);
            if (covered == 0) {
                return; // not even one entry fits an MTU: cannot happen with a sane MTU, but never loop
            }
            from += covered;
        }
    }

    /**
     * One report compound: an SR per stream we send (the first carries the report blocks) or an RR when we
     * send nothing, report blocks for up to 31 received streams, and our CNAME.
     */
    private void reports(long now, List<SsrcSender> outbound, List<SsrcReceiver> inbound) {
        PacketBuffer slot = begin();
        if (slot == null) {
            return;
        }
        long ntp = NtpTime.fromUnixNanos(now + config.wallclockOffsetNanos());
        boolean wroteReport = false;
        long reporter = rtcpSsrc;
        for (int i = 0; i < outbound.size(); i++) {
            SendStream send = outbound.get(i).send();
            if (send != null && send.fillSenderReport(now, ntp, senderReport)) {
                writer.senderReport(senderReport.ssrc, senderReport.ntpTime, senderReport.rtpTime, senderReport.packetCount,
                        senderReport.octetCount);
                if (!wroteReport) {
                    reportBlocks(now, inbound);
                    reporter = senderReport.ssrc;
                }
                wroteReport = true;
            }
        }
        if (!wroteReport) {
            writer.receiverReport(rtcpSsrc);
            reportBlocks(now, inbound);
        }
        writer.sdesCname(reporter, cname);
        boolean rembFitted = remb(reporter, inbound);
        finish(slot);
        if (!rembFitted) { // the reports filled the datagram: the budget goes in one of its own
            PacketBuffer own = begin();
            if (own != null) {
                writer.receiverReport(rtcpSsrc);
                remb(rtcpSsrc, inbound);
                finish(own);
            }
        }
    }

    /** From now on every report carries a REMB of {@code bitsPerSecond} (0: none), and one goes out at once. */
    void setRembBitrate(long bitsPerSecond, List<SsrcReceiver> inbound) {
        this.rembBitrate = bitsPerSecond;
        if (srtp != null && bitsPerSecond > 0) {
            PacketBuffer slot = begin();
            if (slot == null) {
                return;
            }
            writer.receiverReport(rtcpSsrc);
            remb(rtcpSsrc, inbound);
            finish(slot);
        }
    }

    /**
     * A REMB (goog-remb) naming the received streams whose m-line negotiated it: the total we will take.
     * False if it did not fit what is left of the datagram.
     */
    private boolean remb(long sender, List<SsrcReceiver> inbound) {
        if (rembBitrate <= 0) {
            return true;
        }
        int n = 0;
        for (int i = 0; i < inbound.size() && n < rembSsrcs.length; i++) {
            SsrcReceiver in = inbound.get(i);
            if (in.section.direction().isReceiving() && !in.section.codecs().isEmpty()
                    && in.section.codecs().getFirst().hasFeedback("goog-remb")) {
                rembSsrcs[n++] = in.receive.ssrc();
            }
        }
        return n == 0 || writer.remb(sender, rembBitrate, rembSsrcs, n);
    }

    /**
     * Report blocks for the streams we receive, at most 31 per compound (RFC 3550's count field): with more
     * streams, each report starts where the last stopped, so every stream is reported in turn. Streams of
     * m-lines that no longer receive are left out.
     */
    private void reportBlocks(long now, List<SsrcReceiver> inbound) {
        int size = inbound.size();
        int blocks = 0;
        int start = size == 0 ? 0 : nextBlock % size;
        for (int k = 0; k < size && blocks < MAX_REPORT_BLOCKS; k++) {
            SsrcReceiver in = inbound.get((start + k) % size);
            nextBlock = (start + k + 1) % size;
            if (!in.section.direction().isReceiving()) {
                continue;
            }
            ReceiveStream r = in.receive;
            if (r.fillReportBlock(now, block)) {
                if (!writer.reportBlock(block.ssrc, block.fractionLost, block.cumulativeLost, block.extendedHighestSequence,
                        block.jitter, block.lastSenderReport, block.delaySinceLastSenderReport)) {
                    nextBlock = (start + k) % size; // did not fit: first in the next report
                    return;
                }
                blocks++;
            }
        }
    }

    private PacketBuffer begin() {
        PacketBuffer slot = pool.acquire();
        if (slot.isNone()) {
            drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
            return null;
        }
        int room = Math.min(config.mtu(), (int) slot.segment().byteSize()) - srtp.outbound().rtcpOverhead();
        writer.begin(slot.segment(), 0, room);
        return slot;
    }

    private void finish(PacketBuffer slot) {
        int length = writer.finish();
        int n = srtp.outbound().protectRtcp(slot.segment(), 0, length, (int) slot.segment().byteSize());
        if (n < 0) {
            pool.release(slot);
            drops.count(RtcDropReason.SRTP_REJECTED, null);
            return;
        }
        slot.length(n);
        outgoing.add(slot);
    }
}
