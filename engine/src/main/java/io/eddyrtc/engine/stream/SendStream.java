package io.eddyrtc.engine.stream;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.NtpTime;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.packet.Vp8PictureNumbers;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtensionValues;
import io.eddyrtc.engine.rtp.RtpHeader;
import io.eddyrtc.engine.rtp.Rtx;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * One outgoing RTP source (one SSRC) and its RTX stream: numbers packets, keeps RTP timestamps continuous
 * across pauses and source switches, keeps what it sent for a while ({@link RtxHistory}, in pool slots, only
 * when RTX is negotiated), answers NACKs with RTX packets within a budget, writes padding, and provides the
 * sender-report values and the RTT from the peer's report blocks.
 *
 * <p>Driven by the {@code Rtc}, with time as an argument:
 * <ul>
 *   <li>per media packet: {@link #write} (header, extensions, payload, into the caller's buffer);</li>
 *   <li>per sequence number in a received NACK for this SSRC: {@link #answerNack} (writes an RTX packet);</li>
 *   <li>now and then (each report interval): {@link #expireHistory}, so a quiet stream gives its slots back;</li>
 *   <li>when the pacer wants padding: {@link #writePadding};</li>
 *   <li>per SR to send: {@link #fillSenderReport}; per report block about this SSRC: {@link #onReportBlock}.</li>
 * </ul>
 * Allocates nothing per packet.
 */
public final class SendStream {
    /** Media-time discontinuity that counts as a source switch even when not announced. */
    private static final long JUMP_SECONDS = 2;
    /** Remembered SRs for matching the LSR of returning report blocks. */
    private static final int SR_HISTORY = 8;

    private final SendStreamConfig config;
    /** Null without RTX: a NACK could not be answered, so nothing is kept. */
    private final RtxHistory history;
    private final RtxBudget budget;
    private final RtpHeader cached = new RtpHeader();

    private long nextSequence; // extended, 64-bit
    private int nextRtxSequence;

    private boolean timestampStarted;
    private boolean rebase;
    private long timestampOffset; // out = source + offset, 64-bit
    private long lastTimestamp; // 64-bit output timestamp of the last packet
    private long lastSentAt;

    private final long[] srCompact = new long[SR_HISTORY];
    private final long[] srSentAt = new long[SR_HISTORY];
    private int srNext;

    private long packets;
    private long bytes;
    private long rtxPackets;
    private long rtxBytes;
    private long nacksReceived;
    private long nacksUnanswered;
    private long rtxOverBudget;
    private long paddingPackets;
    private long rttNanos = -1;
    private int remoteFractionLost;
    private int remoteCumulativeLost;
    private long remoteJitter;

    private final SnapshotRates rates = new SnapshotRates();

    /**
     * A stream whose RTX history (if RTX is negotiated) keeps packets in slots of {@code pool}, charged to
     * {@code memory}.
     */
    public SendStream(SendStreamConfig config, PacketPool pool, MemoryBudget memory) {
        this.config = config;
        this.history = config.hasRtx() && config.historyMaxPackets() > 0
                ? new RtxHistory(pool, memory, config.historyNanos(), config.historyMaxPackets()) : null;
        this.budget = new RtxBudget(config.rtxShare(), config.rtxFloorBytesPerSecond(), config.rtxBurstBytes());
        this.nextSequence = (1L << 16) + config.initialSequence();
        this.nextRtxSequence = config.initialSequence() ^ 0x5555; // any other start; the RTX stream is separate
        Arrays.fill(srSentAt, Long.MIN_VALUE);
    }

    public SendStreamConfig config() {
        return config;
    }

    public long ssrc() {
        return config.ssrc();
    }

    /**
     * The next packet's timestamps come from another source (a track replaced, a simulcast layer switched
     * in): keep the output timeline continuous instead of following the new source's clock.
     */
    public void switchSource() {
        rebase = true;
    }

    /**
     * The output RTP timestamp (64-bit; the header carries the low 32 bits) for a packet whose source
     * timestamp is {@code sourceTicks}, at {@code now}. The first packet, and the first after
     * {@link #switchSource} or after a source-time jump of more than 2 s from what the elapsed time
     * explains, re-anchors the mapping so that the output continues from the last output timestamp plus the
     * time elapsed since it: a pause or a switch shows as a gap in time, never a jump.
     */
    public long timestampFor(long now, long sourceTicks) {
        if (!timestampStarted) {
            timestampStarted = true;
            timestampOffset = (1L << 32) + config.initialTimestamp() - sourceTicks;
        } else {
            long elapsed = MediaTime.nanosToTicks(Math.max(0, now - lastSentAt), config.clockRate());
            long expected = lastTimestamp + elapsed;
            long candidate = sourceTicks + timestampOffset;
            long slack = JUMP_SECONDS * config.clockRate();
            if (rebase || candidate > expected + slack || candidate < lastTimestamp - slack) {
                timestampOffset = expected - sourceTicks;
            }
        }
        rebase = false;
        return sourceTicks + timestampOffset;
    }

    /**
     * Writes one media packet into {@code target}: header (this SSRC and payload type, the next sequence
     * number, the continuous timestamp of {@code sourceTicks}), the extensions in {@code values} that
     * {@code map} maps, and the payload; then keeps a copy for retransmission.
     *
     * @return the packet length, or -1 if it does not fit in {@code room} (nothing is counted then)
     */
    public int write(long now, MemorySegment target, long offset, int room, boolean marker, long sourceTicks,
                     MemorySegment payload, long payloadOffset, int payloadLength,
                     ExtensionMap map, RtpExtensionValues values) {
        boolean wasStarted = timestampStarted;
        boolean wasRebase = rebase;
        long previousOffset = timestampOffset;
        long timestamp = timestampFor(now, sourceTicks);
        int header = RtpHeader.write(target, offset, room, config.payloadType(), marker, (int) nextSequence,
                timestamp, config.ssrc(), map, values);
        if (header < 0 || header + payloadLength > room) {
            // not sent: the timeline must not move for a packet nobody saw
            timestampStarted = wasStarted;
            rebase = wasRebase;
            timestampOffset = previousOffset;
            return -1;
        }
        MemorySegment.copy(payload, payloadOffset, target, offset + header, payloadLength);
        int length = header + payloadLength;
        if (history != null) {
            history.put(now, nextSequence, target, offset, length);
        }
        nextSequence++;
        lastTimestamp = timestamp;
        lastSentAt = now;
        packets++;
        bytes += payloadLength;
        budget.onMediaSent(now, length);
        return length;
    }

    /**
     * RTP mode: accounts a packet the caller built and numbered itself (an SFU forwarding with its own
     * sequence numbers and timestamps, already set to this stream's SSRC): it is cached for NACKs, counted,
     * and its timestamp becomes the base of the next sender report. Its sequence number must follow the
     * stream's (gaps are fine; numbers more than 32768 behind the newest are taken as old).
     */
    public void recordForwarded(long now, MemorySegment packet, long offset, int length) {
        if (length < RtpHeader.FIXED) {
            return;
        }
        long ext = extendForwarded(BigEndian.u16(packet, offset + 2));
        if (history != null) {
            history.put(now, ext, packet, offset, length);
        }
        account(now, ext, BigEndian.u32(packet, offset + 4), length);
    }

    /**
     * RTP mode, forwarding without a copy: as {@link #recordForwarded}, for a packet this stream sent as
     * {@code source}'s packet (another holder's slot, which nobody writes any more) with its header rewritten
     * to {@code sequenceNumber} and {@code timestamp}. The history shares the slot instead of copying it.
     */
    public void recordShared(long now, PacketBuffer source, int sequenceNumber, long timestamp) {
        recordShared(now, source, sequenceNumber, timestamp, -1, -1);
    }

    /**
     * As {@link #recordShared(long, PacketBuffer, int, long)} for a VP8 packet sent with {@code vp8PictureId} and
     * {@code vp8Tl0PicIdx} in its descriptor (-1: as in {@code source}); its repairs carry them too.
     */
    public void recordShared(long now, PacketBuffer source, int sequenceNumber, long timestamp, int vp8PictureId, int vp8Tl0PicIdx) {
        if (source.length() < RtpHeader.FIXED) {
            return;
        }
        long ext = extendForwarded(sequenceNumber);
        if (history != null) {
            history.putShared(now, ext, source, timestamp, vp8PictureId, vp8Tl0PicIdx);
        }
        account(now, ext, timestamp & 0xFFFF_FFFFL, source.length());
    }

    private long extendForwarded(int sequence) {
        return packets == 0 ? (1L << 16) + (sequence & 0xFFFF) : SequenceNumbers.extend16(nextSequence - 1, sequence);
    }

    private void account(long now, long ext, long timestamp, int length) {
        if (ext >= nextSequence || packets == 0) {
            nextSequence = ext + 1;
            lastTimestamp = timestamp; // an SR extrapolates from the newest packet
            lastSentAt = now;
            timestampStarted = true;
        }
        packets++;
        bytes += length - RtpHeader.FIXED;
        budget.onMediaSent(now, length);
    }

    /** Gives back the history's slots of packets older than its window (see {@link RtxHistory#expire}). */
    public void expireHistory(long now) {
        if (history != null) {
            history.expire(now);
        }
    }

    /** Gives back every slot the history holds: the stream is going away. */
    public void close() {
        if (history != null) {
            history.clear();
        }
    }

    /** The RTX history, or null when RTX is not negotiated. */
    public RtxHistory history() {
        return history;
    }

    /** The sequence number the next media packet will carry. */
    public int nextSequenceNumber() {
        return (int) (nextSequence & 0xFFFF);
    }

    /**
     * A probe packet: an RTX copy of the newest packet still in the history (as libwebrtc probes, with packets
     * the size of media, which a bottleneck's burst allowance cannot swallow whole as it can small padding).
     * Not charged to the NACK budget and counted with the padding.
     *
     * @return the packet length, 0 without RTX or anything in the history, or -1 if it does not fit
     */
    public int writeProbe(long now, MemorySegment target, long offset, int room) {
        if (history == null || nextSequence == 0) {
            return 0;
        }
        int entry = history.find(now, nextSequence - 1);
        if (entry < 0 || !cached.wrap(history.packet(entry), 0, history.length(entry))) {
            return 0;
        }
        if (history.length(entry) + Rtx.OSN_BYTES > room) {
            cached.unwrap();
            return -1;
        }
        int rtx = Rtx.wrap(cached, target, offset, room, config.rtxSsrc(), config.rtxPayloadType(), nextRtxSequence);
        if (history.isShared(entry)) {
            BigEndian.putU16(target, offset + cached.headerLength(), (int) ((nextSequence - 1) & 0xFFFF));
            BigEndian.putU32(target, offset + 4, history.rewrittenTimestamp(entry));
            renumberVp8(entry, target, offset + cached.headerLength() + Rtx.OSN_BYTES, rtx - cached.headerLength() - Rtx.OSN_BYTES);
        }
        cached.unwrap();
        nextRtxSequence = (nextRtxSequence + 1) & 0xFFFF;
        paddingPackets++;
        return rtx;
    }

    /**
     * Answers one sequence number of a received NACK: writes the RTX packet for it into {@code target}.
     *
     * @return the RTX packet's length; 0 if not answered — no RTX negotiated, not cached (or older than the
     *     max age), over the RTX budget (all counted) — or -1 if it does not fit in {@code room}
     */
    public int answerNack(long now, int sequenceNumber, MemorySegment target, long offset, int room) {
        nacksReceived++;
        if (history == null) {
            nacksUnanswered++;
            return 0;
        }
        long ext = SequenceNumbers.extend16(nextSequence - 1, sequenceNumber);
        int entry = ext < nextSequence ? history.find(now, ext) : -1;
        if (entry < 0) {
            nacksUnanswered++;
            return 0;
        }
        int length = history.length(entry);
        if (!cached.wrap(history.packet(entry), 0, length)) {
            nacksUnanswered++;
            return 0;
        }
        if (length + Rtx.OSN_BYTES > room) {
            return -1;
        }
        if (!budget.trySpend(now, length + Rtx.OSN_BYTES)) {
            rtxOverBudget++;
            return 0;
        }
        int rtx = Rtx.wrap(cached, target, offset, room, config.rtxSsrc(), config.rtxPayloadType(), nextRtxSequence);
        if (history.isShared(entry)) {
            // the slot holds the packet as it arrived; this stream sent it under its own number and timestamp
            BigEndian.putU16(target, offset + cached.headerLength(), sequenceNumber);
            BigEndian.putU32(target, offset + 4, history.rewrittenTimestamp(entry));
            renumberVp8(entry, target, offset + cached.headerLength() + Rtx.OSN_BYTES, rtx - cached.headerLength() - Rtx.OSN_BYTES);
        }
        cached.unwrap();
        nextRtxSequence = (nextRtxSequence + 1) & 0xFFFF;
        rtxPackets++;
        rtxBytes += rtx;
        return rtx;
    }

    /** A repair of a shared entry carries the VP8 numbers the packet went out with, not the publisher's. */
    private void renumberVp8(int entry, MemorySegment target, long payloadOffset, int payloadLength) {
        int pictureId = history.rewrittenPictureId(entry);
        int tl0PicIdx = history.rewrittenTl0PicIdx(entry);
        if (pictureId >= 0 || tl0PicIdx >= 0) {
            Vp8PictureNumbers.rewrite(target, payloadOffset, payloadLength, pictureId, tl0PicIdx);
        }
    }

    /**
     * Writes a padding-only packet of about {@code bytes} (at most 255 bytes of padding, RFC 3550 §5.1) for
     * bandwidth probing: on the RTX SSRC when RTX is negotiated, as browsers do, otherwise on this SSRC with
     * the last timestamp. Padding is not cached and not counted as media.
     *
     * @return the packet length, or -1 if it does not fit
     */
    public int writePadding(long now, MemorySegment target, long offset, int room, int bytes) {
        return writePadding(now, target, offset, room, bytes, null, null);
    }

    /**
     * As {@link #writePadding(long, MemorySegment, long, int, int)}, with the header extensions {@code values}
     * holds that {@code map} has ids for (the transport-wide number, so that a probe's padding is measured).
     */
    public int writePadding(long now, MemorySegment target, long offset, int room, int bytes, ExtensionMap map,
                            RtpExtensionValues values) {
        int padding = Math.clamp(bytes, 1, 255);
        int header;
        if (config.hasRtx()) {
            header = RtpHeader.write(target, offset, room, config.rtxPayloadType(), false, nextRtxSequence,
                    lastTimestamp, config.rtxSsrc(), map, values);
        } else {
            header = RtpHeader.write(target, offset, room, config.payloadType(), false, (int) nextSequence,
                    lastTimestamp, config.ssrc(), map, values);
        }
        int length = header + padding;
        if (header < 0 || length > room) {
            return -1;
        }
        if (config.hasRtx()) {
            nextRtxSequence = (nextRtxSequence + 1) & 0xFFFF;
        } else {
            nextSequence++;
        }
        for (long at = offset + header; at < offset + length - 1; at++) {
            target.set(ValueLayout.JAVA_BYTE, at, (byte) 0);
        }
        target.set(ValueLayout.JAVA_BYTE, offset + length - 1, (byte) padding);
        target.set(ValueLayout.JAVA_BYTE, offset, (byte) (target.get(ValueLayout.JAVA_BYTE, offset) | 0x20)); // P bit
        paddingPackets++;
        return length;
    }

    /**
     * Fills the sender info of an SR for {@code now}, whose wallclock is {@code ntpNow} (64-bit NTP): the RTP
     * timestamp is the last packet's, advanced by the time since it was sent, so NTP and RTP name the same
     * instant. Remembers the report for the RTT of the block that will answer it.
     *
     * @return false if nothing has been sent yet (RFC 3550: send an RR instead)
     */
    public boolean fillSenderReport(long now, long ntpNow, SenderReportValues out) {
        if (!timestampStarted) {
            return false;
        }
        long rtp = lastTimestamp + MediaTime.nanosToTicks(now - lastSentAt, config.clockRate());
        out.ssrc = config.ssrc();
        out.ntpTime = ntpNow;
        out.rtpTime = rtp & 0xFFFF_FFFFL;
        out.packetCount = packets & 0xFFFF_FFFFL;
        out.octetCount = bytes & 0xFFFF_FFFFL;
        srCompact[srNext] = NtpTime.compact(ntpNow);
        srSentAt[srNext] = now;
        srNext = (srNext + 1) % SR_HISTORY;
        return true;
    }

    /**
     * Takes in a report block about this SSRC received at {@code now}: the peer's loss and jitter, and the RTT
     * from its LSR/DLSR matched against the SRs this stream sent (monotonic time only, so wallclock steps do
     * not disturb it).
     *
     * @return the RTT in nanoseconds, or -1 if the block names no SR of ours
     */
    public long onReportBlock(long now, ReportBlockValues block) {
        remoteFractionLost = block.fractionLost;
        remoteCumulativeLost = block.cumulativeLost;
        remoteJitter = block.jitter;
        if (block.lastSenderReport == 0) {
            return -1;
        }
        for (int i = 0; i < SR_HISTORY; i++) {
            if (srCompact[i] == block.lastSenderReport && srSentAt[i] != Long.MIN_VALUE) {
                long rtt = now - srSentAt[i] - NtpTime.compactToDuration(block.delaySinceLastSenderReport);
                if (rtt >= 0) {
                    rttNanos = rtt;
                    return rtt;
                }
            }
        }
        return -1;
    }

    public long rttNanos() {
        return rttNanos;
    }

    public int remoteFractionLost() {
        return remoteFractionLost;
    }

    public int remoteCumulativeLost() {
        return remoteCumulativeLost;
    }

    public long packetsSent() {
        return packets;
    }

    public long rtxBytesSent() {
        return rtxBytes;
    }

    public long rtxPacketsSent() {
        return rtxPackets;
    }

    /** Sequence numbers the peer asked for so far. */
    public long nacksReceived() {
        return nacksReceived;
    }

    /** Asked for, but not (or no longer) kept. */
    public long nacksUnanswered() {
        return nacksUnanswered;
    }

    /** Asked for and kept, but refused by the RTX budget. */
    public long rtxOverBudget() {
        return rtxOverBudget;
    }

    /** A snapshot of the counters, with the bit rate since the previous snapshot. */
    public SendStreamStats stats(long now) {
        rates.take(now, bytes, packets);
        return new SendStreamStats(config.ssrc(), packets, bytes, rtxPackets, rtxBytes, nacksReceived, nacksUnanswered,
                rtxOverBudget, paddingPackets, rttNanos, remoteFractionLost, remoteJitter, rates.bitsPerSecond());
    }
}
