package io.eddyrtc.engine.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtpHeaderTest {
    /** Pion rtp packet_test.go TestBasic: X set, profile 0x0001, one word of extension, 5 payload bytes. */
    static final byte[] PION_BASIC = HexFormat.of().parseHex("90e0698fd9c293da1c6427820001000" + "1ffffffff9836be889e");

    private final RtpHeader h = new RtpHeader();

    @Test
    void readsPionBasicPacket() {
        assertEquals(RtpDropReason.NONE, h.parse(MemorySegment.ofArray(PION_BASIC), 0, PION_BASIC.length));
        assertTrue(h.marker());
        assertEquals(96, h.payloadType());
        assertEquals(27023, h.sequenceNumber());
        assertEquals(3653407706L, h.timestamp());
        assertEquals(476325762L, h.ssrc());
        assertTrue(h.hasExtension());
        assertEquals(1, h.extensionProfile());
        assertEquals(16, h.extensionOffset());
        assertEquals(4, h.extensionLength());
        assertEquals(20, h.payloadOffset());
        assertEquals(5, h.payloadLength());
    }

    @Test
    void rewritesFieldsInPlace() {
        byte[] copy = PION_BASIC.clone();
        MemorySegment s = MemorySegment.ofArray(copy);
        h.wrap(s, 0, copy.length);
        h.setSsrc(0xCAFEBABEL);
        h.setPayloadType(111);
        h.setSequenceNumber(65535);
        h.setTimestamp(0xFFFF_FFFFL);
        h.setMarker(false);
        assertTrue(h.wrap(s, 0, copy.length));
        assertEquals(0xCAFEBABEL, h.ssrc());
        assertEquals(111, h.payloadType());
        assertEquals(65535, h.sequenceNumber());
        assertEquals(0xFFFF_FFFFL, h.timestamp());
        assertFalse(h.marker());
        assertEquals(1, h.extensionProfile(), "extension untouched");
        assertArrayEquals(new byte[] {(byte) 0x98, 0x36, (byte) 0xbe, (byte) 0x88, (byte) 0x9e},
                s.asSlice(20, 5).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void refusesMalformedPacketsWithAReason() {
        MemorySegment s = MemorySegment.ofArray(PION_BASIC.clone());
        assertEquals(RtpDropReason.TOO_SHORT, h.parse(s, 0, 11));
        assertFalse(h.isWrapped());
        assertEquals(RtpDropReason.EXTENSION_BEYOND_PACKET, h.parse(s, 0, 19));
        assertEquals(RtpDropReason.WINDOW_OUTSIDE_SEGMENT, h.parse(s, 10, PION_BASIC.length));
        byte[] v1 = PION_BASIC.clone();
        v1[0] = 0x50;
        assertEquals(RtpDropReason.NOT_VERSION_2, h.parse(MemorySegment.ofArray(v1), 0, v1.length));
        byte[] csrcs = PION_BASIC.clone();
        csrcs[0] = (byte) 0x8F; // 15 CSRCs = 60 bytes, more than the packet holds
        assertEquals(RtpDropReason.CSRC_BEYOND_PACKET, h.parse(MemorySegment.ofArray(csrcs), 0, csrcs.length));
        byte[] bigExt = PION_BASIC.clone();
        bigExt[15] = (byte) 0xFF;
        assertEquals(RtpDropReason.EXTENSION_BEYOND_PACKET, h.parse(MemorySegment.ofArray(bigExt), 0, bigExt.length));
        byte[] pad = PION_BASIC.clone();
        pad[0] |= 0x20;
        pad[pad.length - 1] = 6; // 6 > 5 payload bytes
        assertEquals(RtpDropReason.BAD_PADDING, h.parse(MemorySegment.ofArray(pad), 0, pad.length));
        pad[pad.length - 1] = 0;
        assertEquals(RtpDropReason.BAD_PADDING, h.parse(MemorySegment.ofArray(pad), 0, pad.length));
    }

    @Test
    void removesPadding() {
        byte[] pad = PION_BASIC.clone();
        pad[0] |= 0x20;
        pad[pad.length - 1] = 3;
        MemorySegment s = MemorySegment.ofArray(pad);
        assertEquals(RtpDropReason.NONE, h.parse(s, 0, pad.length));
        assertEquals(2, h.payloadLength());
        assertEquals(3, h.paddingLength());
        assertEquals(22, h.removePadding());
        assertFalse(h.hasPadding());
        assertEquals(RtpDropReason.NONE, h.parse(s, 0, 22));
        assertEquals(2, h.payloadLength());
    }

    @Test
    void writesHeaderWithoutExtensions() {
        MemorySegment s = MemorySegment.ofArray(new byte[12]);
        assertEquals(12, RtpHeader.write(s, 0, 12, 96, true, 27023, 3653407706L, 476325762L, null, null));
        assertArrayEquals(HexFormat.of().parseHex("80e0698fd9c293da1c642782"), s.toArray(ValueLayout.JAVA_BYTE));
        assertEquals(-1, RtpHeader.write(s, 0, 11, 96, true, 1, 1, 1, null, null));
    }

    @Test
    void writesHeaderWithExtensionsAndReadsItBack() {
        ExtensionMap map = new ExtensionMap().set(3, RtpExtension.TRANSPORT_WIDE_CC).set(1, RtpExtension.AUDIO_LEVEL);
        RtpExtensionValues out = new RtpExtensionValues().setTransportSequence(0x1234).setAudioLevel(30, true);
        MemorySegment s = MemorySegment.ofArray(new byte[64]);
        int len = RtpHeader.write(s, 0, 64, 111, false, 1, 2, 3, map, out);
        // 12 fixed + BEDE 0001... : 2 elements (1+1)+(1+2) = 5 bytes → 8 with padding, + 4 = 12
        assertEquals(24, len);
        assertArrayEquals(HexFormat.of().parseHex("906f00010000000200000003bede000231123410 9e000000".replace(" ", "")),
                s.asSlice(0, 24).toArray(ValueLayout.JAVA_BYTE));
        assertTrue(h.wrap(s, 0, len));
        RtpExtensionValues in = new RtpExtensionValues();
        map.parse(h, in);
        assertEquals(0x1234, in.transportSequence());
        assertEquals(30, in.audioLevel());
        assertTrue(in.voiceActivity());
    }
}
