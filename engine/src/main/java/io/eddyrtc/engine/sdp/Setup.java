package io.eddyrtc.engine.sdp;

import java.util.Locale;

/** {@code a=setup} (RFC 4145/8842): who opens the DTLS connection. Active is the DTLS client. */
public enum Setup {
    ACTIVE, PASSIVE, ACTPASS, HOLDCONN;

    public String sdpName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Setup parse(String value) {
        return switch (value.strip()) {
            case "active" -> ACTIVE;
            case "passive" -> PASSIVE;
            case "actpass" -> ACTPASS;
            case "holdconn" -> HOLDCONN;
            default -> throw Tokens.bad("setup '" + value + "' is not active, passive, actpass or holdconn");
        };
    }
}
