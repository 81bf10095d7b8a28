package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.u16;
import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * What H.264 (RFC 6184), H.265 (RFC 7798) and H.266 (RFC 9328) share: a payload is one NAL unit, an
 * aggregation packet (16-bit size before each NAL unit) or a fragmentation unit (a payload header, a
 * one-byte FU header with S/E bits and the original NAL type, then a slice of the NAL unit). The
 * output is Annex B: a four-byte start code before every NAL unit, the fragmented ones with their
 * NAL header rebuilt, and remembered parameter sets put before an IRAP that came without them. DON fields (sprop-max-don-diff > 0) are not supported: WebRTC does not use them.
 */
abstract sealed class NalDepacketizer implements Depacketizer
        permits H264PayloadDepacketizer, H265PayloadDepacketizer, H266PayloadDepacketizer {
    /** The largest parameter set remembered; larger ones are passed through but not re-inserted. */
    private static final int PARAMETER_SET_MAX = 1024;

    /** Bytes of a NAL unit header: 1 for H.264, 2 for H.265 and H.266. */
    private final int headerBytes;
    private final int aggregationType;
    private final int fragmentationType;
    /** How many parameter sets an IRAP needs before it: SPS, PPS (and VPS first for H.265). */
    private final int parameterSetCount;

    private boolean fragmentOpen;
    private boolean keyframe;
    private final byte[][] parameterSets = new byte[3][PARAMETER_SET_MAX];
    private final MemorySegment[] parameterSetSegments = new MemorySegment[3];
    private final int[] parameterSetLengths = new int[3];
    private final boolean[] parameterSetInFrame = new boolean[3];

    /** Per codec: NAL header size, the aggregation and fragmentation packet types, parameter sets an IRAP needs. */
    NalDepacketizer(int headerBytes, int aggregationType, int fragmentationType, int parameterSetCount) {
        this.headerBytes = headerBytes;
        this.aggregationType = aggregationType;
        this.fragmentationType = fragmentationType;
        this.parameterSetCount = parameterSetCount;
        for (int i = 0; i < 3; i++) {
            parameterSetSegments[i] = MemorySegment.ofArray(parameterSets[i]);
        }
    }

    /** The NAL unit type of the header at {@code at}. */
    abstract int nalType(MemorySegment p, long at);

    /** The original NAL type carried in an FU header. */
    abstract int fragmentedType(int fuHeader);

    /** Writes the NAL header of a fragmented unit, from its payload header at {@code at} and its type. */
    abstract boolean appendFragmentedHeader(FrameBuffer out, MemorySegment p, long at, int type);

    /** True for NAL types that only ever lead an access unit: AUD and parameter sets, for example. */
    abstract boolean leadsAccessUnit(int type);

    /**
     * True for slice NAL types whose slice header starts with a bit set only in the picture's first
     * slice (H.264 first_mb_in_slice = 0 as ue(v), H.265 first_slice_segment_in_pic_flag, H.266
     * sh_picture_header_in_slice_header_flag).
     */
    abstract boolean isFlaggedSlice(int type);

    /**
     * The slot (0 to {@link #parameterSetCount()} - 1, in the order a decoder needs them) of a
     * parameter set type, or -1 for other types.
     */
    abstract int parameterSetIndex(int type);

    /** True for NAL types of an intra random access point: IDR for H.264, IRAP for H.265/H.266. */
    abstract boolean isIrap(int type);

    /**
     * Before a NAL unit is appended (whole, or its first fragment): an IRAP marks the frame a keyframe,
     * and if the frame carried no parameter set so far, the remembered ones go in front of it, so
     * every keyframe this emits can start a decoder.
     */
    private boolean beforeNal(int type, FrameBuffer out) {
        int index = parameterSetIndex(type);
        if (index >= 0) {
            parameterSetInFrame[index] = true;
            return true;
        }
        if (!isIrap(type)) {
            return true;
        }
        keyframe = true;
        int count = parameterSetCount;
        for (int i = 0; i < count; i++) {
            if (parameterSetInFrame[i] || parameterSetLengths[i] == 0) {
                return true; // the sender sent some itself, or we never saw them all
            }
        }
        for (int i = 0; i < count; i++) {
            parameterSetInFrame[i] = true;
            if (!out.appendStartCode() || !out.append(parameterSetSegments[i], 0, parameterSetLengths[i])) {
                return false;
            }
        }
        return true;
    }

    /** After a whole (unfragmented) NAL unit was appended: remember it if it is a parameter set. */
    private void wholeNal(int type, MemorySegment p, long at, int length) {
        int index = parameterSetIndex(type);
        if (index >= 0 && length <= PARAMETER_SET_MAX) {
            MemorySegment.copy(p, ValueLayout.JAVA_BYTE, at, parameterSets[index], 0, length);
            parameterSetLengths[index] = length;
        }
    }

    /** True for types that are neither single NAL units nor the aggregation/fragmentation types above. */
    abstract boolean unsupported(int type);

    @Override
    public final boolean isFrameStart(MemorySegment p, long offset, int length) {
        int h = headerBytes;
        if (length < h) {
            return false;
        }
        int type = nalType(p, offset);
        if (type == aggregationType) {
            return length >= 3 * h && length >= h + 2 + h && beginsAccessUnit(p, offset + h + 2,
                    Math.min(u16(p, offset + h), length - h - 2), nalType(p, offset + h + 2));
        }
        if (type == fragmentationType) {
            if (length < h + 2) {
                return false;
            }
            int fu = u8(p, offset + h);
            // only a slice is told from its first fragment: its header starts right after the FU header
            return (fu & 0x80) != 0 && firstSliceOfPicture(p, offset + h + 1, offset + length, fragmentedType(fu));
        }
        return !unsupported(type) && beginsAccessUnit(p, offset, length, type);
    }

    /** True if a whole NAL unit of this type, whose header is at {@code at}, certainly begins an access unit. */
    private boolean beginsAccessUnit(MemorySegment p, long at, int length, int type) {
        return leadsAccessUnit(type) || firstSliceOfPicture(p, at + headerBytes, at + length, type);
    }

    /** True for a slice whose header, at {@code sliceHeader} before {@code end}, flags the picture's first slice. */
    private boolean firstSliceOfPicture(MemorySegment p, long sliceHeader, long end, int type) {
        return isFlaggedSlice(type) && sliceHeader < end && (u8(p, sliceHeader) & 0x80) != 0;
    }

    @Override
    public final void beginFrame() {
        fragmentOpen = false;
        keyframe = false;
        Arrays.fill(parameterSetInFrame, false);
    }

    @Override
    public final boolean depacketize(MemorySegment p, long offset, int length, FrameBuffer out) {
        int h = headerBytes;
        if (length < h) {
            return false;
        }
        int type = nalType(p, offset);
        if (type == fragmentationType) {
            return fragment(p, offset, length, out);
        }
        if (fragmentOpen) {
            return false; // a fragmented unit was not ended
        }
        if (type == aggregationType) {
            long at = offset + h;
            long end = offset + length;
            if (at >= end) {
                return false;
            }
            while (at < end) {
                if (at + 2 > end) {
                    return false;
                }
                int size = u16(p, at);
                at += 2;
                if (size < h || at + size > end || !nal(p, at, size, out)) {
                    return false;
                }
                at += size;
            }
            return true;
        }
        if (unsupported(type)) {
            return false;
        }
        return nal(p, offset, length, out);
    }

    private boolean nal(MemorySegment p, long at, int length, FrameBuffer out) {
        int type = nalType(p, at);
        if (!beforeNal(type, out) || !out.appendStartCode() || !out.append(p, at, length)) {
            return false;
        }
        wholeNal(type, p, at, length);
        return true;
    }

    private boolean fragment(MemorySegment p, long offset, int length, FrameBuffer out) {
        int h = headerBytes;
        if (length < h + 2) {
            return false; // payload header, FU header and at least one byte
        }
        int fu = u8(p, offset + h);
        boolean start = (fu & 0x80) != 0;
        boolean end = (fu & 0x40) != 0;
        long data = offset + h + 1;
        int dataLength = length - h - 1;
        if (start) {
            if (fragmentOpen) {
                return false;
            }
            int type = fragmentedType(fu);
            if (!beforeNal(type, out) || !out.appendStartCode() || !appendFragmentedHeader(out, p, offset, type)) {
                return false;
            }
        } else if (!fragmentOpen) {
            return false; // a middle or end fragment without its start
        }
        fragmentOpen = !end;
        return out.append(p, data, dataLength);
    }

    @Override
    public final boolean endFrame(FrameBuffer out) {
        return !fragmentOpen && out.length() > 0;
    }

    @Override
    public final boolean keyframe() {
        return keyframe;
    }
}
