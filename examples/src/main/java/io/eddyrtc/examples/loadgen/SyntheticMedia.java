package io.eddyrtc.examples.loadgen;

import java.util.SplittableRandom;

/**
 * Frames shaped like a camera's VP8 and a microphone's Opus, of the sizes a real encoder gives at a bitrate: video
 * frames at a frame rate with a keyframe every few seconds (five times an average frame, the others smaller to keep
 * the bitrate), sizes varying by up to a tenth; Opus frames every 20 ms. Each frame starts with what its codec's
 * receiver looks at — a VP8 frame tag (and a keyframe's start code and size) — and then a {@link FrameStamp}.
 */
final class SyntheticMedia {
    static final long AUDIO_INTERVAL_NANOS = 20_000_000L;
    private static final int KEYFRAME_FACTOR = 5;

    private final SplittableRandom random;
    private final int averageFrame;
    private final int keyframeEvery;
    private final int deltaFrame;
    private final int audioFrame;

    /**
     * @param videoBitsPerSecond   the video layer's bitrate
     * @param fps                  frames per second
     * @param keyframeIntervalSecs seconds between keyframes
     * @param audioBitsPerSecond   the audio bitrate
     */
    SyntheticMedia(long seed, long videoBitsPerSecond, int fps, int keyframeIntervalSecs, long audioBitsPerSecond) {
        this.random = new SplittableRandom(seed);
        this.averageFrame = (int) Math.max(64, videoBitsPerSecond / 8 / fps);
        this.keyframeEvery = Math.max(1, fps * keyframeIntervalSecs);
        int others = Math.max(1, keyframeEvery - 1);
        this.deltaFrame = Math.max(FrameStamp.OFFSET + FrameStamp.BYTES,
                (int) ((long) averageFrame * keyframeEvery - (long) KEYFRAME_FACTOR * averageFrame) / others);
        this.audioFrame = (int) Math.max(FrameStamp.OFFSET + FrameStamp.BYTES, audioBitsPerSecond / 8 / 50);
    }

    /** Whether video frame {@code sequence} is a keyframe (the first of every interval). */
    boolean isKeyframe(long sequence) {
        return sequence % keyframeEvery == 0;
    }

    /** A video frame: its VP8 header (a keyframe's when {@code key}) and its stamp, padded to its size. */
    byte[] videoFrame(FrameStamp stamp, boolean key, int width, int height) {
        byte[] frame = new byte[vary(key ? KEYFRAME_FACTOR * averageFrame : deltaFrame)];
        int partition = Math.min(frame.length, 0x7FFFF);
        // frame tag (RFC 6386 §9.1): P (0 = keyframe), version 0, show_frame, first partition size
        frame[0] = (byte) ((key ? 0 : 1) | 0x10 | (partition & 0x07) << 5);
        frame[1] = (byte) (partition >> 3);
        frame[2] = (byte) (partition >> 11);
        if (key) {
            frame[3] = (byte) 0x9d;
            frame[4] = (byte) 0x01;
            frame[5] = (byte) 0x2a;
            frame[6] = (byte) width;
            frame[7] = (byte) (width >> 8);
            frame[8] = (byte) height;
            frame[9] = (byte) (height >> 8);
        }
        stamp.writeTo(frame);
        return frame;
    }

    /** The width a VP8 keyframe of {@link #videoFrame} carries (the layer's: a quarter of the top's per step down), or 0. */
    static int width(byte[] keyframe) {
        if (keyframe.length < 10 || (keyframe[0] & 0x01) != 0) {
            return 0;
        }
        return (keyframe[6] & 0xFF | (keyframe[7] & 0xFF) << 8) & 0x3FFF;
    }

    /** An Opus frame: a TOC byte (CELT fullband 20 ms, one frame) and the stamp, padded to the bitrate's size. */
    byte[] audioFrame(FrameStamp stamp) {
        byte[] frame = new byte[vary(audioFrame)];
        frame[0] = (byte) 0xF8;
        stamp.writeTo(frame);
        return frame;
    }

    private int vary(int size) {
        int spread = size / 10;
        int varied = spread > 0 ? size - spread + random.nextInt(2 * spread + 1) : size;
        return Math.max(FrameStamp.OFFSET + FrameStamp.BYTES, varied);
    }
}
