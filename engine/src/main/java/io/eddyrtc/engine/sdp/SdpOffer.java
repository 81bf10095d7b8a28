package io.eddyrtc.engine.sdp;

import java.util.Objects;

/** An SDP offer: a parsed description plus the JSON and text forms browsers exchange. */
public final class SdpOffer {
    private final SessionDescription description;

    public SdpOffer(SessionDescription description) {
        this.description = Objects.requireNonNull(description, "description");
    }

    /** Parses offer text. @throws SdpParseException if it is not SDP */
    public static SdpOffer fromSdp(String sdp) {
        return new SdpOffer(SessionDescription.parse(sdp));
    }

    /** Parses {@code {"type":"offer","sdp":"..."}}. @throws SdpParseException if it is not that */
    public static SdpOffer fromJson(String json) {
        SdpJson.Parsed p = SdpJson.read(json);
        if (!p.type().equals("offer")) {
            throw new SdpParseException(0, "JSON type is '" + p.type() + "', not 'offer'");
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
        return SdpJson.write("offer", toSdp());
    }

    @Override
    public String toString() {
        return toSdp();
    }
}
