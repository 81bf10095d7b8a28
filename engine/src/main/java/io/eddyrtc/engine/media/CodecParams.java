package io.eddyrtc.engine.media;

import java.util.Objects;

/**
 * What one payload type carries, independent of its number: codec, clock rate, channels and fmtp
 * parameters. {@link #matches} decides whether two sides mean the same format — the rule negotiation
 * uses instead of payload-type numbers (RFC 8829 §5.3.1 / libwebrtc): same codec and clock rate, and for
 * codecs with profiles the same profile (H.264: profile and packetization-mode; VP9: profile-id; AV1:
 * profile; H.265: profile-id). Levels and declarative parameters (Opus' minptime, useinbandfec) do not
 * make formats different.
 *
 * @param channels audio channels (Opus is always 2 in SDP, RFC 7587); 0 for video
 */
public record CodecParams(Codec codec, int clockRate, int channels, FormatParams params) {
    public CodecParams {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(params, "params");
    }

    public static CodecParams of(Codec codec, FormatParams params) {
        int channels = codec == Codec.OPUS ? 2 : 0;
        return new CodecParams(codec, codec.clockRate(), channels, params);
    }

    /** True if this and {@code other} describe the same format, so one PT can carry both. */
    public boolean matches(CodecParams other) {
        if (codec != other.codec || clockRate != other.clockRate) {
            return false;
        }
        if (codec.kind() == MediaKind.AUDIO && Math.max(channels, 1) != Math.max(other.channels, 1)) {
            return false;
        }
        return switch (codec) {
            case H264 -> {
                H264ProfileLevelId a = h264ProfileLevelId();
                H264ProfileLevelId b = other.h264ProfileLevelId();
                yield a != null && b != null && a.profile() == b.profile()
                        && packetizationMode() == other.packetizationMode();
            }
            case VP9 -> params.getLong("profile-id", 0) == other.params.getLong("profile-id", 0);
            case AV1 -> params.getLong("profile", 0) == other.params.getLong("profile", 0);
            case H265 -> params.getLong("profile-id", 1) == other.params.getLong("profile-id", 1);
            default -> true;
        };
    }

    /** H.264's profile-level-id, the RFC 6184 default when absent, {@code null} when unrecognised. */
    public H264ProfileLevelId h264ProfileLevelId() {
        String v = params.get("profile-level-id");
        return v == null ? H264ProfileLevelId.DEFAULT : H264ProfileLevelId.parse(v);
    }

    /** H.264's packetization-mode: 0 (single NAL unit) unless given. */
    public long packetizationMode() {
        return params.getLong("packetization-mode", 0);
    }

    /** The rtpmap encoding text after the PT: {@code opus/48000/2}. */
    public String rtpmapEncoding() {
        return codec.encodingName() + "/" + clockRate + (channels > 0 ? "/" + channels : "");
    }
}
