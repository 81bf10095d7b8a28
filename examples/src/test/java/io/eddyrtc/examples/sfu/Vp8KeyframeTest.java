package io.eddyrtc.examples.sfu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The start of a VP8 keyframe behind each shape of RFC 7741's payload descriptor. */
class Vp8KeyframeTest {
    private static final int KEY = 0x10; // frame tag: P = 0, show_frame
    private static final int DELTA = 0x11;

    @Test
    void aShortDescriptorThenTheFrameTag() {
        assertTrue(starts(0x10, KEY));
        assertFalse(starts(0x10, DELTA), "P set: an interframe");
        assertFalse(starts(0x00, KEY), "S clear: not the start of a partition");
        assertFalse(starts(0x11, KEY), "partition 1 does not begin a frame");
    }

    @Test
    void everyExtensionFieldIsSteppedOver() {
        assertTrue(starts(0x90, 0x80, 0x05, KEY), "a 7-bit picture id");
        assertTrue(starts(0x90, 0x80, 0x85, 0x05, KEY), "a 15-bit picture id");
        assertTrue(starts(0x90, 0xC0, 0x05, 0x07, KEY), "picture id and TL0PICIDX");
        assertTrue(starts(0x90, 0xF0, 0x85, 0x05, 0x07, 0x40, KEY), "all of them");
        assertFalse(starts(0x90, 0xF0, 0x85, 0x05, 0x07, 0x40, DELTA));
        assertTrue(starts(0x90, 0x20, 0x40, KEY), "K alone: the TID/Y/KEYIDX byte");
    }

    @Test
    void aPacketCutShortIsNoKeyframe() {
        assertFalse(starts());
        assertFalse(starts(0x90));
        assertFalse(starts(0x90, 0x80));
        assertFalse(starts(0x90, 0xF0, 0x85, 0x05, 0x07, 0x40));
    }

    private static boolean starts(int... bytes) {
        byte[] packet = new byte[bytes.length + 3]; // at an offset, as the payload sits behind an RTP header
        for (int i = 0; i < bytes.length; i++) {
            packet[3 + i] = (byte) bytes[i];
        }
        return Vp8Keyframe.starts(MemorySegment.ofArray(packet), 3, bytes.length);
    }
}
