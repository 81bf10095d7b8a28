package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.putU8;
import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/**
 * Rewrites the picture id and TL0PICIDX of a VP8 payload descriptor (RFC 7741 §4.2) in place, the way an SFU
 * that switches a subscriber between simulcast layers must: each layer is an encoder of its own with numbers
 * of its own, and a receiver keys its reference state by them (libwebrtc's VP8 reference finder keeps the last
 * 50 TL0PICIDX values). Forwarded as they are, a new layer's numbers can land on that state and the receiver
 * drops its frames as ones it has seen, without a lost packet to show for it, until it asks for a keyframe.
 * Each field keeps its width (a 7-bit picture id stays 7 bits); a field the descriptor lacks is left out.
 */
public final class Vp8PictureNumbers {
    private Vp8PictureNumbers() {
    }

    /**
     * Writes {@code pictureId} (its low 7 or 15 bits, as wide as the field) and {@code tl0PicIdx} (-1 for
     * either: left as it is) into the descriptor of the VP8 payload at {@code offset}; false, and nothing
     * written, when the descriptor is malformed. Never throws on the content.
     */
    public static boolean rewrite(MemorySegment payload, long offset, int length, int pictureId, int tl0PicIdx) {
        if (Vp8PayloadDepacketizer.descriptorLength(payload, offset, length) < 0) {
            return false;
        }
        if ((u8(payload, offset) & 0x80) == 0) {
            return true; // no extension byte: neither field
        }
        int x = u8(payload, offset + 1);
        long at = offset + 2;
        if ((x & 0x80) != 0) {
            int size = VpxDepacketizer.pictureIdLength(payload, at);
            if (pictureId >= 0) {
                if (size == 2) {
                    putU8(payload, at, 0x80 | ((pictureId >>> 8) & 0x7F));
                    putU8(payload, at + 1, pictureId & 0xFF);
                } else {
                    putU8(payload, at, pictureId & 0x7F);
                }
            }
            at += size;
        }
        if ((x & 0x40) != 0 && tl0PicIdx >= 0) {
            putU8(payload, at, tl0PicIdx & 0xFF);
        }
        return true;
    }
}
