package io.eddyrtc.ice.stun;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * CRC-32 (ISO 3309 / ITU-T V.42, the zlib polynomial) over a segment, for STUN's FINGERPRINT.
 * {@code java.util.zip.CRC32} only reads arrays or ByteBuffers; this reads the segment in place.
 */
public final class Crc32 {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32() {}

    /** CRC-32 of {@code length} bytes from {@code offset}, as an unsigned value. */
    public static long of(MemorySegment s, long offset, int length) {
        int c = 0xFFFFFFFF;
        for (int i = 0; i < length; i++) {
            c = TABLE[(c ^ s.get(ValueLayout.JAVA_BYTE, offset + i)) & 0xFF] ^ (c >>> 8);
        }
        return (~c) & 0xFFFFFFFFL;
    }
}
