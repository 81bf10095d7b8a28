package io.eddyrtc.engine.packet;

import io.eddyrtc.engine.media.Codec;
import java.lang.foreign.MemorySegment;

/**
 * The codec half of receiving media: strips one RTP payload's codec descriptor and appends the
 * bitstream it carries to a {@link FrameBuffer}. A {@link FrameAssembler} decides which packets make a
 * frame and calls, for each complete frame, {@link #beginFrame()}, {@link #depacketize} for every
 * packet in sequence order, then {@link #endFrame}.
 *
 * <p>Implementations are stateful (an H.264 FU-A or an AV1 OBU spans packets), so one instance serves
 * one stream. None throws on network input: a malformed payload makes {@link #depacketize} return
 * false, and the assembler drops the frame. Nothing is read outside the given window.
 */
public interface Depacketizer {

    /**
     * True if this payload certainly begins a frame (VP8 S=1 and partition 0, VP9 B=1 in spatial
     * layer 0, an H.264 slice with first_mb_in_slice 0, ...). False when it does not or cannot tell;
     * the assembler then relies on the packet before it.
     */
    boolean isFrameStart(MemorySegment payload, long offset, int length);

    /**
     * True if this payload ends a frame; {@code marker} is the RTP marker bit. By default the marker:
     * every video payload format here sets it on a frame's last packet (audio overrides this).
     */
    default boolean isFrameEnd(MemorySegment payload, long offset, int length, boolean marker) {
        return marker;
    }

    /** Forgets per-frame state before the first packet of a frame. */
    void beginFrame();

    /**
     * Appends the bitstream of one payload to {@code out}. Returns false if the payload is malformed
     * or does not fit {@code out}; the frame is then dropped.
     */
    boolean depacketize(MemorySegment payload, long offset, int length, FrameBuffer out);

    /** Finishes the frame (closes units still open); false if it turned out incomplete or malformed. */
    boolean endFrame(FrameBuffer out);

    /** After {@link #endFrame}: whether the frame can be decoded without any earlier frame. */
    boolean keyframe();

    /** After {@link #endFrame}: the frame's picture id (VP8, VP9), or -1 if it carries none. */
    default int pictureId() {
        return -1;
    }

    /** Width of {@link #pictureId()}: 7 or 15 bits. */
    default int pictureIdBits() {
        return 15;
    }

    /** After {@link #endFrame}: the frame's TL0PICIDX (VP8, non-flexible VP9), or -1. */
    default int tl0PictureIndex() {
        return -1;
    }

    /** After {@link #endFrame}: the frame's temporal layer (VP8 TID, VP9 TID), or -1 if unknown. */
    default int temporalLayer() {
        return -1;
    }

    /** A new depacketizer for {@code codec}. Throws for codecs that carry no media (RTX, RED, ULPFEC). */
    static Depacketizer of(Codec codec) {
        return switch (codec) {
            case OPUS, PCMU, PCMA, G722, CN, TELEPHONE_EVENT -> new AudioDepacketizer();
            case VP8 -> new Vp8PayloadDepacketizer();
            case VP9 -> new Vp9PayloadDepacketizer();
            case H264 -> new H264PayloadDepacketizer();
            case H265 -> new H265PayloadDepacketizer();
            case H266 -> new H266PayloadDepacketizer();
            case AV1 -> new Av1PayloadDepacketizer();
            case RTX, RED, ULPFEC -> throw new IllegalArgumentException(
                    codec + " repairs another stream: depacketize the stream it carries instead");
        };
    }
}
