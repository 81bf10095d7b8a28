package io.eddyrtc.engine.sdp;

/** An SDP offer: a parsed description plus the JSON and text forms browsers exchange. */
public final class SdpOffer extends TypedDescription {

    public SdpOffer(SessionDescription description) {
        super(description, "offer");
    }

    /** Parses offer text within {@link SdpLimits#defaults()}. @throws SdpParseException if it is not SDP or exceeds them */
    public static SdpOffer fromSdp(String sdp) {
        return fromSdp(sdp, SdpLimits.defaults());
    }

    /** Parses offer text within {@code limits} (those of {@link SdpConfig#limits()}). @throws SdpParseException likewise */
    public static SdpOffer fromSdp(String sdp, SdpLimits limits) {
        return new SdpOffer(SessionDescription.parse(sdp, limits));
    }

    /** Parses {@code {"type":"offer","sdp":"..."}}. @throws SdpParseException if it is not that */
    public static SdpOffer fromJson(String json) {
        return fromJson(json, SdpLimits.defaults());
    }

    /** Parses {@code {"type":"offer","sdp":"..."}} within {@code limits}. @throws SdpParseException likewise */
    public static SdpOffer fromJson(String json, SdpLimits limits) {
        return fromSdp(sdpFromJson(json, "offer"), limits);
    }
}
