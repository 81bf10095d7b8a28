package io.eddyrtc.engine.sdp;

import java.util.Objects;

/**
 * What {@link SdpOffer} and {@link SdpAnswer} share: a parsed description and its JSON and text forms.
 * They differ only in the JSON {@code type}, so they stay two public types (an offer cannot be passed
 * where an answer is expected) over this one implementation.
 */
abstract sealed class TypedDescription permits SdpOffer, SdpAnswer {
    private final SessionDescription description;
    private final String type;

    TypedDescription(SessionDescription description, String type) {
        this.description = Objects.requireNonNull(description, "description");
        this.type = type;
    }

    /** The SDP of {@code {"type":<type>,"sdp":"..."}}. @throws SdpParseException if it is not that */
    static String sdpFromJson(String json, String type) {
        SdpJson.Parsed p = SdpJson.read(json);
        if (!p.type().equals(type)) {
            throw new SdpParseException(0, "JSON type is '" + p.type() + "', not '" + type + "'");
        }
        return p.sdp();
    }

    public SessionDescription description() {
        return description;
    }

    public String toSdp() {
        return description.toSdp();
    }

    public String toJson() {
        return SdpJson.write(type, toSdp());
    }

    @Override
    public String toString() {
        return toSdp();
    }
}
