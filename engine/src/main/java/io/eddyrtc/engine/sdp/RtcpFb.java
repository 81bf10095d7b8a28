package io.eddyrtc.engine.sdp;

/** {@code a=rtcp-fb:<pt|*> <feedback>} (RFC 4585 §4.2), e.g. {@code nack pli}. pt is -1 for {@code *}. */
public record RtcpFb(int payloadType, String feedback) {

    public static RtcpFb parse(String value) {
        String v = value.strip();
        int space = v.indexOf(' ');
        if (space <= 0) {
            throw Tokens.bad("rtcp-fb '" + value + "' is not '<pt> <feedback>'");
        }
        String pt = v.substring(0, space);
        return new RtcpFb(pt.equals("*") ? -1 : Tokens.payloadType(pt), v.substring(space + 1).strip());
    }

    public String value() {
        return (payloadType < 0 ? "*" : String.valueOf(payloadType)) + " " + feedback;
    }
}
