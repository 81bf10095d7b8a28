package io.eddyrtc.engine.sdp;

import java.util.Objects;

/** An SDP answer: a parsed description plus the JSON and text forms browsers exchange. */
public final class SdpAnswer {
    private final SessionDescription description;

    public SdpAnswer(SessionDescription description) {
        this.description = Objects.requireNonNull(description, "description");
    }

    /** Parses answer text. @throws SdpParseException if it is not SDP */
    public static SdpAnswer fromSdp(String sdp) {
        return new SdpAnswer(SessionDescription.parse(sdp));
    }

    /** Parses {@code {"type":"answer","sdp":"..."}}. @throws SdpParseException if it is not that */
    public static SdpAnswer fromJson(String json) {
        SdpJson.Parsed p = SdpJson.read(json);
        if (!p.type().equals("answer")) {
            throw new SdpParseException(0, "JSON type is '" + p.type() + "', not 'answer'");
        }
        return fromSdp(p.sdp());
    }

    public SessionDescription description() {
        return description;
    }

    public String toSdp() {
        return description.toSdp();
    }

    public String toJson() {
        return SdpJson.write("answer", toSdp());
    }

    @Override
    public String toString() {
        return toSdp();
    }
}
