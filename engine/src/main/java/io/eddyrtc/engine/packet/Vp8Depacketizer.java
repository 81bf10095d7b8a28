package io.eddyrtc.engine.packet;

import java.io.ByteArrayOutputStream;

/**
 * Turns VP8 RTP packets back into frames (RFC 7741): strips each packet's payload descriptor and joins
 * the partitions of one frame (one RTP timestamp, ended by the marker bit). A frame is only handed out
 * when every packet of it arrived in sequence; a gap drops the frame (the receiver then asks for a
 * keyframe). Packets of one SSRC, in arrival order.
 */
public final class Vp8Depacketizer {

    /** A whole frame: its RTP timestamp, bytes and whether it is a keyframe. */
    public record Frame(long rtpTimestamp, byte[] data, boolean keyframe) {}

    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
    private long frameTimestamp = -1;
    private int expectedSeq = -1;
    private boolean broken;
    private boolean keyframe;
    private long framesDropped;

    /**
     * Adds one packet's payload; returns the frame it completes, or null. {@code payload} holds
     * {@code length} bytes at {@code offset}.
     */
    public Frame push(int sequenceNumber, long timestamp, boolean marker, byte[] payload, int offset, int length) {
        if (length < 1) {
            return null;
        }
        int at = offset;
        int end = offset + length;
        int first = payload[at++] & 0xFF;
        boolean extended = (first & 0x80) != 0;
        boolean start = (first & 0x10) != 0;
        int partition = first & 0x07;
        if (extended) {
            if (at >= end) {
                return null;
            }
            int x = payload[at++] & 0xFF;
            if ((x & 0x80) != 0) { // I: picture id, 7 or 15 bits
                if (at >= end) {
                    return null;
                }
                at += (payload[at] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                at++;
            }
            if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                at++;
            }
        }
        if (at > end) {
            return null;
        }
        if (timestamp != frameTimestamp) {
            if (frameTimestamp >= 0 && frame.size() > 0) {
                framesDropped++; // the previous frame never saw its marker
            }
            frame.reset();
            frameTimestamp = timestamp;
            broken = !(start && partition == 0);
            keyframe = false;
        } else if (expectedSeq >= 0 && sequenceNumber != expectedSeq) {
            broken = true;
        }
        expectedSeq = (sequenceNumber + 1) & 0xFFFF;
        if (start && partition == 0 && at < end) {
            keyframe = (payload[at] & 0x01) == 0; // the VP8 frame header's P bit: 0 means a key frame
        }
        frame.write(payload, at, end - at);
        if (!marker) {
            return null;
        }
        Frame done = broken ? null : new Frame(timestamp, frame.toByteArray(), keyframe);
        if (broken) {
            framesDropped++;
        }
        frame.reset();
        frameTimestamp = -1;
        return done;
    }

    /** Frames given up because a packet was missing or out of order. */
    public long framesDropped() {
        return framesDropped;
    }
}
