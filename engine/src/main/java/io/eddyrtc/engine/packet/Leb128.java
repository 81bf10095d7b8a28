package io.eddyrtc.engine.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Unsigned LEB128 as AV1 uses it for OBU sizes and RTP element lengths (at most 8 bytes, 32-bit values). */
final class Leb128 {
    /** What {@link #read} returns when the bytes are not a valid length. */
    static final long INVALID = -1;

    private Leb128() {
    }

    static int size(long value) {
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    static void write(byte[] out, int at, long value) {
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            out[at++] = (byte) (value != 0 ? b | 0x80 : b);
        } while (value != 0);
    }

    static int write(MemorySegment out, long at, long value) {
        int n = 0;
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            out.set(ValueLayout.JAVA_BYTE, at + n++, (byte) (value != 0 ? b | 0x80 : b));
        } while (value != 0);
        return n;
    }

    /**
     * Reads a value from {@code [at, end)}; returns it with its encoded size in the top byte
     * ({@code size << 56 | value}), or {@link #INVALID} if it runs past {@code end}, is longer than
     * 8 bytes or exceeds 32 bits.
     */
    static long read(MemorySegment in, long at, long end) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            if (at + i >= end) {
                return INVALID;
            }
            int b = in.get(ValueLayout.JAVA_BYTE, at + i) & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return value > 0xFFFF_FFFFL ? INVALID : ((long) (i + 1) << 56) | value;
            }
        }
        return INVALID;
    }

    static int encodedSize(long packed) {
        return (int) (packed >>> 56);
    }

    static long value(long packed) {
        return packed & 0x00FF_FFFF_FFFF_FFFFL;
    }
}
