package io.eddyrtc.engine.media;

import java.util.Locale;

/** What an m-line carries: audio or video (data channels are not media). */
public enum MediaKind {
    AUDIO, VIDEO;

    /** The SDP media token: {@code audio} or {@code video}. */
    public String sdpName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind for an SDP media token, or {@code null} if it is not audio or video. */
    public static MediaKind fromSdpName(String token) {
        return switch (token) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            default -> null;
        };
    }
}
