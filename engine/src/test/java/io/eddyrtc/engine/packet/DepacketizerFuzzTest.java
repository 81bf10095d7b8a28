package io.eddyrtc.engine.packet;

import io.eddyrtc.buffers.MemoryBudget;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddyrtc.engine.media.Codec;
import java.lang.foreign.MemorySegment;

/**
 * Every depacketizer takes any bytes without throwing or reading outside the payload window, alone
 * ("depack direct", the input is one payload) and behind a {@link FrameAssembler} ("depack", the
 * input is a packet stream). The committed seeds are real payloads from the shared captures.
 */
class DepacketizerFuzzTest {
    private static final int MAX_FRAME = 64 * 1024;

    @FuzzTest(maxDuration = "5s")
    void depackVp8(byte[] data) {
        depack(Codec.VP8, data);
    }

    @FuzzTest(maxDuration = "5s")
    void depackVp9(byte[] data) {
        depack(Codec.VP9, data);
    }

    @FuzzTest(maxDuration = "5s")
    void depackH264(byte[] data) {
        depack(Codec.H264, data);
    }

    @FuzzTest(maxDuration = "5s")
    void depackH265(byte[] data) {
        depack(Codec.H265, data);
    }

    @FuzzTest(maxDuration = "5s")
    void depackH266(byte[] data) {
        depack(Codec.H266, data);
    }

    @FuzzTest(maxDuration = "5s")
    void depackAv1(byte[] data) {
        depack(Codec.AV1, data);
    }

    @FuzzTest(maxDuration = "5s")
    void depackOpus(byte[] data) {
        depack(Codec.OPUS, data);
    }

    static void depack(Codec codec, byte[] data) {
        direct(codec, data);
        stream(codec, data);
    }

    /**
     * The input as one payload, placed inside a larger segment with guard bytes either side, so a
     * read outside the window would see them (and an out-of-segment read would throw).
     */
    static void direct(Codec codec, byte[] data) {
        byte[] framed = new byte[data.length + 16];
        System.arraycopy(data, 0, framed, 8, data.length);
        MemorySegment window = MemorySegment.ofArray(framed).asSlice(8, data.length);
        Depacketizer d = Depacketizer.of(codec);
        FrameBuffer out = new FrameBuffer(MAX_FRAME);
        d.isFrameStart(window, 0, data.length);
        d.isFrameEnd(window, 0, data.length, true);
        d.beginFrame();
        if (d.depacketize(window, 0, data.length, out) && d.endFrame(out)) {
            d.keyframe();
        }
        assertTrue(out.length() <= MAX_FRAME);
    }

    /**
     * The input as packets: a control byte (bit 7 marker, bit 6 next timestamp, bits 0-1 a step of
     * the sequence number from -1 to 2, making gaps, duplicates and reordering), a length byte, then
     * that many payload bytes (or what is left).
     */
    static void stream(Codec codec, byte[] data) {
        FrameAssembler a = new FrameAssembler(Depacketizer.of(codec), AssemblerPools.pool(256), MemoryBudget.unlimited(), 16, MAX_FRAME, 1);
        MemorySegment s = MemorySegment.ofArray(data);
        long seq = 1000;
        long ts = 0;
        int at = 0;
        while (at + 2 <= data.length) {
            int control = data[at] & 0xFF;
            int length = Math.min(data[at + 1] & 0xFF, data.length - at - 2);
            seq += (control & 0x03) - 1;
            if ((control & 0x40) != 0) {
                ts += 3000;
            }
            a.push(seq, ts, (control & 0x80) != 0, s, at + 2, length);
            while (a.pop()) {
                assertTrue(a.frame().length() <= MAX_FRAME);
                assertTrue(a.frameFirstSequence() <= a.frameLastSequence());
            }
            at += 2 + length;
        }
    }
}
