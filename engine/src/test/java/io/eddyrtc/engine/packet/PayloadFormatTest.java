package io.eddyrtc.engine.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.media.Codec;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Hand-made payloads for the corners of each format the captures do not reach. */
class PayloadFormatTest {

    static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    /** Depacketizes payloads as one frame; returns the frame, or null if the depacketizer refused it. */
    static byte[] frame(Depacketizer d, byte[]... payloads) {
        FrameBuffer out = new FrameBuffer(1 << 16);
        d.beginFrame();
        for (byte[] p : payloads) {
            if (!d.depacketize(MemorySegment.ofArray(p), 0, p.length, out)) {
                return null;
            }
        }
        return d.endFrame(out) ? out.toByteArray() : null;
    }

    static boolean start(Depacketizer d, byte[] p) {
        return d.isFrameStart(MemorySegment.ofArray(p), 0, p.length);
    }

    @Test
    void vp9FlexibleModeWithReferencesAndLayers() {
        Vp9PayloadDepacketizer d = new Vp9PayloadDepacketizer();
        // I P L F B: picture id 0x1234 (M=1), layers TID 2 SID 0, two P_DIFFs (N set on the first)
        byte[] p = b(0xF8, 0x92, 0x34, 0x40, 0x03, 0x04, 0xAA, 0xBB);
        assertTrue(start(d, p));
        assertArrayEquals(b(0xAA, 0xBB), frame(d, p));
        assertFalse(d.keyframe(), "inter-picture predicted");
        assertEquals(0x1234, d.pictureId());
        assertEquals(2, d.temporalLayer());
        assertEquals(-1, d.tl0PictureIndex(), "flexible mode has none");
        assertEquals(2, d.temporalId());
        assertEquals(0, d.spatialId());
        // three P_DIFFs all with N: a fourth is not allowed
        assertEquals(null, frame(new Vp9PayloadDepacketizer(), b(0xD8, 0x01, 0x03, 0x03, 0x03, 0x03, 0xAA)));
    }

    @Test
    void vp9NonFlexibleKeyframeWithScalabilityStructure() {
        Vp9PayloadDepacketizer d = new Vp9PayloadDepacketizer();
        // I L B V: picture id 7, layers SID 0 + TL0PICIDX, SS: 2 spatial layers with sizes, G with 2 pictures
        byte[] p = b(0xAA, 0x07, 0x00, 0x05, 0x38, 0x01, 0x40, 0x00, 0xB4, 0x02, 0x80, 0x01, 0x68, 0x02, 0x04,
                0x44, 0x01, 0x82, 0x49);
        assertTrue(start(d, p));
        assertArrayEquals(b(0x82, 0x49), frame(d, p));
        assertTrue(d.keyframe());
        assertEquals(320, d.width());
        assertEquals(180, d.height());
        // a layer frame of spatial layer 1 does not start a picture, and is no keyframe by itself
        Vp9PayloadDepacketizer upper = new Vp9PayloadDepacketizer();
        byte[] sid1 = b(0xA8, 0x07, 0x02, 0x05, 0x11);
        assertFalse(start(upper, sid1));
        frame(upper, sid1);
        assertFalse(upper.keyframe());
        // SS claiming more sizes than the payload holds
        assertEquals(null, frame(new Vp9PayloadDepacketizer(), b(0x0A, 0xF0, 0x01, 0x40)));
    }

    @Test
    void h264PutsRememberedParameterSetsBeforeAnIdrWithout() {
        H264PayloadDepacketizer d = new H264PayloadDepacketizer();
        byte[] stap = b(0x78, 0, 3, 0x67, 0x42, 0x80, 0, 2, 0x68, 0xCE, 0, 3, 0x65, 0x88, 0x84);
        assertArrayEquals(b(0, 0, 0, 1, 0x67, 0x42, 0x80, 0, 0, 0, 1, 0x68, 0xCE, 0, 0, 0, 1, 0x65, 0x88, 0x84),
                frame(d, stap));
        assertTrue(d.keyframe());
        assertTrue(start(d, stap));
        // a later IDR alone, as FU-A: the SPS and PPS come back in front of it
        byte[] fuStart = b(0x7C, 0x85, 0x88, 0x01);
        byte[] fuEnd = b(0x7C, 0x45, 0x02);
        assertArrayEquals(b(0, 0, 0, 1, 0x67, 0x42, 0x80, 0, 0, 0, 1, 0x68, 0xCE, 0, 0, 0, 1, 0x65, 0x88, 0x01, 0x02),
                frame(d, fuStart, fuEnd));
        assertTrue(d.keyframe());
        assertTrue(start(d, fuStart), "first_mb_in_slice 0");
        assertFalse(start(d, b(0x41, 0x20)), "first_mb_in_slice > 0: a later slice of the picture");
    }

    @Test
    void h264RefusesBrokenUnits() {
        assertEquals(null, frame(new H264PayloadDepacketizer(), b(0x78, 0, 9, 0x67, 0x42)), "STAP-A size overruns");
        assertEquals(null, frame(new H264PayloadDepacketizer(), b(0x78, 0)), "STAP-A size cut short");
        assertEquals(null, frame(new H264PayloadDepacketizer(), b(0x7C, 0x05, 0x01)), "FU-A middle without start");
        assertEquals(null, frame(new H264PayloadDepacketizer(), b(0x7C, 0x85, 0x01)), "FU-A never ended");
        assertEquals(null, frame(new H264PayloadDepacketizer(), b(0x7D, 0x85, 0x00, 0x01, 0x01)), "FU-B");
        assertEquals(null, frame(new H264PayloadDepacketizer(), b(0x7C)), "FU-A without header");
    }

    @Test
    void h265RebuildsTheHeaderOfAFragmentedUnit() {
        H265PayloadDepacketizer d = new H265PayloadDepacketizer();
        // FU (type 49) carrying IDR_W_RADL (19), LayerId 0, TID 1
        byte[] first = b(0x62, 0x01, 0x93, 0xAF, 0x01);
        byte[] last = b(0x62, 0x01, 0x53, 0x02);
        assertArrayEquals(b(0, 0, 0, 1, 0x26, 0x01, 0xAF, 0x01, 0x02), frame(d, first, last));
        assertTrue(d.keyframe());
        assertTrue(start(d, first));
        byte[] ap = b(0x60, 0x01, 0, 2, 0x40, 0x01, 0, 3, 0x42, 0x01, 0x01);
        assertArrayEquals(b(0, 0, 0, 1, 0x40, 0x01, 0, 0, 0, 1, 0x42, 0x01, 0x01), frame(d, ap));
        assertFalse(d.keyframe());
        assertTrue(start(d, ap), "a VPS leads an access unit");
        assertEquals(null, frame(new H265PayloadDepacketizer(), b(0x64, 0x01, 0x00)), "PACI");
    }

    @Test
    void h265PutsRememberedParameterSetsBeforeAnIrapWithout() {
        H265PayloadDepacketizer d = new H265PayloadDepacketizer();
        byte[] sets = b(0x60, 0x01, 0, 3, 0x40, 0x01, 0x0C, 0, 3, 0x42, 0x01, 0x01, 0, 3, 0x44, 0x01, 0xC1);
        frame(d, sets, b(0x26, 0x01, 0xAF)); // VPS, SPS, PPS, IDR_W_RADL
        assertTrue(d.keyframe());
        assertArrayEquals(b(0, 0, 0, 1, 0x40, 0x01, 0x0C, 0, 0, 0, 1, 0x42, 0x01, 0x01, 0, 0, 0, 1, 0x44, 0x01, 0xC1,
                0, 0, 0, 1, 0x2A, 0x01, 0xAF), frame(d, b(0x2A, 0x01, 0xAF)), "a CRA alone gets them in front");
        assertArrayEquals(b(0, 0, 0, 1, 0x02, 0x01, 0xAF), frame(d, b(0x02, 0x01, 0xAF)), "not before a TRAIL_R");
        assertFalse(d.keyframe());
    }

    @Test
    void av1ElementCountsAndContinuations() {
        Av1PayloadDepacketizer d = new Av1PayloadDepacketizer();
        // W=2: the first element has a length, the second runs to the end; N: new coded video sequence
        byte[] p = b(0x28, 0x03, 0x08, 0xAA, 0xBB, 0x30, 0x01, 0x02);
        assertTrue(start(d, p));
        assertArrayEquals(b(0x0A, 0x02, 0xAA, 0xBB, 0x32, 0x02, 0x01, 0x02), frame(d, p));
        assertTrue(d.keyframe());
        // one OBU over two packets: Y on the first, Z on the second
        byte[] head = b(0x50, 0x30, 0x01);
        byte[] tail = b(0x90, 0x02, 0x03);
        assertFalse(start(d, head), "an OBU_FRAME can be a later frame of the temporal unit");
        assertArrayEquals(b(0x32, 0x03, 0x01, 0x02, 0x03), frame(d, head, tail));
        assertFalse(d.keyframe());
        assertEquals(null, frame(new Av1PayloadDepacketizer(), tail), "a continuation without its start");
        assertEquals(null, frame(new Av1PayloadDepacketizer(), head), "an OBU never finished");
        assertEquals(null, frame(new Av1PayloadDepacketizer(), b(0x00, 0x05, 0x30, 0x01)), "element length overruns");
        assertEquals(null, frame(new Av1PayloadDepacketizer(), b(0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0x01)), "a LEB128 longer than 8 bytes");
        // a temporal delimiter is dropped; an OBU that already has its size is kept as it is
        assertArrayEquals(b(0x32, 0x01, 0x07), frame(new Av1PayloadDepacketizer(), b(0x20, 0x01, 0x10, 0x32, 0x01,
                0x07)));
    }

    @Test
    void vp8DescriptorVariants() {
        Vp8PayloadDepacketizer d = new Vp8PayloadDepacketizer();
        // X, I with a 7-bit picture id, L, T/K: 5 descriptor bytes
        byte[] p = b(0x90, 0xF0, 0x12, 0x34, 0x56, 0x9C, 0x01);
        assertArrayEquals(b(0x9C, 0x01), frame(d, p));
        assertTrue(d.keyframe());
        assertFalse(start(d, b(0x91, 0x00, 0x00)), "S but partition 1");
        assertEquals(null, frame(d, b(0x90, 0xC0, 0x92)), "15-bit picture id cut short");
    }

    @Test
    void packetizersRefuseWhatTheyCannotCarry() {
        MemorySegment f = MemorySegment.ofArray(new byte[2000]);
        assertThrows(IllegalArgumentException.class, () -> new AudioPacketizer().begin(f, 0, 1500, 1200));
        assertThrows(IllegalArgumentException.class, () -> new Vp8Packetizer().begin(f, 0, 0, 1200));
        assertThrows(IllegalArgumentException.class, () -> new Av1Packetizer().begin(MemorySegment.ofArray(
                b(0x32, 0x09, 0x01)), 0, 3, 1200), "obu_size runs past the unit");
        assertThrows(IllegalArgumentException.class, () -> Packetizer.of(Codec.RTX));
        assertThrows(IllegalArgumentException.class, () -> Depacketizer.of(Codec.RED));
    }

    @Test
    void frameBufferStaysWithinItsBound() {
        FrameBuffer fb = new FrameBuffer(20_000);
        MemorySegment chunk = MemorySegment.ofArray(new byte[7000]);
        assertTrue(fb.append(chunk, 0, 7000));
        assertTrue(fb.append(chunk, 0, 7000));
        assertFalse(fb.append(chunk, 0, 7000), "past maxBytes");
        assertTrue(fb.overflowed());
        assertFalse(fb.appendByte(1), "stays refused until cleared");
        fb.clear();
        assertTrue(fb.appendByte(1));
        assertTrue(fb.insertLeb128(0, 300));
        assertArrayEquals(b(0xAC, 0x02, 0x01), fb.toByteArray());
    }
}
