package io.eddyrtc.engine.sdp;

/** An SDP answer: a parsed description plus the JSON and text forms browsers exchange. */
public final class SdpAnswer extends TypedDescription {

    public SdpAnswer(SessionDescription description) {
        super(description, "answer");
    }

    /** Parses answer text within {@link SdpLimits#defaults()}. @throws SdpParseException if it is not SDP or exceeds them */
    public static SdpAnswer fromSdp(String sdp) {
        return fromSdp(sdp, SdpLimits.defaults());
    }

    /** Parses answer text within {@code limits} (those of {@link SdpConfig#limits()}). @throws SdpParseException likewise */
    public static SdpAnswer fromSdp(String sdp, SdpLimits limits) {
        return new SdpAnswer(SessionDescription.parse(sdp, limits));
    }

    /** Parses {@code {"type":"answer","sdp":"..."}}. @throws SdpParseException if it is not that */
    public static SdpAnswer fromJson(String json) {
        return fromJson(json, SdpLimits.defaults());
    }

    /** Parses {@code {"type":"answer","sdp":"..."}} within {@code limits}. @throws SdpParseException likewise */
    public static SdpAnswer fromJson(String json, SdpLimits limits) {
        return fromSdp(sdpFromJson(json, "answer"), limits);
    }
}
