package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/**
 * AV1 (the AOM "RTP Payload Format for AV1", §4.4): an aggregation header (Z: the first element
 * continues an OBU from the previous packet; Y: the last element continues in the next; W: element
 * count, 0 meaning every element has a LEB128 length; N: first packet of a coded video sequence),
 * then OBU elements. The output is a low-overhead bitstream (AV1 spec §5.2): each OBU with
 * obu_has_size_field set and its size written once its last fragment arrived. Temporal delimiters
 * and tile lists are dropped, as the RTP format asks. A keyframe is a frame whose first packet has N.
 */
public final class Av1PayloadDepacketizer implements Depacketizer {
    static final int Z = 0x80;
    static final int Y = 0x40;
    static final int N = 0x08;
    static final int OBU_SEQUENCE_HEADER = 1;
    static final int OBU_TEMPORAL_DELIMITER = 2;
    static final int OBU_TILE_LIST = 8;

    private boolean keyframe;
    private boolean firstPacket;
    private boolean obuOpen;
    private boolean obuSkipped;
    private boolean obuSized;
    private int obuSizeAt;

    @Override
    public boolean isFrameStart(MemorySegment p, long offset, int length) {
        if (length < 2) {
            return false;
        }
        int aggregation = u8(p, offset);
        if ((aggregation & Z) != 0) {
            return false;
        }
        if ((aggregation & N) != 0) {
            return true;
        }
        // a sequence header or temporal delimiter only ever leads a temporal unit
        long first = offset + 1;
        if (((aggregation >>> 4) & 0x03) != 1) {
            long packed = Leb128.read(p, first, offset + length);
            if (packed == Leb128.INVALID) {
                return false;
            }
            first += Leb128.encodedSize(packed);
        }
        if (first >= offset + length) {
            return false;
        }
        int type = (u8(p, first) >>> 3) & 0x0F;
        return type == OBU_SEQUENCE_HEADER || type == OBU_TEMPORAL_DELIMITER;
    }

    @Override
    public void beginFrame() {
        keyframe = false;
        firstPacket = true;
        obuOpen = false;
    }

    @Override
    public boolean depacketize(MemorySegment p, long offset, int length, FrameBuffer out) {
        if (length < 1) {
            return false;
        }
        int aggregation = u8(p, offset);
        if (firstPacket) {
            keyframe = (aggregation & N) != 0;
            firstPacket = false;
        }
        boolean continues = (aggregation & Z) != 0;
        boolean continuesNext = (aggregation & Y) != 0;
        int count = (aggregation >>> 4) & 0x03;
        if (continues != obuOpen) {
            return false; // a continuation without its start, or a start while an OBU is unfinished
        }
        long at = offset + 1;
        long end = offset + length;
        for (int element = 1; at < end; element++) {
            int size;
            if (count == 0 || element < count) {
                long packed = Leb128.read(p, at, end);
                if (packed == Leb128.INVALID) {
                    return false;
                }
                at += Leb128.encodedSize(packed);
                long value = Leb128.value(packed);
                if (value > end - at) {
                    return false;
                }
                size = (int) value;
            } else {
                size = (int) (end - at); // the W-th element runs to the end of the payload
            }
            boolean last = at + size >= end;
            if (!(element == 1 && continues ? continueObu(p, at, size, out) : startObu(p, at, size, out))) {
                return false;
            }
            at += size;
            if (!(last && continuesNext) && !closeObu(out)) {
                return false;
            }
        }
        return true;
    }

    private boolean startObu(MemorySegment p, long at, int size, FrameBuffer out) {
        if (size < 1) {
            return false;
        }
        int header = u8(p, at);
        if ((header & 0x80) != 0) {
            return false; // obu_forbidden_bit
        }
        int headerLength = (header & 0x04) != 0 ? 2 : 1;
        if (size < headerLength) {
            return false;
        }
        int type = (header >>> 3) & 0x0F;
        obuOpen = true;
        obuSkipped = type == OBU_TEMPORAL_DELIMITER || type == OBU_TILE_LIST;
        obuSized = (header & 0x02) != 0; // already carries its size: copied as it is
        if (obuSkipped) {
            return true;
        }
        if (obuSized) {
            return out.append(p, at, size);
        }
        if (!out.appendByte(header | 0x02) || (headerLength == 2 && !out.appendByte(u8(p, at + 1)))) {
            return false;
        }
        obuSizeAt = out.length();
        return out.append(p, at + headerLength, size - headerLength);
    }

    private boolean continueObu(MemorySegment p, long at, int size, FrameBuffer out) {
        return obuSkipped || out.append(p, at, size);
    }

    private boolean closeObu(FrameBuffer out) {
        obuOpen = false;
        if (obuSkipped || obuSized) {
            return true;
        }
        return out.insertLeb128(obuSizeAt, out.length() - obuSizeAt);
    }

    @Override
    public boolean endFrame(FrameBuffer out) {
        return !obuOpen && out.length() > 0;
    }

    @Override
    public boolean keyframe() {
        return keyframe;
    }
}
