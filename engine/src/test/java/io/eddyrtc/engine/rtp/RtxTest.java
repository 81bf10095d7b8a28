package io.eddyrtc.engine.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtxTest {
    private final RtpHeader h = new RtpHeader();

    @Test
    void wrapsWithOsnThenUnwrapsToTheOriginal() {
        byte[] original = RtpHeaderTest.PION_BASIC.clone();
        assertEquals(RtpDropReason.NONE, h.parse(MemorySegment.ofArray(original), 0, original.length));
        MemorySegment rtx = MemorySegment.ofArray(new byte[64]);
        int len = Rtx.wrap(h, rtx, 4, 60, 0xAABBCCDDL, 97, 500);
        assertEquals(original.length + 2, len);
        // RFC 4588 §4: header with the RTX SSRC/PT/seq, then the OSN (27023 = 0x698f), then the payload
        assertArrayEquals(HexFormat.of().parseHex("90e101f4d9c293daaabbccdd00010001ffffffff698f9836be889e"),
                rtx.asSlice(4, len).toArray(ValueLayout.JAVA_BYTE));

        assertEquals(RtpDropReason.NONE, h.parse(rtx, 4, len));
        assertEquals(RtpDropReason.NONE, Rtx.unwrap(h, 476325762L, 96));
        assertEquals(6, h.offset(), "the restored packet starts two bytes later");
        assertArrayEquals(original, rtx.asSlice(h.offset(), h.length()).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void dropsPaddingOnWrapAndUnwrap() {
        byte[] padded = HexFormat.of().parseHex("a060000100000002000000030102030400000002");
        assertEquals(RtpDropReason.NONE, h.parse(MemorySegment.ofArray(padded), 0, padded.length));
        MemorySegment rtx = MemorySegment.ofArray(new byte[40]);
        int len = Rtx.wrap(h, rtx, 0, 40, 9, 97, 7);
        assertEquals(12 + 2 + 6, len);
        assertEquals(RtpDropReason.NONE, h.parse(rtx, 0, len));
        assertFalse(h.hasPadding());
        // padding on the RTX packet itself (as a pacer adds) is removed before the OSN is read
        byte[] rtxPadded = HexFormat.of().parseHex("a06100070000000200000009000101020304000000" + "0003");
        MemorySegment p = MemorySegment.ofArray(rtxPadded);
        assertEquals(RtpDropReason.NONE, h.parse(p, 0, rtxPadded.length));
        assertEquals(RtpDropReason.NONE, Rtx.unwrap(h, 3, 96));
        assertEquals(1, h.sequenceNumber());
        assertEquals(3, h.ssrc());
        assertEquals(96, h.payloadType());
        assertEquals(6, h.payloadLength());
        assertFalse(h.hasPadding());
    }

    @Test
    void refusesRtxWithoutOsn() {
        byte[] tiny = HexFormat.of().parseHex("80610007000000020000000901");
        assertEquals(RtpDropReason.NONE, h.parse(MemorySegment.ofArray(tiny), 0, tiny.length));
        assertEquals(RtpDropReason.RTX_WITHOUT_OSN, Rtx.unwrap(h, 3, 96));
    }

    @Test
    void refusesTargetTooSmall() {
        byte[] original = RtpHeaderTest.PION_BASIC.clone();
        h.parse(MemorySegment.ofArray(original), 0, original.length);
        assertEquals(-1, Rtx.wrap(h, MemorySegment.ofArray(new byte[26]), 0, 26, 1, 97, 1));
    }

    @Test
    void keepsCsrcsAndTwoByteExtensionsThroughWrapAndUnwrap() {
        // 2 CSRCs, two-byte extension (RFC 8285 §4.3 example block), marker set, 3 payload bytes
        byte[] original = HexFormat.of().parseHex("92e00102000000640000000a" + "0000000b0000000c"
                + "10000003" + "01000201" + "bb000304" + "cccccccc" + "aabbcc");
        assertEquals(RtpDropReason.NONE, h.parse(MemorySegment.ofArray(original), 0, original.length));
        MemorySegment rtx = MemorySegment.ofArray(new byte[64]);
        int len = Rtx.wrap(h, rtx, 0, 64, 77, 97, 9);
        assertEquals(RtpDropReason.NONE, h.parse(rtx, 0, len));
        assertEquals(2, h.csrcCount());
        assertEquals(0x1000, h.extensionProfile());
        assertEquals(0x0102, rtx.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), h.payloadOffset()));
        assertEquals(RtpDropReason.NONE, Rtx.unwrap(h, 10, 96));
        assertArrayEquals(original, rtx.asSlice(h.offset(), h.length()).toArray(ValueLayout.JAVA_BYTE));
    }
}
