package io.eddyrtc.engine.rtcp;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes a compound RTCP datagram into a caller's segment, one packet after another, for the
 * engine's RTCP scheduler. One instance is reused for every datagram; nothing allocates.
 *
 * <pre>{@code
 * writer.begin(slot, 0, mtu);
 * writer.senderReport(ssrc, ntp, rtpTime, packets, octets);
 * writer.reportBlock(remoteSsrc, fractionLost, lost, highestSeq, jitter, lsr, dlsr);
 * writer.sdesCname(ssrc, cname);
 * writer.nack(ssrc, remoteSsrc, missing, 0, missingCount);
 * int length = writer.finish();
 * }</pre>
 *
 * <p>Each packet method returns false, leaving {@link #length()} as it was, when the packet does not
 * fit in the capacity left: the scheduler then sends what it has and carries on in the next datagram.
 * (A refused packet may have scribbled on the free space after {@link #length()}, never beyond the
 * capacity.) Methods that append to the packet just written ({@link #reportBlock}, {@link #rrtr},
 * {@link #dlrr}) throw {@link IllegalStateException} if that packet is of another kind, which is a
 * caller bug. {@link #sdesCname} adds a chunk to the SDES packet just written, or starts one.
 *
 * <p>Packets are written without the P bit and with lengths that are multiples of 4, except
 * transport-wide CC feedback (padded with the P bit, as libwebrtc does) and the pass-through writers
 * ({@link #app}, {@link #feedback}, {@link #raw}) when their payload is not a multiple of 4: those
 * pad with the P bit so that the payload reads back exactly.
 */
public final class RtcpWriter {
    private static final int MAX_PACKET = RtcpCompound.HEADER_LENGTH + 4 * 0xFFFF;
    private static final int MAX_COUNT = 31;
    private static final int NONE = 0;
    private static final int REPORT = 1;
    private static final int SDES = 2;
    private static final int XR = 3;

    private MemorySegment segment = MemorySegment.NULL;
    private long start;
    private long limit;
    private long position;
    /** Start of the packet the append methods extend, and what it is. */
    private long openPacket;
    private int open = NONE;
    /** Start of the DLRR block at the end of the open XR, or -1. */
    private long openDlrr = -1;

    /** Starts a compound datagram at {@code offset} of {@code segment}, at most {@code capacity} bytes long. */
    public RtcpWriter begin(MemorySegment segment, long offset, int capacity) {
        if (offset < 0 || capacity < 0 || offset > segment.byteSize() - capacity) {
            throw new IllegalArgumentException("window [" + offset + ", +" + capacity + ") is outside the segment of "
                    + segment.byteSize() + " bytes");
        }
        this.segment = segment;
        this.start = offset;
        this.limit = offset + capacity;
        this.position = offset;
        this.open = NONE;
        this.openDlrr = -1;
        return this;
    }

    /** Bytes written so far. */
    public int length() {
        return (int) (position - start);
    }

    /** Bytes still free. */
    public int remaining() {
        return (int) (limit - position);
    }

    /** Ends the datagram and returns its length; the writer can then {@link #begin} again. */
    public int finish() {
        open = NONE;
        openDlrr = -1;
        return length();
    }

    // ---- reports ----

    /** An SR without report blocks; add them with {@link #reportBlock}. {@code ntpTime} is the 64-bit NTP form. */
    public boolean senderReport(long ssrc, long ntpTime, long rtpTimestamp, long packetCount, long octetCount) {
        if (!fits(SenderReport.FIXED_LENGTH)) {
            return false;
        }
        long at = header(RtcpCompound.TYPE_SR, 0, SenderReport.FIXED_LENGTH);
        BigEndian.putU32(segment, at + 4, ssrc);
        BigEndian.putU64(segment, at + 8, ntpTime);
        BigEndian.putU32(segment, at + 16, rtpTimestamp);
        BigEndian.putU32(segment, at + 20, packetCount);
        BigEndian.putU32(segment, at + 24, octetCount);
        openAt(at, REPORT);
        return true;
    }

    /** An RR without report blocks; add them with {@link #reportBlock}. */
    public boolean receiverReport(long ssrc) {
        if (!fits(ReceiverReport.FIXED_LENGTH)) {
            return false;
        }
        long at = header(RtcpCompound.TYPE_RR, 0, ReceiverReport.FIXED_LENGTH);
        BigEndian.putU32(segment, at + 4, ssrc);
        openAt(at, REPORT);
        return true;
    }

    /**
     * Appends a report block to the SR or RR just written. Returns false if it is full (31 blocks) or
     * the datagram is: start another RR for the rest. {@code cumulativeLost} is clamped to 24 bits.
     */
    public boolean reportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
            long jitter, long lastSr, long delaySinceLastSr) {
        requireOpen(REPORT, "reportBlock needs senderReport or receiverReport just before it");
        int count = BigEndian.u8(segment, openPacket) & 0x1F;
        if (count == MAX_COUNT || !fitsAppend(ReportPacket.BLOCK_LENGTH)) {
            return false;
        }
        long at = position;
        int lost = Math.max(-0x80_0000, Math.min(0x7F_FFFF, cumulativeLost));
        BigEndian.putU32(segment, at, ssrc);
        BigEndian.putU8(segment, at + 4, fractionLost);
        BigEndian.putU24(segment, at + 5, lost & 0xFF_FFFF);
        BigEndian.putU32(segment, at + 8, extendedHighestSequence);
        BigEndian.putU32(segment, at + 12, jitter);
        BigEndian.putU32(segment, at + 16, lastSr);
        BigEndian.putU32(segment, at + 20, delaySinceLastSr);
        position += ReportPacket.BLOCK_LENGTH;
        setCount(openPacket, count + 1);
        setLength(openPacket);
        return true;
    }

    // ---- SDES, BYE, APP ----

    /**
     * A CNAME chunk for {@code ssrc}: added to the SDES packet just written if there is one with room,
     * else in a new SDES packet. {@code cname} is the UTF-8 text, at most 255 bytes.
     */
    public boolean sdesCname(long ssrc, byte[] cname) {
        if (cname.length > 255) {
            throw new IllegalArgumentException("a CNAME is at most 255 bytes, got " + cname.length);
        }
        // SSRC, type, length, text, then at least one zero byte (the end of the item list) to a 32-bit boundary
        int chunk = (4 + 2 + cname.length + 1 + 3) & ~3;
        boolean append = open == SDES && (BigEndian.u8(segment, openPacket) & 0x1F) < MAX_COUNT;
        if (append ? !fitsAppend(chunk) : !fits(4 + chunk)) {
            return false;
        }
        if (!append) {
            openAt(header(RtcpCompound.TYPE_SDES, 0, 4), SDES);
        }
        long at = position;
        BigEndian.putU32(segment, at, ssrc);
        BigEndian.putU8(segment, at + 4, SourceDescription.CNAME);
        BigEndian.putU8(segment, at + 5, cname.length);
        MemorySegment.copy(cname, 0, segment, ValueLayout.JAVA_BYTE, at + 6, cname.length);
        zero(at + 6 + cname.length, chunk - 6 - cname.length);
        position += chunk;
        setCount(openPacket, (BigEndian.u8(segment, openPacket) & 0x1F) + 1);
        setLength(openPacket);
        return true;
    }

    /** A BYE for one source, without a reason. */
    public boolean bye(long ssrc) {
        if (!fits(8)) {
            return false;
        }
        long at = header(RtcpCompound.TYPE_BYE, 1, 8);
        BigEndian.putU32(segment, at + 4, ssrc);
        closed();
        return true;
    }

    /** A BYE for {@code count} sources (at most 31) with an optional reason (UTF-8, at most 255 bytes; null for none). */
    public boolean bye(long[] ssrcs, int count, byte[] reason) {
        if (count < 0 || count > MAX_COUNT || (reason != null && reason.length > 255)) {
            throw new IllegalArgumentException("a BYE carries at most 31 sources and 255 bytes of reason");
        }
        int reasonBytes = reason == null ? 0 : (1 + reason.length + 3) & ~3;
        int bytes = 4 + 4 * count + reasonBytes;
        if (!fits(bytes)) {
            return false;
        }
        long at = header(RtcpCompound.TYPE_BYE, count, bytes);
        for (int i = 0; i < count; i++) {
            BigEndian.putU32(segment, at + 4 + 4L * i, ssrcs[i]);
        }
        if (reason != null) {
            long r = at + 4 + 4L * count;
            BigEndian.putU8(segment, r, reason.length);
            MemorySegment.copy(reason, 0, segment, ValueLayout.JAVA_BYTE, r + 1, reason.length);
            zero(r + 1 + reason.length, reasonBytes - 1 - reason.length);
        }
        closed();
        return true;
    }

    /** An APP packet; {@code name} is the 4 ASCII characters as a big-endian int. */
    public boolean app(int subtype, long ssrc, long name, MemorySegment data, long dataOffset, int dataLength) {
        return passThrough(RtcpCompound.TYPE_APP, subtype, ssrc, name, data, dataOffset, dataLength);
    }

    // ---- feedback ----

    /** A PLI (PSFB FMT 1): asks the sender of {@code mediaSsrc} for a keyframe. */
    public boolean pli(long senderSsrc, long mediaSsrc) {
        if (!fits(FeedbackPacket.FCI)) {
            return false;
        }
        feedbackHeader(RtcpCompound.TYPE_PSFB, 1, FeedbackPacket.FCI, senderSsrc, mediaSsrc);
        closed();
        return true;
    }

    /** A FIR (PSFB FMT 4) with one entry: {@code sequenceNumber} is the per-target command counter. */
    public boolean fir(long senderSsrc, long targetSsrc, int sequenceNumber) {
        int bytes = FeedbackPacket.FCI + FullIntraRequest.ENTRY_LENGTH;
        if (!fits(bytes)) {
            return false;
        }
        long at = feedbackHeader(RtcpCompound.TYPE_PSFB, FullIntraRequest.FORMAT, bytes, senderSsrc, 0);
        BigEndian.putU32(segment, at + 12, targetSsrc);
        BigEndian.putU32(segment, at + 16, (long) (sequenceNumber & 0xFF) << 24);
        closed();
        return true;
    }

    /** A FIR with {@code count} entries (at least 1). */
    public boolean fir(long senderSsrc, long[] targetSsrcs, int[] sequenceNumbers, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a FIR needs at least one entry");
        }
        int bytes = FeedbackPacket.FCI + FullIntraRequest.ENTRY_LENGTH * count;
        if (!fits(bytes)) {
            return false;
        }
        long at = feedbackHeader(RtcpCompound.TYPE_PSFB, FullIntraRequest.FORMAT, bytes, senderSsrc, 0);
        for (int i = 0; i < count; i++) {
            long e = at + FeedbackPacket.FCI + (long) FullIntraRequest.ENTRY_LENGTH * i;
            BigEndian.putU32(segment, e, targetSsrcs[i]);
            BigEndian.putU32(segment, e + 4, (long) (sequenceNumbers[i] & 0xFF) << 24);
        }
        closed();
        return true;
    }

    /**
     * A REMB: {@code bitrate} bits per second (rounded down to 18 significant bits) for {@code count}
     * SSRCs (at most 255).
     */
    public boolean remb(long senderSsrc, long bitrate, long[] ssrcs, int count) {
        if (bitrate < 0) {
            throw new IllegalArgumentException("bitrate must not be negative: " + bitrate);
        }
        int exp = 0;
        long mantissa = bitrate;
        while (mantissa > 0x3_FFFF) {
            mantissa >>>= 1;
            exp++;
        }
        return remb(senderSsrc, exp, (int) mantissa, ssrcs, count);
    }

    /** A REMB from its raw exponent (6 bits) and mantissa (18 bits), e.g. to forward one unchanged. */
    public boolean remb(long senderSsrc, int exponent, int mantissa, long[] ssrcs, int count) {
        if (count < 0 || count > 255) {
            throw new IllegalArgumentException("a REMB names at most 255 SSRCs, got " + count);
        }
        int bytes = FeedbackPacket.FCI + 8 + 4 * count;
        if (!fits(bytes)) {
            return false;
        }
        long at = feedbackHeader(RtcpCompound.TYPE_PSFB, Remb.FORMAT, bytes, senderSsrc, 0);
        BigEndian.putU32(segment, at + 12, Remb.IDENTIFIER);
        BigEndian.putU8(segment, at + 16, count);
        BigEndian.putU24(segment, at + 17, ((exponent & 0x3F) << 18) | (mantissa & 0x3_FFFF));
        for (int i = 0; i < count; i++) {
            BigEndian.putU32(segment, at + 20 + 4L * i, ssrcs[i]);
        }
        closed();
        return true;
    }

    /**
     * Generic NACKs (RTPFB FMT 1) for the lost sequence numbers {@code seqs[from .. from+count)},
     * which should be in ascending (wrap-aware) order so that neighbours share a PID+BLP entry;
     * any order is still correct, only longer. Duplicates are merged when adjacent.
     */
    public boolean nack(long senderSsrc, long mediaSsrc, int[] seqs, int from, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a NACK needs at least one sequence number");
        }
        int bytes = FeedbackPacket.FCI + 4 * nackEntries(seqs, from, count);
        if (!fits(bytes)) {
            return false;
        }
        long at = feedbackHeader(RtcpCompound.TYPE_RTPFB, GenericNack.FORMAT, bytes, senderSsrc, mediaSsrc);
        long e = at + FeedbackPacket.FCI;
        int end = from + count;
        int i = from;
        while (i < end) {
            int pid = seqs[i] & 0xFFFF;
            int blp = 0;
            int j = i + 1;
            for (; j < end; j++) {
                int d = (seqs[j] - pid) & 0xFFFF;
                if (d > 16) {
                    break;
                }
                if (d > 0) {
                    blp |= 1 << (d - 1);
                }
            }
            BigEndian.putU16(segment, e, pid);
            BigEndian.putU16(segment, e + 2, blp);
            e += 4;
            i = j;
        }
        closed();
        return true;
    }

    /**
     * Like {@link #nack}, but when not all of {@code seqs[from .. from+count)} fit the datagram, writes
     * the longest prefix that does. Returns how many sequence numbers it covered (0, writing nothing,
     * if not even one entry fits): the caller sends this datagram and NACKs the rest in the next.
     */
    public int nackFitting(long senderSsrc, long mediaSsrc, int[] seqs, int from, int count) {
        long room = Math.min(limit - position, MAX_PACKET) - FeedbackPacket.FCI;
        int maxEntries = (int) Math.max(0, room / 4);
        int end = from + count;
        int i = from;
        for (int entries = 0; i < end && entries < maxEntries; entries++) {
            int pid = seqs[i] & 0xFFFF;
            i++;
            while (i < end && ((seqs[i] - pid) & 0xFFFF) <= 16) {
                i++;
            }
        }
        int covered = i - from;
        return covered > 0 && nack(senderSsrc, mediaSsrc, seqs, from, covered) ? covered : 0;
    }

    /** How many PID+BLP entries {@link #nack} needs for these sequence numbers (for sizing). */
    public static int nackEntries(int[] seqs, int from, int count) {
        int entries = 0;
        int end = from + count;
        int i = from;
        while (i < end) {
            int pid = seqs[i] & 0xFFFF;
            int j = i + 1;
            while (j < end && ((seqs[j] - pid) & 0xFFFF) <= 16) {
                j++;
            }
            entries++;
            i = j;
        }
        return entries;
    }

    /**
     * Transport-wide CC feedback (RTPFB FMT 15) from a report. Chunks are chosen greedily: a run of
     * 14 or more equal symbols (or one that covers the rest) becomes a run-length chunk; otherwise a
     * 14-symbol one-bit vector when no large delta is near, else a run-length chunk for a run of 7 or
     * more, else a 7-symbol two-bit vector. The deltas' byte sizes follow the report's statuses.
     */
    public boolean transportFeedback(long senderSsrc, long mediaSsrc, TwccReport report) {
        long chunksAt = position + FeedbackPacket.FCI + 8;
        if (chunksAt > limit) {
            return false;
        }
        // chunks go straight to their place, as far as the capacity allows, so they are worked out once
        int chunks = twccChunks(report, chunksAt, (int) Math.min((limit - chunksAt) / 2, MAX_PACKET / 2));
        if (chunks < 0) {
            return false;
        }
        int deltas = 0;
        for (int i = 0, n = report.packetCount(); i < n; i++) {
            deltas += report.status(i); // the symbol is also the delta's size in bytes: 0, 1 or 2
        }
        int used = FeedbackPacket.FCI + 8 + 2 * chunks + deltas;
        int bytes = (used + 3) & ~3;
        if (!fits(bytes)) {
            return false;
        }
        long at = feedbackHeader(RtcpCompound.TYPE_RTPFB, TransportFeedback.FORMAT, bytes, senderSsrc, mediaSsrc);
        BigEndian.putU16(segment, at + 12, report.baseSequence());
        BigEndian.putU16(segment, at + 14, report.packetCount());
        BigEndian.putU24(segment, at + 16, report.referenceTime());
        BigEndian.putU8(segment, at + 19, report.feedbackCount());
        long d = chunksAt + 2L * chunks;
        for (int i = 0, n = report.packetCount(); i < n; i++) {
            int status = report.status(i);
            if (status == TwccReport.SMALL_DELTA) {
                BigEndian.putU8(segment, d++, report.deltaTicks(i));
            } else if (status == TwccReport.LARGE_DELTA) {
                BigEndian.putU16(segment, d, report.deltaTicks(i));
                d += 2;
            }
        }
        // libwebrtc pads feedback with the P bit rather than bare zeros; do the same so Chrome's bytes compare equal
        pad(at, used, bytes);
        closed();
        return true;
    }

    /** Writes the chunks for {@code report} from {@code at} and counts them; -1 if more than {@code maxChunks}. */
    private int twccChunks(TwccReport report, long at, int maxChunks) {
        int n = report.packetCount();
        int chunks = 0;
        int i = 0;
        int nextLarge = nextLarge(report, 0, n);
        while (i < n) {
            if (nextLarge < i) {
                nextLarge = nextLarge(report, i, n);
            }
            int symbol = report.status(i);
            int run = 1;
            while (i + run < n && run < 0x1FFF && report.status(i + run) == symbol) {
                run++;
            }
            int chunk;
            int used;
            int window = Math.min(14, n - i);
            if (run >= 14 || i + run == n) {
                chunk = (symbol << 13) | run;
                used = run;
            } else if (nextLarge >= i + window) {
                chunk = 0x8000;
                for (int k = 0; k < window; k++) {
                    chunk |= report.status(i + k) << (13 - k);
                }
                used = window;
            } else if (run >= 7) {
                chunk = (symbol << 13) | run;
                used = run;
            } else {
                chunk = 0xC000;
                used = Math.min(7, n - i);
                for (int k = 0; k < used; k++) {
                    chunk |= report.status(i + k) << (12 - 2 * k);
                }
            }
            if (chunks == maxChunks) {
                return -1;
            }
            BigEndian.putU16(segment, at + 2L * chunks, chunk);
            chunks++;
            i += used;
        }
        return chunks;
    }

    /** The index of the first large delta at or after {@code from}, or {@code n} if none. */
    private static int nextLarge(TwccReport report, int from, int n) {
        int i = from;
        while (i < n && report.status(i) != TwccReport.LARGE_DELTA) {
            i++;
        }
        return i;
    }

    /**
     * Any feedback packet from its parts (RTPFB 205 or PSFB 206, format, SSRCs and raw FCI), e.g. to
     * forward a format eddy does not interpret.
     */
    public boolean feedback(int packetType, int format, long senderSsrc, long mediaSsrc,
            MemorySegment fci, long fciOffset, int fciLength) {
        return passThrough(packetType, format, senderSsrc, mediaSsrc, fci, fciOffset, fciLength);
    }

    /** Any packet from its type, 5-bit count/format and body after the 4-byte header. */
    public boolean raw(int packetType, int countOrFormat, MemorySegment body, long bodyOffset, int bodyLength) {
        int padded = (bodyLength + 3) & ~3;
        int bytes = 4 + padded;
        if (!fits(bytes)) {
            return false;
        }
        long at = header(packetType, countOrFormat, bytes);
        MemorySegment.copy(body, bodyOffset, segment, at + 4, bodyLength);
        pad(at, 4 + bodyLength, bytes);
        closed();
        return true;
    }

    private boolean passThrough(int type, int count, long first, long second, MemorySegment data, long off, int len) {
        int padded = (len + 3) & ~3;
        int bytes = 12 + padded;
        if (!fits(bytes)) {
            return false;
        }
        long at = header(type, count, bytes);
        BigEndian.putU32(segment, at + 4, first);
        BigEndian.putU32(segment, at + 8, second);
        MemorySegment.copy(data, off, segment, at + 12, len);
        pad(at, 12 + len, bytes);
        closed();
        return true;
    }

    /** Fills [used, bytes) of the packet at {@code at} as RTCP padding (P bit, count in the last byte). */
    private void pad(long at, int used, int bytes) {
        int padding = bytes - used;
        if (padding > 0) {
            zero(at + used, padding - 1);
            BigEndian.putU8(segment, at + bytes - 1, padding);
            BigEndian.putU8(segment, at, BigEndian.u8(segment, at) | 0x20);
        }
    }

    // ---- XR ----

    /** An XR packet without blocks; add them with {@link #rrtr} and {@link #dlrr}. */
    public boolean extendedReport(long ssrc) {
        if (!fits(8)) {
            return false;
        }
        long at = header(RtcpCompound.TYPE_XR, 0, 8);
        BigEndian.putU32(segment, at + 4, ssrc);
        openAt(at, XR);
        return true;
    }

    /** Appends an RRTR block (the receiver's 64-bit NTP time) to the XR just written. */
    public boolean rrtr(long ntpTime) {
        requireOpen(XR, "rrtr needs extendedReport just before it");
        if (!fitsAppend(ExtendedReport.RRTR_LENGTH)) {
            return false;
        }
        long at = position;
        BigEndian.putU8(segment, at, ExtendedReport.RRTR);
        BigEndian.putU8(segment, at + 1, 0);
        BigEndian.putU16(segment, at + 2, 2);
        BigEndian.putU64(segment, at + 4, ntpTime);
        position += ExtendedReport.RRTR_LENGTH;
        openDlrr = -1;
        setLength(openPacket);
        return true;
    }

    /**
     * Appends a DLRR sub-block for receiver {@code ssrc} ({@code lastRr}: compact NTP of its RRTR;
     * {@code delay}: 1/65536 s since) to the XR just written, in its DLRR block if the last block is
     * one, else in a new DLRR block.
     */
    public boolean dlrr(long ssrc, long lastRr, long delay) {
        requireOpen(XR, "dlrr needs extendedReport just before it");
        boolean append = openDlrr >= 0 && BigEndian.u16(segment, openDlrr + 2) < 0xFFFF - 2;
        int bytes = ExtendedReport.DLRR_SUB_BLOCK_LENGTH + (append ? 0 : 4);
        if (!fitsAppend(bytes)) {
            return false;
        }
        if (!append) {
            openDlrr = position;
            BigEndian.putU8(segment, position, ExtendedReport.DLRR);
            BigEndian.putU8(segment, position + 1, 0);
            BigEndian.putU16(segment, position + 2, 0);
            position += 4;
        }
        BigEndian.putU32(segment, position, ssrc);
        BigEndian.putU32(segment, position + 4, lastRr);
        BigEndian.putU32(segment, position + 8, delay);
        position += ExtendedReport.DLRR_SUB_BLOCK_LENGTH;
        BigEndian.putU16(segment, openDlrr + 2, BigEndian.u16(segment, openDlrr + 2) + 3);
        setLength(openPacket);
        return true;
    }

    // ---- plumbing ----

    /** Whether a new packet of {@code bytes} fits the datagram and RTCP's 16-bit length field. */
    private boolean fits(int bytes) {
        return bytes <= limit - position && bytes <= MAX_PACKET;
    }

    /** Whether {@code bytes} more fit the datagram and the open packet's length field. */
    private boolean fitsAppend(int bytes) {
        return bytes <= limit - position && position + bytes - openPacket <= MAX_PACKET;
    }

    /** Writes a header for a packet of {@code bytes} at the current position and moves past the fixed part. */
    private long header(int type, int count, int bytes) {
        long at = position;
        BigEndian.putU8(segment, at, 0x80 | (count & 0x1F));
        BigEndian.putU8(segment, at + 1, type);
        BigEndian.putU16(segment, at + 2, bytes / 4 - 1);
        position = at + bytes;
        return at;
    }

    private long feedbackHeader(int type, int format, int bytes, long senderSsrc, long mediaSsrc) {
        long at = header(type, format, bytes);
        BigEndian.putU32(segment, at + 4, senderSsrc);
        BigEndian.putU32(segment, at + 8, mediaSsrc);
        return at;
    }

    /** Zeroes a few bytes (padding: at most 3 here) without the slice a {@code fill} would take. */
    private void zero(long at, int count) {
        for (int i = 0; i < count; i++) {
            BigEndian.putU8(segment, at + i, 0);
        }
    }

    private void openAt(long at, int kind) {
        openPacket = at;
        open = kind;
        openDlrr = -1;
    }

    private void closed() {
        open = NONE;
        openDlrr = -1;
    }

    private void requireOpen(int kind, String message) {
        if (open != kind) {
            throw new IllegalStateException(message);
        }
    }

    private void setCount(long at, int count) {
        BigEndian.putU8(segment, at, (BigEndian.u8(segment, at) & 0xE0) | count);
    }

    private void setLength(long at) {
        BigEndian.putU16(segment, at + 2, (int) ((position - at) / 4 - 1));
    }
}
