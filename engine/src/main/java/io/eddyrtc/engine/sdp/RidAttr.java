package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.Rid;
import java.util.Arrays;

/**
 * {@code a=rid:<id> send|recv [<restrictions>]} (RFC 8851 §10): one simulcast encoding. {@code send} is
 * the direction from the point of view of the description's author. Restrictions is {@code null} if absent.
 */
public record RidAttr(Rid rid, boolean send, String restrictions) {

    public static RidAttr parse(String value) {
        String[] f = Tokens.fields(value);
        if (f.length < 2 || !(f[1].equals("send") || f[1].equals("recv"))) {
            throw Tokens.bad("rid '" + value + "' is not '<id> send|recv [<restrictions>]'");
        }
        return new RidAttr(SimulcastAttr.rid(f[0]), f[1].equals("send"),
                f.length > 2 ? String.join(" ", Arrays.copyOfRange(f, 2, f.length)) : null);
    }

    public String value() {
        return rid + (send ? " send" : " recv") + (restrictions != null ? " " + restrictions : "");
    }
}
