package io.eddyrtc.engine.stream;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.NtpTime;
import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.rtp.RtpDropReason;
import io.eddyrtc.engine.rtp.RtpHeader;
import io.eddyrtc.engine.rtp.Rtx;
import java.util.Arrays;

/**
 * What eddy knows about one incoming RTP source (one SSRC) and, if it has one, its RTX repair stream:
 * sequence extension and duplicate detection, loss (RFC 3550 A.3) and jitter (A.8), generic NACKs, the
 * values of a reception report block, and the NTP↔RTP mapping from the source's sender reports.
 *
 * <p>Driven by the {@code Rtc}, with time as an argument:
 * <ul>
 *   <li>per RTP packet of this SSRC: {@link #onRtp}; per RTX packet of its repair SSRC: {@link #onRtx};
 *       deliver the packet only if the outcome is NEW or LATE;</li>
 *   <li>per received SR from this source: {@link #onSenderReport};</li>
 *   <li>when {@link #nextTimeout} is reached: {@link #pollNacks} and write a NACK for what it returns;</li>
 *   <li>per RR/SR the {@code Rtc} sends: {@link #fillReportBlock}.</li>
 * </ul>
 * Allocates nothing per packet; {@link #stats} allocates its snapshot.
 */
public final class ReceiveStream {
    private final long ssrc;
    private final ReceiveStreamConfig config;
    private final SequenceRegister register;
    private final JitterEstimator jitter;
    private final KeyframeRequestLimiter keyframes;

    private long rtxSsrc = -1;
    private byte[] rid;

    private boolean timestampStarted;
    private long highestTimestamp;
    private long lastExtendedTimestamp;

    private boolean haveSenderReport;
    private long senderReportNtp;
    private long senderReportRtp;
    private long senderReportArrival;
    private long remotePacketCount;
    private long remoteOctetCount;

    private long packets;
    private long bytes;
    private long dropped;
    private long nacksSent;
    private long repaired;
    private long paddingPackets;
    /** When NACKs are next due: lowered when a gap opens, recomputed by each poll. */
    private long nackDueAt = Long.MAX_VALUE;
    private long lastRtpAt = Long.MIN_VALUE;

    private final SnapshotRates rates = new SnapshotRates();

    /** A stream on its own: its NACK state is charged to nobody. */
    public ReceiveStream(long ssrc, ReceiveStreamConfig config) {
        this(ssrc, config, MemoryBudget.unlimited());
    }

    /**
     * A stream whose NACK state (made when the first gap opens) is charged to {@code memory}; with no room for
     * it the stream sends no NACKs ({@link #nackRefused()}).
     */
    public ReceiveStream(long ssrc, ReceiveStreamConfig config, MemoryBudget memory) {
        this.ssrc = ssrc & 0xFFFF_FFFFL;
        this.config = config;
        this.register = new SequenceRegister(config.nackEnabled() ? config.nackWindow() : 0, memory);
        this.jitter = new JitterEstimator(config.clockRate());
        this.keyframes = new KeyframeRequestLimiter(config.keyframeIntervalNanos());
    }

    public long ssrc() {
        return ssrc;
    }

    public ReceiveStreamConfig config() {
        return config;
    }

    /** Associates the RTX stream that repairs this one (from {@code a=ssrc-group:FID}, or learnt from repaired-rid). */
    public void setRtxSsrc(long rtxSsrc) {
        this.rtxSsrc = rtxSsrc & 0xFFFF_FFFFL;
    }

    /** The repairing RTX SSRC, or -1 if none is known. */
    public long rtxSsrc() {
        return rtxSsrc;
    }

    /** The rid (RFC 8851) of this simulcast layer, as ASCII, so RTX with a matching repaired-rid can be associated. */
    public void setRid(byte[] ascii) {
        this.rid = ascii == null ? null : ascii.clone();
    }

    /** True if {@code ascii[0, length)} is this stream's rid. */
    public boolean ridEquals(byte[] ascii, int length) {
        return rid != null && Arrays.equals(rid, 0, rid.length, ascii, 0, length);
    }

    /**
     * Accounts one RTP packet of this SSRC, {@code header} wrapped over it.
     *
     * @return whether to deliver it (NEW, LATE) or drop it (the rest, counted; PADDING is accounted, not delivered)
     */
    public ReceiveOutcome onRtp(long now, RtpHeader header) {
        return accept(now, header, false);
    }

    /**
     * Accounts one RTX packet repairing this stream: restores the original packet in place (RFC 4588; see
     * {@link Rtx#unwrap}) with this stream's SSRC and {@code originalPayloadType} (the RTX payload type's
     * {@code apt}), then treats it like {@link #onRtp}, except that it does not feed the jitter estimate
     * (a repair's lateness is the NACK round trip, not network jitter). On NEW or LATE, {@code header} is
     * wrapped over the restored packet.
     */
    public ReceiveOutcome onRtx(long now, RtpHeader header, int originalPayloadType) {
        if (header.payloadLength() == 0 && header.hasPadding()) {
            paddingPackets++;
            return ReceiveOutcome.PADDING;
        }
        if (Rtx.unwrap(header, ssrc, originalPayloadType) != RtpDropReason.NONE) {
            dropped++;
            return ReceiveOutcome.MALFORMED_RTX;
        }
        return accept(now, header, true);
    }

    private ReceiveOutcome accept(long now, RtpHeader header, boolean repair) {
        ReceiveOutcome outcome = register.update(header.sequenceNumber(), now);
        if (register.openedGap() && config.nackEnabled() && !register.nackRefused()) {
            nackDueAt = Math.min(nackDueAt, now + config.nackReorderGraceNanos());
        }
        if (register.justRestarted()) {
            // a (re)start of the sequence: timestamps and jitter start over too
            timestampStarted = false;
            jitter.resetReference();
        }
        switch (outcome) {
            case NEW, LATE -> {
                if (header.payloadLength() == 0) {
                    // probing padding on the media SSRC: numbered, so not a loss; nothing to play
                    paddingPackets++;
                    return ReceiveOutcome.PADDING;
                }
                packets++;
                bytes += header.payloadLength();
                lastRtpAt = now;
                lastExtendedTimestamp = extendTimestamp(header.timestamp());
                if (repair) {
                    repaired++;
                } else {
                    jitter.update(now, header.timestamp());
                }
            }
            case DUPLICATE -> {
            }
            default -> dropped++;
        }
        return outcome;
    }

    private long extendTimestamp(long rtp) {
        if (!timestampStarted) {
            timestampStarted = true;
            // one cycle up, so a reordered earlier packet never goes negative
            highestTimestamp = (1L << 32) + (rtp & 0xFFFF_FFFFL);
            return highestTimestamp;
        }
        long ext = SequenceNumbers.extend32(highestTimestamp, rtp);
        if (ext > highestTimestamp) {
            highestTimestamp = ext;
        }
        return ext;
    }

    /** The 64-bit sequence number of the last delivered (NEW or LATE) packet: cycles above the 16 bits, starting at 0. */
    public long lastExtendedSequence() {
        return register.lastExtended();
    }

    /** The 64-bit RTP timestamp (media time in ticks) of the last delivered packet; 32-bit wraps are extended. */
    public long lastExtendedTimestamp() {
        return lastExtendedTimestamp;
    }

    /**
     * Records a sender report from this source: the NTP↔RTP pair for {@link #rtpToUnixNanos} and the LSR
     * and its arrival time for the DLSR of the next report block.
     */
    public void onSenderReport(long now, long ntpTime, long rtpTime, long packetCount, long octetCount) {
        haveSenderReport = true;
        senderReportNtp = ntpTime;
        senderReportRtp = timestampStarted ? SequenceNumbers.extend32(highestTimestamp, rtpTime)
                : (1L << 32) + (rtpTime & 0xFFFF_FFFFL);
        senderReportArrival = now;
        remotePacketCount = packetCount;
        remoteOctetCount = octetCount;
    }

    /** As {@link #onSenderReport(long, long, long, long, long)} from a filled holder. */
    public void onSenderReport(long now, SenderReportValues sr) {
        onSenderReport(now, sr.ntpTime, sr.rtpTime, sr.packetCount, sr.octetCount);
    }

    /**
     * True if the last {@link #onRtp}/{@link #onRtx} started the sequence afresh (the first packet, or a
     * source restart per RFC 3550 A.1): whatever was keyed by the old sequence numbers must start over.
     */
    public boolean justRestarted() {
        return register.justRestarted();
    }

    /**
     * The sender's wallclock (Unix nanoseconds) for a 64-bit timestamp from {@link #lastExtendedTimestamp},
     * through the last SR's NTP↔RTP pair; {@link Long#MIN_VALUE} before any SR.
     */
    public long rtpToUnixNanos(long extendedTimestamp) {
        if (!haveSenderReport) {
            return Long.MIN_VALUE;
        }
        return NtpTime.toUnixNanos(senderReportNtp)
                + MediaTime.ticksToNanos(extendedTimestamp - senderReportRtp, config.clockRate());
    }

    public long remotePacketCount() {
        return remotePacketCount;
    }

    public long remoteOctetCount() {
        return remoteOctetCount;
    }

    /**
     * Fills a reception report block about this source as of {@code now}. Computes the fraction lost since
     * the previous call, so call it once per report sent.
     *
     * @return false (and nothing filled) if no packet has been received yet, so there is nothing to report
     */
    public boolean fillReportBlock(long now, ReportBlockValues out) {
        if (!register.started()) {
            return false;
        }
        long lsr = haveSenderReport ? NtpTime.compact(senderReportNtp) : 0;
        long dlsr = haveSenderReport ? NtpTime.durationToCompact(now - senderReportArrival) : 0;
        out.set(ssrc, register.fractionLostSinceLastReport(), register.cumulativeLost(), register.extendedHighest(),
                jitter.jitter(), lsr, dlsr);
        return true;
    }

    /**
     * Writes into {@code out} the missing sequence numbers due a NACK at {@code now} (see
     * {@link ReceiveStreamConfig}), each counted as a try; 0 if NACK is off. Pack them with
     * {@link NackPairs#pack} for a generic NACK (RFC 4585 §6.2.1).
     */
    public int pollNacks(long now, int[] out) {
        if (!config.nackEnabled()) {
            return 0;
        }
        int n = register.pollNacks(now, config.nackWindow(), config.nackMaxTries(), config.nackIntervalNanos(),
                config.nackReorderGraceNanos(), out);
        nackDueAt = register.nextDueAfterPoll();
        nacksSent += n;
        return n;
    }

    /**
     * When {@link #pollNacks} should next be called ({@link Long#MAX_VALUE} if nothing is pending): the arrival
     * time of a packet that opened a gap, or the next retry. O(1); it may be early (a gap since filled), never
     * late — a poll then returns 0 and sets the next time right.
     */
    public long nextTimeout() {
        return config.nackEnabled() ? nackDueAt : Long.MAX_VALUE;
    }

    /** True if a gap needed NACK state and the memory budget had no room for it: this stream sends no NACKs. */
    public boolean nackRefused() {
        return register.nackRefused();
    }

    /** Heap bytes this stream made as its traffic needed them (the NACK state), charged to its budget. */
    public long grownBytes() {
        return register.nackStateBytes();
    }

    /** Gives what this stream charged back to its budget (it is going away). */
    public void close() {
        register.close();
    }

    /** Missing sequence numbers in the NACK window right now. */
    public int missingInNackWindow() {
        return register.missingInWindow(config.nackWindow());
    }

    /** The limiter to ask before sending a PLI or FIR for this stream. */
    public KeyframeRequestLimiter keyframeRequests() {
        return keyframes;
    }

    /** Monotonic time of the last accepted packet, {@link Long#MIN_VALUE} if none. */
    public long lastPacketAt() {
        return lastRtpAt;
    }

    public long jitterTicks() {
        return jitter.jitter();
    }

    public long cumulativeLost() {
        return register.cumulativeLost();
    }

    public long expected() {
        return register.expected();
    }

    /** Sequence numbers asked for in NACKs so far (each try counts). */
    public long nacksSent() {
        return nacksSent;
    }

    public long repairedPackets() {
        return repaired;
    }

    /** Padding-only packets seen, on this SSRC or its RTX SSRC. */
    public long paddingPackets() {
        return paddingPackets;
    }

    /** A snapshot of the counters, with rates over the time since the previous snapshot. */
    public ReceiveStreamStats stats(long now) {
        rates.take(now, bytes, packets);
        return new ReceiveStreamStats(ssrc, packets, bytes, register.duplicates(), dropped, register.expected(),
                register.cumulativeLost(), jitter.jitterNanos(), nacksSent, repaired, rates.bitsPerSecond(),
                rates.packetsPerSecond());
    }
}
