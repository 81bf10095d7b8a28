package io.eddyrtc.engine.rtp;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.MemorySegment;

/**
 * RTP retransmission payload format (RFC 4588 §4): an RTX packet is the original packet with a new SSRC,
 * payload type and sequence number, and the original sequence number (OSN) as the first two payload
 * bytes. Padding is not carried over. Both directions copy nothing they need not and allocate nothing.
 */
public final class Rtx {
    /** Bytes the OSN adds. */
    public static final int OSN_BYTES = 2;

    private Rtx() {
    }

    /**
     * Writes the RTX form of the wrapped {@code original} into {@code target} at {@code offset}: its header
     * (CSRCs and extension included) with {@code rtxSsrc}, {@code rtxPayloadType} and {@code rtxSequence},
     * the P bit cleared, then the OSN, then the payload.
     *
     * @return the RTX packet's length, or -1 if it does not fit in {@code room}
     */
    public static int wrap(RtpHeader original, MemorySegment target, long offset, int room,
                           long rtxSsrc, int rtxPayloadType, int rtxSequence) {
        int header = original.headerLength();
        int payload = original.payloadLength();
        int total = header + OSN_BYTES + payload;
        if (total > room || offset < 0 || offset > target.byteSize() - room) {
            return -1;
        }
        MemorySegment source = original.segment();
        long from = original.offset();
        int osn = original.sequenceNumber();
        MemorySegment.copy(source, from, target, offset, header);
        MemorySegment.copy(source, from + header, target, offset + header + OSN_BYTES, payload);
        BigEndian.putU8(target, offset, BigEndian.u8(target, offset) & ~0x20);
        BigEndian.putU8(target, offset + 1, (BigEndian.u8(target, offset + 1) & 0x80) | (rtxPayloadType & 0x7F));
        BigEndian.putU16(target, offset + 2, rtxSequence);
        BigEndian.putU32(target, offset + 8, rtxSsrc);
        BigEndian.putU16(target, offset + header, osn);
        return total;
    }

    /**
     * Turns the wrapped RTX packet in {@code rtx} back into the original, in place: drops any padding,
     * reads the OSN, slides the header two bytes forward over it and restores the sequence number, SSRC
     * and payload type. On success {@code rtx} is re-wrapped over the restored packet, which starts two
     * bytes later than before.
     *
     * @return {@link RtpDropReason#NONE}, or {@link RtpDropReason#RTX_WITHOUT_OSN} if the payload is shorter
     *     than an OSN (the packet is then left as it was, wrapped)
     */
    public static RtpDropReason unwrap(RtpHeader rtx, long originalSsrc, int originalPayloadType) {
        if (rtx.payloadLength() < OSN_BYTES) {
            return RtpDropReason.RTX_WITHOUT_OSN;
        }
        rtx.removePadding();
        MemorySegment s = rtx.segment();
        long start = rtx.offset();
        int header = rtx.headerLength();
        int length = rtx.length();
        int osn = BigEndian.u16(s, start + header);
        // Overlapping copy: MemorySegment.copy behaves as if through a temporary, so this is a memmove.
        MemorySegment.copy(s, start, s, start + OSN_BYTES, header);
        long restored = start + OSN_BYTES;
        BigEndian.putU16(s, restored + 2, osn);
        BigEndian.putU32(s, restored + 8, originalSsrc);
        BigEndian.putU8(s, restored + 1, (BigEndian.u8(s, restored + 1) & 0x80) | (originalPayloadType & 0x7F));
        RtpDropReason reason = rtx.parse(s, restored, length - OSN_BYTES);
        return reason; // cannot fail: same header, shorter payload, no padding
    }
}
