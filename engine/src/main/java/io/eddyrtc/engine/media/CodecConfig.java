package io.eddyrtc.engine.media;

import java.util.ArrayList;
import java.util.List;

/**
 * The payload types a session is willing to use, in preference order, with the PT numbers it offers
 * them under. {@link #withDefaults()} follows str0m's {@code CodecConfig::new_with_defaults} and its
 * numbers: Opus, VP8, seven H.264 variants, VP9 profiles 0 and 2 and AV1, each video codec with RTX.
 * PCMU, PCMA, G.722, telephone-event, CN, RED and ULPFEC are off until added ({@link #add}); RED and
 * ULPFEC are recognised in peers' SDP but negotiated only when configured here.
 *
 * <p>H.265 is off by default although str0m turns it on: eddy matches H.265 by profile only and does
 * not negotiate its tier and level-id (RFC 7798 §7.2.2), so an answer could agree on a level the peer's
 * decoder does not support. Add it ({@code video(pt, rtxPt, Codec.H265, params)}) where both ends are
 * known to handle the stream.
 */
public final class CodecConfig {
    /** The feedback eddy implements for video: NACK/RTX, keyframe requests and transport-wide CC. */
    public static final List<String> VIDEO_FEEDBACK = List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
    public static final List<String> AUDIO_FEEDBACK = List.of("transport-cc");

    private final List<PayloadParams> payloads = new ArrayList<>();

    /** An empty configuration: add what you want. */
    public CodecConfig() {
    }

    public static CodecConfig withDefaults() {
        CodecConfig c = new CodecConfig();
        c.add(opus(111));
        c.add(video(96, 97, Codec.VP8, FormatParams.NONE));
        int[][] h264 = {
            {127, 121, 1, 0x42001f}, {125, 107, 0, 0x42001f}, {108, 109, 1, 0x42e01f}, {124, 120, 0, 0x42e01f},
            {123, 119, 1, 0x4d001f}, {35, 36, 0, 0x4d001f}, {114, 115, 1, 0x64001f},
        };
        for (int[] h : h264) {
            c.add(h264(h[0], h[1], h[2], h[3]));
        }
        c.add(video(98, 99, Codec.VP9, FormatParams.of("profile-id", "0")));
        c.add(video(100, 101, Codec.VP9, FormatParams.of("profile-id", "2")));
        c.add(video(45, 46, Codec.AV1, FormatParams.NONE));
        return c;
    }

    public static PayloadParams opus(int pt) {
        return new PayloadParams(pt, new CodecParams(Codec.OPUS, 48_000, 2, FormatParams.of("minptime", "10", "useinbandfec", "1")),
                -1, AUDIO_FEEDBACK);
    }

    /** A plain audio codec at its usual clock rate, e.g. {@code audio(0, Codec.PCMU)}. */
    public static PayloadParams audio(int pt, Codec codec) {
        return new PayloadParams(pt, new CodecParams(codec, codec.clockRate(), 0, FormatParams.NONE), -1, List.of());
    }

    /** telephone-event (RFC 4733) at a clock rate matching the audio codec it goes with. */
    public static PayloadParams telephoneEvent(int pt, int clockRate) {
        return new PayloadParams(pt, new CodecParams(Codec.TELEPHONE_EVENT, clockRate, 0, FormatParams.NONE), -1, List.of());
    }

    public static PayloadParams video(int pt, int rtxPt, Codec codec, FormatParams params) {
        return new PayloadParams(pt, new CodecParams(codec, 90_000, 0, params), rtxPt, VIDEO_FEEDBACK);
    }

    public static PayloadParams h264(int pt, int rtxPt, int packetizationMode, int profileLevelId) {
        return video(pt, rtxPt, Codec.H264, FormatParams.of("level-asymmetry-allowed", "1",
                "packetization-mode", String.valueOf(packetizationMode), "profile-level-id", String.format("%06x", profileLevelId)));
    }

    /**
     * Adds a payload type at the end of the preference order.
     *
     * @throws IllegalArgumentException if its PT or RTX PT is already used
     */
    public CodecConfig add(PayloadParams p) {
        for (PayloadParams q : payloads) {
            if (q.pt() == p.pt() || q.pt() == p.rtxPt() || (q.rtxPt() >= 0 && (q.rtxPt() == p.pt() || q.rtxPt() == p.rtxPt()))) {
                throw new IllegalArgumentException("payload type " + p.pt() + "/" + p.rtxPt() + " collides with " + q.pt() + "/"
                        + q.rtxPt() + " (" + q.codec() + "); pick unused numbers");
            }
        }
        payloads.add(p);
        return this;
    }

    /** Removes every payload type of {@code codec}. */
    public CodecConfig remove(Codec codec) {
        payloads.removeIf(p -> p.codec() == codec);
        return this;
    }

    /** The configured payload types of {@code kind}, in preference order. */
    public List<PayloadParams> forKind(MediaKind kind) {
        return payloads.stream().filter(p -> p.kind() == kind).toList();
    }

    public List<PayloadParams> all() {
        return List.copyOf(payloads);
    }

    /** The first configured payload type that {@link CodecParams#matches} {@code remote}, or {@code null}. */
    public PayloadParams match(CodecParams remote) {
        for (PayloadParams p : payloads) {
            if (p.spec().matches(remote)) {
                return p;
            }
        }
        return null;
    }

    public CodecConfig copy() {
        CodecConfig c = new CodecConfig();
        c.payloads.addAll(payloads);
        return c;
    }
}
