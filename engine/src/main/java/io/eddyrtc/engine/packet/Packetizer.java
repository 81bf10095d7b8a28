package io.eddyrtc.engine.packet;

import io.eddyrtc.engine.media.Codec;
import java.lang.foreign.MemorySegment;

/**
 * The codec half of sending media: splits one frame into RTP payloads of at most {@code mtu} bytes,
 * written into segments the caller provides. Used as an iterator so nothing is allocated per frame:
 *
 * <pre>{@code
 * packetizer.begin(frame, 0, frameLength, 1200);
 * while (packetizer.hasNext()) {
 *     int n = packetizer.next(slot, payloadOffset);     // slot has room for mtu bytes there
 *     send(slot, n, packetizer.marker());              // marker: the frame's last payload
 * }
 * }</pre>
 *
 * The frame is read in place and must stay unchanged until the last {@link #next}. Frames come from
 * the application, so a frame the codec cannot carry (empty, or audio larger than the MTU) is API
 * misuse and throws {@link IllegalArgumentException} from {@link #begin}.
 */
public interface Packetizer {

    /** Starts on a frame: {@code length} bytes of {@code frame} from {@code offset}. */
    void begin(MemorySegment frame, long offset, int length, int mtu);

    /** True while payloads of the current frame remain. */
    boolean hasNext();

    /** Writes the next payload at {@code at} in {@code out} (room for {@code mtu} bytes); returns its length. */
    int next(MemorySegment out, long at);

    /** True if the payload {@link #next} just wrote is the frame's last: set the RTP marker bit. */
    boolean marker();

    /** A new packetizer for {@code codec}. Throws for codecs that carry no media (RTX, RED, ULPFEC). */
    static Packetizer of(Codec codec) {
        return switch (codec) {
            case OPUS, PCMU, PCMA, G722, CN, TELEPHONE_EVENT -> new AudioPacketizer();
            case VP8 -> new Vp8Packetizer();
            case VP9 -> new Vp9Packetizer();
            case H264 -> new H264Packetizer();
            case H265 -> new H265Packetizer();
            case H266 -> new H266Packetizer();
            case AV1 -> new Av1Packetizer();
            case RTX, RED, ULPFEC -> throw new IllegalArgumentException(
                    codec + " repairs another stream: packetize the stream it carries instead");
        };
    }
}
