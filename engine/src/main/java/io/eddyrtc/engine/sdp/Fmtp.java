package io.eddyrtc.engine.sdp;

/** {@code a=fmtp:<pt> <parameters>}: the parameters stay text; {@code media.FormatParams} reads them. */
public record Fmtp(int payloadType, String parameters) {

    public static Fmtp parse(String value) {
        String[] f = Tokens.payloadTypeAndRest(value, "fmtp", "parameters");
        return new Fmtp(Tokens.payloadType(f[0]), f[1]);
    }

    public String value() {
        return payloadType + " " + parameters;
    }
}
