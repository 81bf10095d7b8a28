package io.eddyrtc.crypto.dtls.internal;

/**
 * The handshake cannot succeed: the connection fails, telling the peer with {@link #alert()} (a fatal alert
 * description, or -1 for none). Thrown inside the handshake and caught by the endpoint, never thrown out.
 */
public final class HandshakeFailure extends Exception {
    private final int alert;

    public HandshakeFailure(int alert, String reason) {
        super(reason, null, false, false);
        this.alert = alert;
    }

    public int alert() {
        return alert;
    }
}
