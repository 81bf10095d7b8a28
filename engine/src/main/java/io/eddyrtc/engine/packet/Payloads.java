package io.eddyrtc.engine.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Unsigned reads from a payload window, shared by the depacketizers (callers check bounds first). */
final class Payloads {
    private Payloads() {
    }

    static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    static int u16(MemorySegment s, long at) {
        return (u8(s, at) << 8) | u8(s, at + 1);
    }

    static void put8(MemorySegment s, long at, int value) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) value);
    }

    static void put16(MemorySegment s, long at, int value) {
        put8(s, at, value >>> 8);
        put8(s, at + 1, value);
    }
}
