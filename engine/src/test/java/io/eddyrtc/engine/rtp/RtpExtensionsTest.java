package io.eddyrtc.engine.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.NtpTime;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RtpExtensionsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String FIXED = "90600001000000020000000" + "3";

    private final RtpHeader h = new RtpHeader();
    private final RtpExtensionValues in = new RtpExtensionValues();

    /** The packet in {@code hex}, wrapped by {@link #h}. */
    private byte[] wrap(String hex) {
        byte[] b = HEX.parseHex(hex);
        assertEquals(RtpDropReason.NONE, h.parse(MemorySegment.ofArray(b), 0, b.length));
        return b;
    }

    private void parse(ExtensionMap map, String hex) {
        wrap(hex);
        map.parse(h, in);
    }

    /** RFC 8285 §4.2's one-byte example: id 1 (1 byte), id 2 (2 bytes), two padding bytes, id 3 (4 bytes). */
    @Test
    void rfc8285OneByteExample() {
        ExtensionMap map = new ExtensionMap().set(1, RtpExtension.AUDIO_LEVEL).set(2, RtpExtension.TRANSPORT_WIDE_CC)
                .set(3, RtpExtension.COLOR_SPACE);
        parse(map, FIXED + "bede0003" + "10aa21bb" + "bb000033" + "cccccccc");
        assertTrue(in.voiceActivity());
        assertEquals(0x2a, in.audioLevel());
        assertEquals(0xbbbb, in.transportSequence());
        assertEquals(4, in.colorSpaceLength());
        assertEquals(0xcc, in.colorSpaceByte(3));
        assertEquals(0, in.malformedCount());
    }

    /** RFC 8285 §4.3's two-byte example: id 1 empty, id 2 one byte, one padding byte, id 3 four bytes. */
    @Test
    void rfc8285TwoByteExample() {
        ExtensionMap map = new ExtensionMap().set(1, RtpExtension.MID).set(2, RtpExtension.VIDEO_CONTENT_TYPE)
                .set(3, RtpExtension.COLOR_SPACE);
        parse(map, FIXED + "10000003" + "01000201" + "bb000304" + "cccccccc");
        assertFalse(in.has(RtpExtension.MID), "an empty mid is not a mid");
        assertEquals(1, in.malformedCount());
        assertEquals(0xbb, in.videoContentType());
        assertEquals(4, in.colorSpaceLength());
    }

    /** Blanking an element zeroes it in place, in both forms: the others still read, the length stays. */
    @Test
    void blankingAnElementLeavesPaddingAndTheOthers() {
        ExtensionMap map = new ExtensionMap().set(1, RtpExtension.AUDIO_LEVEL).set(2, RtpExtension.TRANSPORT_WIDE_CC)
                .set(3, RtpExtension.RID);
        byte[] b = wrap(FIXED + "bede0003" + "10aa21bb" + "bb307100" + "00000000");
        assertTrue(map.blank(h, RtpExtension.RID));
        assertFalse(map.blank(h, RtpExtension.MID), "no mid to blank");
        assertEquals(FIXED + "bede0003" + "10aa21bb" + "bb000000" + "00000000", HEX.formatHex(b));
        map.parse(h, in);
        assertFalse(in.has(RtpExtension.RID));
        assertEquals(0xbbbb, in.transportSequence(), "the element after it still reads");
        assertEquals(0x2a, in.audioLevel());
        ExtensionMap twoByte = new ExtensionMap().set(1, RtpExtension.MID).set(3, RtpExtension.COLOR_SPACE);
        b = wrap(FIXED + "10000003" + "01027878" + "00000304" + "cccccccc");
        assertTrue(twoByte.blank(h, RtpExtension.MID));
        twoByte.parse(h, in);
        assertFalse(in.has(RtpExtension.MID));
        assertEquals(4, in.colorSpaceLength(), "the two-byte element after it still reads");
    }

    /** Translating renumbers each element to the other map's id in place, and blanks what it has no id for. */
    @Test
    void translatingRenumbersAndBlanksWhatTheOtherMapLacks() {
        ExtensionMap publisher = new ExtensionMap().set(1, RtpExtension.AUDIO_LEVEL).set(2, RtpExtension.TRANSPORT_WIDE_CC)
                .set(3, RtpExtension.RID);
        ExtensionMap subscriber = new ExtensionMap().set(3, RtpExtension.TRANSPORT_WIDE_CC).set(4, RtpExtension.RID);
        byte[] b = wrap(FIXED + "bede0003" + "10aa21bb" + "bb307100" + "00000000");
        subscriber.translate(publisher, h);
        assertEquals(FIXED + "bede0003" + "000031bb" + "bb407100" + "00000000", HEX.formatHex(b),
                "audio level blanked (no id), transport-wide 2 -> 3, rid 3 -> 4");
        subscriber.parse(h, in);
        assertEquals(0xbbbb, in.transportSequence());
        assertFalse(in.has(RtpExtension.AUDIO_LEVEL));
    }

    /**
     * Readying a forwarded packet renumbers as translating does and also blanks every element that names the
     * sender's stream (mid, rid, repaired rid), in both forms; with no source map the ids stay and only those go.
     */
    @Test
    void forwardingRenumbersAndBlanksTheSendersStreamNames() {
        ExtensionMap publisher = new ExtensionMap().set(1, RtpExtension.MID).set(2, RtpExtension.TRANSPORT_WIDE_CC)
                .set(3, RtpExtension.RID).set(4, RtpExtension.AUDIO_LEVEL).set(5, RtpExtension.REPAIRED_RID);
        ExtensionMap subscriber = new ExtensionMap().set(1, RtpExtension.MID).set(3, RtpExtension.TRANSPORT_WIDE_CC)
                .set(4, RtpExtension.RID).set(5, RtpExtension.REPAIRED_RID).set(6, RtpExtension.AUDIO_LEVEL);
        // mid "a", transport-wide 0xbbbb, rid "h", audio level 0x2a, repaired rid "l"
        byte[] b = wrap(FIXED + "bede0003" + "106121bb" + "bb306840" + "2a506c00");
        subscriber.forwardFrom(publisher, h);
        assertEquals(FIXED + "bede0003" + "000031bb" + "bb000060" + "2a000000", HEX.formatHex(b),
                "mid, rid and repaired rid blanked, transport-wide 2 -> 3, audio level 4 -> 6");
        subscriber.parse(h, in);
        assertEquals(0xbbbb, in.transportSequence());
        assertEquals(0x2a, in.audioLevel());
        assertFalse(in.has(RtpExtension.MID));
        assertFalse(in.has(RtpExtension.RID));

        b = wrap(FIXED + "10000003" + "01016102" + "02bbbb07" + "012a0000"); // two-byte: mid, transport-wide, id 7
        subscriber.forwardFrom(null, h);
        assertEquals(FIXED + "10000003" + "00000002" + "02bbbb07" + "012a0000", HEX.formatHex(b),
                "no source map: only the mid blanked, the ids (and the unknown id 7) stay");
    }

    @Test
    void stopsAtIdFifteenAndAtOverrun() {
        ExtensionMap map = new ExtensionMap().set(1, RtpExtension.AUDIO_LEVEL).set(2, RtpExtension.VIDEO_CONTENT_TYPE);
        parse(map, FIXED + "bede0001" + "10aaf020"); // id 15 ends the walk before id 2
        assertTrue(in.has(RtpExtension.AUDIO_LEVEL));
        assertFalse(in.has(RtpExtension.VIDEO_CONTENT_TYPE));
        parse(map, FIXED + "bede0001" + "10aa2f20"); // id 2 declares 16 bytes, 1 left
        assertTrue(in.has(RtpExtension.AUDIO_LEVEL));
        assertFalse(in.has(RtpExtension.VIDEO_CONTENT_TYPE));
        parse(map, FIXED + "12340001" + "10aa0000"); // an unknown profile is ignored
        assertFalse(in.has(RtpExtension.AUDIO_LEVEL));
    }

    /**
     * Each extension written in the one-byte form at id 5, byte for byte, then read back. Formats: RFC 8285
     * (element), RFC 6464 (audio level), RFC 5450 (toffset), 3GPP TS 26.114 (orientation), the WebRTC
     * abs-send-time/playout-delay/video-timing/abs-capture-time/color-space pages, RFC 9143/8852 (mid/rid),
     * draft-ietf-avtext-framemarking.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "ABS_SEND_TIME|52abcdef",
            "TRANSPORT_WIDE_CC|51fffe",
            "MID|5061",
            "RID|516869",
            "REPAIRED_RID|516869",
            "AUDIO_LEVEL|50ff",
            "VIDEO_ORIENTATION|500d",
            "PLAYOUT_DELAY|520640c8",
            "COLOR_SPACE|5301020301",
            "ABS_CAPTURE_TIME|57e32a7b2c80000000",
            "VIDEO_CONTENT_TYPE|5001",
            "VIDEO_TIMING|5c01000a0014001e00280000000" + "0",
            "FRAME_MARKING|52a10203",
            "TOFFSET|52fffff6",
    })
    void eachExtensionRoundTripsByteForByte(String row) {
        String[] parts = row.split("\\|");
        RtpExtension e = RtpExtension.valueOf(parts[0]);
        RtpExtensionValues out = new RtpExtensionValues();
        setters(e).accept(out);
        ExtensionMap map = new ExtensionMap().set(5, e);
        byte[] element = HEX.parseHex(parts[1]);
        int padded = (element.length + 3) & ~3;
        MemorySegment s = MemorySegment.ofArray(new byte[64]);
        int len = RtpHeader.write(s, 0, 64, 96, false, 1, 2, 3, map, out);
        assertEquals(12 + 4 + padded, len);
        byte[] block = s.asSlice(12, 4 + padded).toArray(ValueLayout.JAVA_BYTE);
        byte[] expected = new byte[4 + padded];
        expected[0] = (byte) 0xbe;
        expected[1] = (byte) 0xde;
        expected[3] = (byte) (padded / 4);
        System.arraycopy(element, 0, expected, 4, element.length);
        assertArrayEquals(expected, block, e + ": " + HEX.formatHex(block));
        assertTrue(h.wrap(s, 0, len));
        map.parse(h, in);
        assertTrue(in.has(e));
        assertEquals(0, in.malformedCount());
        // writing what was read gives the same bytes again
        MemorySegment again = MemorySegment.ofArray(new byte[64]);
        assertEquals(len, RtpHeader.write(again, 0, 64, 96, false, 1, 2, 3, map, in));
        assertArrayEquals(s.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE), again.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE));
    }

    private static Consumer<RtpExtensionValues> setters(RtpExtension e) {
        return switch (e) {
            case ABS_SEND_TIME -> v -> v.setAbsSendTime(0xabcdef);
            case TRANSPORT_WIDE_CC -> v -> v.setTransportSequence(0xfffe);
            case MID -> v -> v.setMid(ascii("a"));
            case RID -> v -> v.setRid(ascii("hi"));
            case REPAIRED_RID -> v -> v.setRepairedRid(ascii("hi"));
            case AUDIO_LEVEL -> v -> v.setAudioLevel(127, true);
            case VIDEO_ORIENTATION -> v -> v.setVideoOrientation(0b1101);
            case PLAYOUT_DELAY -> v -> v.setPlayoutDelay(100, 200);
            case COLOR_SPACE -> v -> v.setColorSpace(new byte[] {1, 2, 3, 1}, 4);
            case ABS_CAPTURE_TIME -> v -> v.setAbsCaptureTime(0xe32a7b2c80000000L);
            case VIDEO_CONTENT_TYPE -> v -> v.setVideoContentType(1);
            case VIDEO_TIMING -> v -> v.setVideoTiming(1, 10, 20, 30, 40);
            case FRAME_MARKING -> v -> v.setFrameMarking(0xa10203, 3);
            case TOFFSET -> v -> v.setTransmissionOffset(-10);
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void decodedValuesMeanWhatTheRfcsSay() {
        ExtensionMap map = new ExtensionMap().set(1, RtpExtension.PLAYOUT_DELAY).set(2, RtpExtension.TOFFSET)
                .set(3, RtpExtension.VIDEO_ORIENTATION).set(4, RtpExtension.FRAME_MARKING).set(6, RtpExtension.MID);
        // playout 0x064 (1 s) / 0x0c8 (2 s); toffset -10; orientation 270°; frame marking S|E|I; mid "ab\0" (NUL-padded)
        parse(map, FIXED + "bede0004" + "120640c8" + "22fffff6" + "3003" + "40e0" + "626162" + "00" + "00000000");
        assertEquals(100, in.playoutDelayMin());
        assertEquals(200, in.playoutDelayMax());
        assertEquals(-10, in.transmissionOffset());
        assertEquals(270, in.rotationDegrees());
        assertTrue(in.frameStart() && in.frameEnd() && in.independentFrame());
        assertTrue(in.midEquals(ascii("ab")));
        assertFalse(in.midEquals(ascii("abc")));
    }

    @Test
    void twoByteFormWhenAnIdIsAbove14OrAValueAbove16Bytes() {
        ExtensionMap map = new ExtensionMap().set(20, RtpExtension.TRANSPORT_WIDE_CC);
        RtpExtensionValues out = new RtpExtensionValues().setTransportSequence(7);
        MemorySegment s = MemorySegment.ofArray(new byte[64]);
        int len = RtpHeader.write(s, 0, 64, 96, false, 1, 2, 3, map, out);
        assertEquals("100000011402000700000000".substring(0, 16), HEX.formatHex(s.asSlice(12, len - 12).toArray(ValueLayout.JAVA_BYTE)));
        byte[] hdr = new byte[28];
        map = new ExtensionMap().set(2, RtpExtension.COLOR_SPACE);
        out = new RtpExtensionValues().setColorSpace(hdr, 28);
        len = RtpHeader.write(s, 0, 64, 96, false, 1, 2, 3, map, out);
        assertEquals(12 + 4 + 32, len);
        assertEquals(0x1000, (s.get(ValueLayout.JAVA_BYTE, 12) & 0xff) << 8);
        assertTrue(h.wrap(s, 0, len));
        map.parse(h, in);
        assertEquals(28, in.colorSpaceLength());
    }

    @Test
    void absCaptureTimeWithClockOffsetAndAbsSendTimeOfNanos() {
        long ntp = NtpTime.fromUnixNanos(1_700_000_000_123_000_000L);
        ExtensionMap map = new ExtensionMap().set(16, RtpExtension.ABS_CAPTURE_TIME);
        RtpExtensionValues out = new RtpExtensionValues().setAbsCaptureTime(ntp, -987654321L);
        MemorySegment s = MemorySegment.ofArray(new byte[64]);
        int len = RtpHeader.write(s, 0, 64, 96, false, 1, 2, 3, map, out);
        assertTrue(h.wrap(s, 0, len));
        map.parse(h, in);
        assertEquals(ntp, in.absCaptureTime());
        assertTrue(in.hasAbsCaptureClockOffset());
        assertEquals(-987654321L, in.absCaptureClockOffset());
        // 1.5 s in 6.18 fixed point is 0x060000; wraps every 64 s
        assertEquals(0x060000, RtpExtensionValues.absSendTimeOf(1_500_000_000L));
        assertEquals(0x060000, RtpExtensionValues.absSendTimeOf(65_500_000_000L));
    }

    @Test
    void nothingMappedWritesNoExtension() {
        MemorySegment s = MemorySegment.ofArray(new byte[64]);
        int len = RtpHeader.write(s, 0, 64, 96, false, 1, 2, 3, new ExtensionMap(), new RtpExtensionValues().setTransportSequence(1));
        assertEquals(12, len);
        assertEquals(0x80, s.get(ValueLayout.JAVA_BYTE, 0) & 0xff);
        assertEquals(-1, RtpHeader.write(s, 0, 15, 96, false, 1, 2, 3,
                new ExtensionMap().set(1, RtpExtension.TRANSPORT_WIDE_CC), new RtpExtensionValues().setTransportSequence(1)));
    }

    @Test
    void rewritesTheTransportSequenceInPlace() {
        ExtensionMap map = new ExtensionMap().set(1, RtpExtension.MID).set(3, RtpExtension.TRANSPORT_WIDE_CC);
        byte[] b = HEX.parseHex(FIXED + "bede0002" + "1061" + "31abcd" + "000000");
        MemorySegment s = MemorySegment.ofArray(b);
        assertEquals(RtpDropReason.NONE, h.parse(s, 0, b.length));
        assertEquals(19L << 16 | 2, map.locate(h, RtpExtension.TRANSPORT_WIDE_CC));
        assertTrue(map.rewriteTransportSequence(h, 0x1234));
        map.parse(h, in);
        assertEquals(0x1234, in.transportSequence());
        assertTrue(in.midEquals(ascii("a")));
        assertEquals(-1, map.locate(h, RtpExtension.ABS_SEND_TIME));
        assertFalse(new ExtensionMap().rewriteTransportSequence(h, 1), "unmapped");
    }
}
