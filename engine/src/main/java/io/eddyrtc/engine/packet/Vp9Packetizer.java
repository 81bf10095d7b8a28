package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.putU16;
import static io.eddyrtc.buffers.BigEndian.putU8;
import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/**
 * VP9 (RFC 9628) in non-flexible mode with one spatial and one temporal layer: every payload has a
 * 15-bit picture id, B on the first and E on the last payload of a frame, P unless the frame is a key
 * frame; the first payload of a key frame also carries a scalability structure with its resolution,
 * read from the frame's uncompressed header.
 */
public final class Vp9Packetizer extends VpxPacketizer {
    private static final int DESCRIPTOR = 3;
    private static final int SS = 5; // N_S/Y/G byte + width + height for one spatial layer

    private boolean keyframe;
    private int width;
    private int height;
    private final BitReader reader = new BitReader();

    @Override
    public void begin(MemorySegment frame, long offset, int length, int mtu) {
        if (length <= 0 || mtu <= DESCRIPTOR + SS) {
            throw new IllegalArgumentException("a VP9 frame needs bytes and an MTU above " + (DESCRIPTOR + SS));
        }
        start(frame, offset, length, mtu);
        readHeader(frame, offset, length);
    }

    /** Frame type and size from the uncompressed header (VP9 bitstream spec §6.2). */
    private void readHeader(MemorySegment f, long offset, int length) {
        keyframe = false;
        width = 0;
        height = 0;
        BitReader r = reader.reset(f, offset, length);
        if (r.bits(2) != 2) {
            return; // not a VP9 frame marker: send as an inter frame
        }
        int profile = r.bit() | (r.bit() << 1);
        if (profile == 3) {
            r.bit();
        }
        if (r.bit() == 1) { // show_existing_frame
            return;
        }
        keyframe = r.bit() == 0;
        if (!keyframe) {
            return;
        }
        r.bits(2); // show_frame, error_resilient_mode
        if (r.bits(24) != 0x498342) {
            return;
        }
        if (profile >= 2) {
            r.bit();
        }
        if (r.bits(3) != 7) { // color_space other than sRGB
            r.bit();
            if (profile == 1 || profile == 3) {
                r.bits(3);
            }
        } else if (profile == 1 || profile == 3) {
            r.bit();
        }
        int w = r.bits(16) + 1;
        int h = r.bits(16) + 1;
        if (!r.overrun()) {
            width = w;
            height = h;
        }
    }

    @Override
    public int next(MemorySegment out, long to) {
        boolean ss = first() && keyframe && width > 0;
        int header = DESCRIPTOR + (ss ? SS : 0);
        int n = sliceLength(header);
        int flags = Vp9PayloadDepacketizer.I | (keyframe ? 0 : Vp9PayloadDepacketizer.P)
                | (first() ? Vp9PayloadDepacketizer.B : 0) | (endsFrame(n) ? Vp9PayloadDepacketizer.E : 0)
                | (ss ? Vp9PayloadDepacketizer.V : 0);
        putU8(out, to, flags);
        putPictureId(out, to + 1);
        if (ss) {
            putU8(out, to + 3, 0x10); // N_S = 0 (one layer), Y = 1, G = 0
            putU16(out, to + 4, width);
            putU16(out, to + 6, height);
        }
        return putSlice(out, to, header, n);
    }

    /** MSB-first bit reader over a window; reads past the end return zeros and set {@link #overrun()}. */
    static final class BitReader {
        private MemorySegment s;
        private long start;
        private long bitLength;
        private long pos;

        BitReader() {
        }

        BitReader reset(MemorySegment s, long offset, int length) {
            this.s = s;
            this.start = offset;
            this.bitLength = 8L * length;
            this.pos = 0;
            return this;
        }

        int bit() {
            if (pos >= bitLength) {
                pos++;
                return 0;
            }
            int b = (u8(s, start + (pos >>> 3)) >>> (7 - (pos & 7))) & 1;
            pos++;
            return b;
        }

        int bits(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 1) | bit();
            }
            return v;
        }

        boolean overrun() {
            return pos > bitLength;
        }
    }
}
