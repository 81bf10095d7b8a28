package io.eddyrtc.engine.sdp;

/** {@code a=fmtp:<pt> <parameters>}: the parameters stay text; {@code media.FormatParams} reads them. */
public record Fmtp(int payloadType, String parameters) {

    public static Fmtp parse(String value) {
        String v = value.strip();
        int space = v.indexOf(' ');
        if (space <= 0) {
            throw Tokens.bad("fmtp '" + value + "' is not '<pt> <parameters>'");
        }
        return new Fmtp(Tokens.payloadType(v.substring(0, space)), v.substring(space + 1).strip());
    }

    public String value() {
        return payloadType + " " + parameters;
    }
}
