package io.eddyrtc.examples.sfu;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.MemorySegment;

/**
 * Whether an RTP packet starts a VP8 keyframe: its payload descriptor (RFC 7741 §4.2) marks the start of partition 0,
 * and the frame tag's P bit is clear. Where a forwarded stream may change source (another simulcast layer, another
 * publisher), the change waits for such a packet.
 */
final class Vp8Keyframe {
    private Vp8Keyframe() {
    }

    /** Whether the payload at {@code offset} ({@code length} bytes) begins a keyframe. */
    static boolean starts(MemorySegment packet, int offset, int length) {
        if (length < 1) {
            return false;
        }
        int first = BigEndian.u8(packet, offset);
        boolean start = (first & 0x10) != 0 && (first & 0x07) == 0; // S set, partition index 0
        if (!start) {
            return false;
        }
        int at = 1;
        if ((first & 0x80) != 0) { // X: the extension byte follows
            if (length < 2) {
                return false;
            }
            int extension = BigEndian.u8(packet, offset + 1);
            at = 2;
            if ((extension & 0x80) != 0) { // I: a picture id of 7 or 15 bits
                if (length <= at) {
                    return false;
                }
                at += (BigEndian.u8(packet, offset + at) & 0x80) != 0 ? 2 : 1;
            }
            if ((extension & 0x40) != 0) { // L: TL0PICIDX
                at++;
            }
            if ((extension & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                at++;
            }
        }
        return length > at && (BigEndian.u8(packet, offset + at) & 0x01) == 0;
    }
}
