package io.eddyrtc.examples.loadgen;

import java.nio.ByteBuffer;

/**
 * What a synthetic frame carries for its receiver to measure: which stream it belongs to, its sequence number, when it
 * was due to be sent and when it was sent, in the load generator's {@code System.nanoTime()} (publishers and players
 * share one process, so one clock). Written at {@value #OFFSET} bytes into the frame, after a VP8 keyframe header's
 * ten bytes, so video and audio frames carry it at the same place.
 *
 * @param stream    the publisher's stream: {@code 2 * room} for audio, {@code 2 * room + 1} for video
 * @param sequence  the frame's number in its stream, from 0
 * @param dueNanos  when the frame was due: latency measured from here counts a late send as the wait it caused
 * @param sentNanos when it was handed to the {@code Rtc}
 */
record FrameStamp(int stream, long sequence, long dueNanos, long sentNanos) {
    static final int OFFSET = 10;
    static final int BYTES = 4 + 4 + 8 + 8 + 8;
    private static final int MAGIC = 0x45444459; // "EDDY"

    /** Writes the stamp into {@code frame} (at least {@code OFFSET + BYTES} long). */
    void writeTo(byte[] frame) {
        ByteBuffer.wrap(frame, OFFSET, BYTES).putInt(MAGIC).putInt(stream).putLong(sequence).putLong(dueNanos).putLong(sentNanos);
    }

    /** The stamp in {@code frame}, or null when it carries none (not a frame of ours, or cut short). */
    static FrameStamp readFrom(byte[] frame) {
        if (frame.length < OFFSET + BYTES) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(frame, OFFSET, BYTES);
        if (b.getInt() != MAGIC) {
            return null;
        }
        return new FrameStamp(b.getInt(), b.getLong(), b.getLong(), b.getLong());
    }
}
