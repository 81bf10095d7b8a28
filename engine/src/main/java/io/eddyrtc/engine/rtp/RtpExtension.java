package io.eddyrtc.engine.rtp;

/**
 * The RTP header extensions eddy negotiates ({@code a=extmap}, RFC 8285) and parses, by URI.
 */
public enum RtpExtension {
    ABS_SEND_TIME("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"),
    TRANSPORT_WIDE_CC("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"),
    MID("urn:ietf:params:rtp-hdrext:sdes:mid"),
    RID("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"),
    REPAIRED_RID("urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"),
    AUDIO_LEVEL("urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
    VIDEO_ORIENTATION("urn:3gpp:video-orientation"),
    PLAYOUT_DELAY("http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"),
    COLOR_SPACE("http://www.webrtc.org/experiments/rtp-hdrext/color-space"),
    ABS_CAPTURE_TIME("http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time"),
    VIDEO_CONTENT_TYPE("http://www.webrtc.org/experiments/rtp-hdrext/video-content-type"),
    VIDEO_TIMING("http://www.webrtc.org/experiments/rtp-hdrext/video-timing"),
    FRAME_MARKING("http://tools.ietf.org/html/draft-ietf-avtext-framemarking-07"),
    TOFFSET("urn:ietf:params:rtp-hdrext:toffset");

    private final String uri;

    RtpExtension(String uri) {
        this.uri = uri;
    }

    public String uri() {
        return uri;
    }

    /** The extension for an extmap URI, or {@code null} if eddy does not know it. */
    public static RtpExtension fromUri(String uri) {
        for (RtpExtension e : values()) {
            if (e.uri.equals(uri)) {
                return e;
            }
        }
        return null;
    }
}
