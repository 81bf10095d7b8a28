package io.eddyrtc.engine;

import java.util.Objects;

/** An ICE username fragment and password, as {@code a=ice-ufrag} and {@code a=ice-pwd} carry them. */
public record IceCredentials(String ufrag, String pwd) {
    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd=(" + pwd.length() + " chars)]";
    }
}
