package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.putU16;
import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * What the H.264, H.265 and H.266 packetizers share: the frame is Annex B (NAL units behind 3- or
 * 4-byte start codes; a frame without any start code is taken as one NAL unit). A NAL unit that fits
 * the MTU is sent alone, or aggregated with the NAL units after it while they fit together; one that
 * does not fit is split into fragmentation units. The NAL units are found with a one-unit lookahead
 * while the payloads are written, so nothing is allocated per frame.
 */
abstract sealed class NalPacketizer implements Packetizer permits H264Packetizer, H265Packetizer, H266Packetizer {
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** NAL header bytes: 1 for H.264, 2 for H.265/H.266. */
    private final int headerBytes;
    /** Bytes before the data of a fragmentation unit: a payload header as long as a NAL header, and the FU header. */
    private final int fragmentHeaderBytes;
    /** The aggregation header state before any unit is merged into it. */
    private final int aggregationStart;

    private MemorySegment frame;
    private long frameEnd;
    private long scanAt;
    private int mtu;
    private boolean hasCurrent;
    private long currentStart;
    private long currentEnd;
    private boolean hasPeek;
    private long peekStart;
    private long peekEnd;
    private long fragmentAt = -1;
    private boolean last;

    NalPacketizer(int headerBytes, int aggregationStart) {
        this.headerBytes = headerBytes;
        this.fragmentHeaderBytes = headerBytes + 1;
        this.aggregationStart = aggregationStart;
    }

    /** Merges the header of a unit at {@code at} into the aggregation header state. */
    abstract int aggregationMerge(int state, MemorySegment nal, long at);

    abstract void writeAggregationHeader(MemorySegment out, long at, int state);

    /** Writes payload header and FU header for a fragment of the NAL unit whose header is at {@code nal}. */
    abstract void writeFragmentHeader(MemorySegment out, long at, MemorySegment nal, long nalAt, boolean start,
            boolean end, boolean lastOfFrame);

    /** The H.265/H.266 aggregation state before any unit: no F, the highest LayerId and TID. */
    static final int LAYERED_START = (63 << 8) | 7;

    /**
     * H.265 and H.266 aggregation headers carry F as the OR and LayerId and TID as the lowest of the
     * aggregated units (RFC 7798 §4.4.2, RFC 9328 §4.3.2). Their headers place these fields
     * differently, so each codec extracts them; the state packs F (bit 16), LayerId (bits 8-13) and
     * TID (bits 0-2).
     */
    static int mergeLayered(int state, int f, int layerId, int tid) {
        int mergedF = (state >>> 16) | f;
        int mergedLayerId = Math.min((state >>> 8) & 0x3F, layerId);
        int mergedTid = Math.min(state & 7, tid);
        return (mergedF << 16) | (mergedLayerId << 8) | mergedTid;
    }

    @Override
    public final void begin(MemorySegment frame, long offset, int length, int mtu) {
        if (length <= 0 || mtu < fragmentHeaderBytes + 2) {
            throw new IllegalArgumentException("a frame needs bytes and an MTU of at least " + (fragmentHeaderBytes + 2));
        }
        this.frame = frame;
        this.frameEnd = offset + length;
        this.mtu = mtu;
        this.fragmentAt = -1;
        this.last = false;
        long first = startCode(offset);
        this.scanAt = first < 0 ? offset : first;
        if (first < 0) { // no start code: the whole frame is one NAL unit
            hasPeek = true;
            peekStart = offset;
            peekEnd = frameEnd;
            scanAt = frameEnd;
        } else {
            scan();
        }
        advance();
        if (!hasCurrent) {
            throw new IllegalArgumentException("the frame holds no NAL unit, only start codes");
        }
    }

    @Override
    public final boolean hasNext() {
        return hasCurrent;
    }

    @Override
    public final boolean marker() {
        return last;
    }

    @Override
    public final int next(MemorySegment out, long to) {
        int h = headerBytes;
        long currentLength = currentEnd - currentStart;
        if (fragmentAt < 0 && currentLength <= mtu) {
            if (hasPeek && h + 2 + currentLength + 2 + (peekEnd - peekStart) <= mtu) {
                return aggregate(out, to);
            }
            MemorySegment.copy(frame, currentStart, out, to, currentLength);
            advance();
            last = !hasCurrent;
            return (int) currentLength;
        }
        if (fragmentAt < 0) {
            fragmentAt = currentStart + h;
        }
        int fh = fragmentHeaderBytes;
        int n = (int) Math.min(mtu - fh, currentEnd - fragmentAt);
        boolean start = fragmentAt == currentStart + h;
        boolean end = fragmentAt + n >= currentEnd;
        writeFragmentHeader(out, to, frame, currentStart, start, end, end && !hasPeek);
        MemorySegment.copy(frame, fragmentAt, out, to + fh, n);
        fragmentAt += n;
        if (end) {
            fragmentAt = -1;
            advance();
            last = !hasCurrent;
        }
        return fh + n;
    }

    private int aggregate(MemorySegment out, long to) {
        long w = to + headerBytes;
        int state = aggregationStart;
        do {
            int n = (int) (currentEnd - currentStart);
            putU16(out, w, n);
            MemorySegment.copy(frame, currentStart, out, w + 2, n);
            state = aggregationMerge(state, frame, currentStart);
            w += 2 + n;
            advance();
        } while (hasCurrent && w - to + 2 + (currentEnd - currentStart) <= mtu);
        writeAggregationHeader(out, to, state);
        last = !hasCurrent;
        return (int) (w - to);
    }

    /** Moves the lookahead into the current unit and finds the next one. */
    private void advance() {
        hasCurrent = hasPeek;
        currentStart = peekStart;
        currentEnd = peekEnd;
        scan();
    }

    /** Finds the NAL unit after {@code scanAt} (which is at a start code or the end) into the lookahead. */
    private void scan() {
        hasPeek = false;
        while (scanAt < frameEnd) {
            long start = scanAt + 3; // scanAt is the 00 00 01 of a start code
            long nextCode = startCode(start);
            long end = nextCode < 0 ? frameEnd : nextCode;
            scanAt = end;
            while (end > start && u8(frame, end - 1) == 0) {
                end--; // trailing zeros belong to a 4-byte start code, not the unit
            }
            if (end - start >= headerBytes) {
                hasPeek = true;
                peekStart = start;
                peekEnd = end;
                return;
            }
        }
    }

    /**
     * The position of the next {@code 00 00 01} at or after {@code from}, or -1. Eight bytes at a
     * time: the SWAR zero-byte test finds the first zero byte of a little-endian word exactly, and
     * only there can a start code begin. In a NAL unit zero bytes are rare (emulation prevention
     * keeps {@code 00 00} out), so most words are skipped whole.
     */
    private long startCode(long from) {
        MemorySegment f = frame; // locals: lets the JIT hoist the segment checks out of the loop
        long end = frameEnd;
        long i = from;
        while (i + 8 <= end) {
            long v = f.get(LONG_LE, i);
            long zeros = (v - 0x0101010101010101L) & ~v & 0x8080808080808080L;
            if (zeros == 0) {
                i += 8;
                continue;
            }
            long z = i + (Long.numberOfTrailingZeros(zeros) >>> 3); // the first zero byte
            if (z + 2 < end && u8(f, z + 1) == 0 && u8(f, z + 2) == 1) {
                return z;
            }
            i = z + 1;
        }
        for (; i + 2 < end; i++) {
            if (u8(f, i) == 0 && u8(f, i + 1) == 0 && u8(f, i + 2) == 1) {
                return i;
            }
        }
        return -1;
    }
}
