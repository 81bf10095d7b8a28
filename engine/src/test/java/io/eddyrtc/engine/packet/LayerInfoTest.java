package io.eddyrtc.engine.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.rtp.RtpHeader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an SFU reads from a video packet: frame starts, keyframes, temporal layers. */
class LayerInfoTest {
    private final LayerInfo info = new LayerInfo();

    /** The real VP8 capture: the packets found to start keyframes are as many as its keyframes. */
    @Test
    void vp8KeyframeStartsMatchTheCapturesKeyframes() throws IOException {
        List<byte[]> packets = Vp8CaptureFrames.packets();
        long keyframes = Vp8CaptureFrames.frames().stream().filter(Vp8CaptureFrames.Frame::keyframe).count();
        RtpHeader header = new RtpHeader();
        int starts = 0;
        int found = 0;
        for (byte[] p : packets) {
            MemorySegment s = MemorySegment.ofArray(p);
            assertTrue(header.wrap(s, 0, p.length));
            assertTrue(info.read(Codec.VP8, s, header.payloadOffset(), header.payloadLength()));
            starts += info.frameStart() ? 1 : 0;
            found += info.keyframe() ? 1 : 0;
        }
        assertTrue(keyframes > 0);
        assertEquals(keyframes, found);
        assertEquals(Vp8CaptureFrames.frames().size(), starts);
    }

    /** VP8 with a temporal layer index: TID is the top two bits of the last descriptor byte. */
    @Test
    void vp8TemporalLayer() {
        // X=1 S=1 PID=0; I=1 L=1 T=1; 7-bit picture id; TL0PICIDX; TID=2 Y=1; frame tag with P=1 (inter frame)
        byte[] p = {(byte) 0x90, (byte) 0xE0, 0x12, 0x05, (byte) 0xA0, 0x01};
        assertTrue(info.read(Codec.VP8, MemorySegment.ofArray(p), 0, p.length));
        assertTrue(info.frameStart());
        assertFalse(info.keyframe());
        assertEquals(2, info.temporalLayer());
        byte[] key = {0x10, 0x00}; // no extension, S=1, frame tag P=0
        assertTrue(info.read(Codec.VP8, MemorySegment.ofArray(key), 0, key.length));
        assertTrue(info.keyframe());
        assertEquals(-1, info.temporalLayer());
    }

    /** VP9: B starts a frame, P clear on spatial layer 0 is a keyframe, L carries the temporal layer. */
    @Test
    void vp9KeyframeAndTemporalLayer() {
        byte[] key = {(byte) 0x28, 0x00, 0x00}; // L B; TID 0 SID 0; TL0PICIDX
        assertTrue(info.read(Codec.VP9, MemorySegment.ofArray(key), 0, key.length));
        assertTrue(info.keyframe());
        assertEquals(0, info.temporalLayer());
        byte[] delta = {(byte) 0x68, 0x40, 0x00}; // P L B; TID 2
        assertTrue(info.read(Codec.VP9, MemorySegment.ofArray(delta), 0, delta.length));
        assertFalse(info.keyframe());
        assertEquals(2, info.temporalLayer());
    }

    /** H.264: an IDR, alone or in a STAP-A with the SPS, or starting a FU-A, is a keyframe. */
    @Test
    void h264Keyframes() {
        assertTrue(keyframe(Codec.H264, 0x65));
        assertFalse(keyframe(Codec.H264, 0x41));
        assertTrue(keyframe(Codec.H264, 0x7C, 0x85)); // FU-A start of an IDR
        assertFalse(keyframe(Codec.H264, 0x7C, 0x05)); // FU-A continuation
        assertTrue(keyframe(Codec.H264, 0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x01, 0x65));
    }

    /** A truncated or empty descriptor is refused, not thrown on. */
    @Test
    void malformedPayloadsAreRefused() {
        assertFalse(info.read(Codec.VP8, MemorySegment.ofArray(new byte[] {(byte) 0x90}), 0, 1));
        assertFalse(info.read(Codec.VP9, MemorySegment.ofArray(new byte[] {(byte) 0xA0}), 0, 1));
        assertFalse(info.read(Codec.VP8, MemorySegment.ofArray(new byte[0]), 0, 0));
        assertFalse(info.read(Codec.OPUS, MemorySegment.ofArray(new byte[] {1}), 0, 1));
    }

    private boolean keyframe(Codec codec, int... bytes) {
        byte[] p = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            p[i] = (byte) bytes[i];
        }
        assertTrue(info.read(codec, MemorySegment.ofArray(p), 0, p.length));
        return info.keyframe();
    }
}
