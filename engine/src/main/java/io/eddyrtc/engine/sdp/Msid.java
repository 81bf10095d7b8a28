package io.eddyrtc.engine.sdp;

/** {@code a=msid:<stream id> [<track id>]} (RFC 8830): which MediaStream and track an m-line carries. */
public record Msid(String streamId, String trackId) {

    public static Msid parse(String value) {
        String[] f = Tokens.fields(value);
        if (f.length < 1 || f.length > 2 || f[0].isEmpty()) {
            throw Tokens.bad("msid '" + value + "' is not '<stream id> [<track id>]'");
        }
        return new Msid(f[0], f.length == 2 ? f[1] : null);
    }

    public String value() {
        return trackId == null ? streamId : streamId + " " + trackId;
    }
}
