package io.eddyrtc.engine.sdp;

/** {@code a=rtcp-fb:<pt|*> <feedback>} (RFC 4585 §4.2), e.g. {@code nack pli}. pt is -1 for {@code *}. */
public record RtcpFb(int payloadType, String feedback) {

    public static RtcpFb parse(String value) {
        String[] f = Tokens.payloadTypeAndRest(value, "rtcp-fb", "feedback");
        return new RtcpFb(f[0].equals("*") ? -1 : Tokens.payloadType(f[0]), f[1]);
    }

    public String value() {
        return (payloadType < 0 ? "*" : String.valueOf(payloadType)) + " " + feedback;
    }
}
