package io.eddyrtc.engine.sdp;

/** An SDP answer: a parsed description plus the JSON and text forms browsers exchange. */
public final class SdpAnswer extends TypedDescription {

    public SdpAnswer(SessionDescription description) {
        super(description, "answer");
    }

    /** Parses answer text. @throws SdpParseException if it is not SDP */
    public static SdpAnswer fromSdp(String sdp) {
        return new SdpAnswer(SessionDescription.parse(sdp));
    }

    /** Parses {@code {"type":"answer","sdp":"..."}}. @throws SdpParseException if it is not that */
    public static SdpAnswer fromJson(String json) {
        return fromSdp(sdpFromJson(json, "answer"));
    }
}
