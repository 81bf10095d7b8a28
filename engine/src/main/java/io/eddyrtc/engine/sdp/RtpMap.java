package io.eddyrtc.engine.sdp;

/** {@code a=rtpmap:<pt> <encoding>/<clock>[/<channels>]} (RFC 8866 §6.6). Channels is 0 when not given. */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) {

    public static RtpMap parse(String value) {
        String[] f = Tokens.fields(value);
        if (f.length != 2) {
            throw Tokens.bad("rtpmap '" + value + "' is not '<pt> <encoding>/<clock rate>'");
        }
        String[] enc = f[1].split("/", -1);
        if (enc.length < 2 || enc.length > 3 || enc[0].isEmpty()) {
            throw Tokens.bad("rtpmap encoding '" + f[1] + "' is not '<name>/<clock rate>[/<channels>]'");
        }
        int channels = enc.length == 3 ? (int) Tokens.number(enc[2], 1, 255, "rtpmap channels") : 0;
        return new RtpMap(Tokens.payloadType(f[0]), enc[0], (int) Tokens.number(enc[1], 1, 10_000_000, "clock rate"), channels);
    }

    public String value() {
        return payloadType + " " + encodingName + "/" + clockRate + (channels > 0 ? "/" + channels : "");
    }
}
