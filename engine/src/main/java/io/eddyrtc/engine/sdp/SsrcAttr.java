package io.eddyrtc.engine.sdp;

/** {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576 §4.1), e.g. {@code cname:...} or {@code msid:...}. */
public record SsrcAttr(long ssrc, String attribute, String value) {

    public static SsrcAttr parse(String value) {
        String v = value.strip();
        int space = v.indexOf(' ');
        long ssrc = Tokens.number(space < 0 ? v : v.substring(0, space), 0, 0xFFFF_FFFFL, "ssrc");
        if (space < 0) {
            throw Tokens.bad("ssrc '" + value + "' has no attribute");
        }
        String rest = v.substring(space + 1).strip();
        int colon = rest.indexOf(':');
        return colon < 0 ? new SsrcAttr(ssrc, rest, null) : new SsrcAttr(ssrc, rest.substring(0, colon), rest.substring(colon + 1));
    }

    public String value() {
        return ssrc + " " + attribute + (value != null ? ":" + value : "");
    }
}
