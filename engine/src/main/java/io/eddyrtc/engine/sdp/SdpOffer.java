package io.eddyrtc.engine.sdp;

/** An SDP offer: a parsed description plus the JSON and text forms browsers exchange. */
public final class SdpOffer extends TypedDescription {

    public SdpOffer(SessionDescription description) {
        super(description, "offer");
    }

    /** Parses offer text. @throws SdpParseException if it is not SDP */
    public static SdpOffer fromSdp(String sdp) {
        return new SdpOffer(SessionDescription.parse(sdp));
    }

    /** Parses {@code {"type":"offer","sdp":"..."}}. @throws SdpParseException if it is not that */
    public static SdpOffer fromJson(String json) {
        return fromSdp(sdpFromJson(json, "offer"));
    }
}
