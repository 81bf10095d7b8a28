package io.eddyrtc.examples.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The synthetic frames: the bitrate they add up to, their codec headers, and the stamp read back. */
@ExtendWith(SeedExtension.class)
class SyntheticMediaTest {

    @Test
    void tenSecondsOfVideoAndAudioComeToTheirBitrates(@Seed long seed) {
        SyntheticMedia media = new SyntheticMedia(seed, 1_000_000, 30, 2, 32_000);
        long video = 0;
        int keyframes = 0;
        for (long i = 0; i < 300; i++) {
            boolean key = media.isKeyframe(i);
            byte[] frame = media.videoFrame(new FrameStamp(1, i, i, i), key, 640, 360);
            video += frame.length;
            keyframes += key ? 1 : 0;
            assertEquals(key ? 0 : 1, frame[0] & 0x01, "the frame tag's P bit says which it is");
            if (key) {
                assertEquals((byte) 0x9d, frame[3], "a keyframe's start code");
                assertEquals(640, (frame[6] & 0xFF) | (frame[7] & 0xFF) << 8);
            }
        }
        assertEquals(5, keyframes, "one every two seconds");
        assertEquals(1_000_000, video * 8 / 10.0, 100_000, "1 Mbit/s within a tenth");
        long audio = 0;
        for (long i = 0; i < 500; i++) {
            audio += media.audioFrame(new FrameStamp(0, i, i, i)).length;
        }
        assertEquals(32_000, audio * 8 / 10.0, 3_200);
    }

    @Test
    void theStampReadsBackAndOtherBytesCarryNone(@Seed long seed) {
        SyntheticMedia media = new SyntheticMedia(seed, 300_000, 15, 1, 16_000);
        FrameStamp stamp = new FrameStamp(7, 123_456_789_012L, 42L, 43L);
        assertEquals(stamp, FrameStamp.readFrom(media.videoFrame(stamp, true, 320, 180)));
        assertEquals(stamp, FrameStamp.readFrom(media.audioFrame(stamp)));
        assertNull(FrameStamp.readFrom(new byte[100]), "no magic, no stamp");
        assertNull(FrameStamp.readFrom(new byte[12]), "too short");
    }

    @Test
    void aKeyframeAskedForIsAKeyframe(@Seed long seed) {
        SyntheticMedia media = new SyntheticMedia(seed, 500_000, 30, 10, 32_000);
        byte[] asked = media.videoFrame(new FrameStamp(1, 7, 0, 0), true, 320, 180);
        assertEquals(0, asked[0] & 0x01);
        assertTrue(asked.length > media.videoFrame(new FrameStamp(1, 8, 0, 0), false, 320, 180).length, "keyframes are the big ones");
        assertEquals(320, SyntheticMedia.width(asked), "a keyframe tells its layer's width");
        assertEquals(0, SyntheticMedia.width(media.videoFrame(new FrameStamp(1, 8, 0, 0), false, 320, 180)), "a delta frame does not");
    }
}
