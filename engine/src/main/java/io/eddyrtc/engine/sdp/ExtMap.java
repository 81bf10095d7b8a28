package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.Direction;
import java.util.Arrays;

/**
 * {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]} (RFC 8285 §7). Direction is {@code null} when
 * not given (which means sendrecv); attributes is {@code null} when absent.
 */
public record ExtMap(int id, Direction direction, String uri, String attributes) {

    public static ExtMap parse(String value) {
        String[] f = Tokens.fields(value);
        if (f.length < 2) {
            throw Tokens.bad("extmap '" + value + "' is not '<id>[/<direction>] <uri>'");
        }
        String idText = f[0];
        Direction direction = null;
        int slash = idText.indexOf('/');
        if (slash >= 0) {
            direction = Direction.fromSdpName(idText.substring(slash + 1));
            if (direction == null) {
                throw Tokens.bad("extmap direction '" + idText.substring(slash + 1) + "' is not sendrecv, sendonly, recvonly or inactive");
            }
            idText = idText.substring(0, slash);
        }
        int id = (int) Tokens.number(idText, 1, 255, "extmap id");
        String attributes = f.length > 2 ? String.join(" ", Arrays.copyOfRange(f, 2, f.length)) : null;
        return new ExtMap(id, direction, f[1], attributes);
    }

    public String value() {
        return id + (direction != null ? "/" + direction.sdpName() : "") + " " + uri + (attributes != null ? " " + attributes : "");
    }
}
