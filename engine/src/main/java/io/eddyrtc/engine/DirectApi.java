package io.eddyrtc.engine;

import io.eddyrtc.ice.IceAgent;

import java.util.Objects;

/**
 * Sets up an {@link Rtc} without SDP, for peers that signal some other way (str0m's {@code DirectApi}):
 * the caller decides the ICE role and exchanges credentials and candidates itself.
 *
 * <p>Today this covers ICE; DTLS (role, fingerprints), SCTP and data channels join as those layers are
 * wired into the {@code Rtc}.
 */
public final class DirectApi {
    private final IceAgent ice;

    DirectApi(IceAgent ice) {
        this.ice = ice;
    }

    /** Our ICE role: the offerer is usually controlling. An ICE-lite Rtc is always controlled. */
    public DirectApi setIceControlling(boolean controlling) {
        if (ice.isLite() && controlling) {
            throw new IllegalStateException("this Rtc is ICE-lite and so always controlled (RFC 8445 §6.1.1); "
                    + "build it without iceLite(true) to control");
        }
        ice.setControlling(controlling);
        return this;
    }

    public boolean isIceControlling() {
        return ice.isControlling();
    }

    /** Our ufrag and password, to send to the peer. */
    public IceCredentials localIceCredentials() {
        return new IceCredentials(ice.localUfrag(), ice.localPassword());
    }

    /** Replaces our generated credentials, e.g. with ones already signalled. */
    public DirectApi setLocalIceCredentials(IceCredentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        ice.setLocalCredentials(credentials.ufrag(), credentials.pwd());
        return this;
    }

    /** The peer's ufrag and password; checks start once these and a remote candidate are known. */
    public DirectApi setRemoteIceCredentials(IceCredentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        ice.setRemoteCredentials(credentials.ufrag(), credentials.pwd());
        return this;
    }

    /** The peer is ICE-lite (it said {@code a=ice-lite}): we must control. */
    public DirectApi setRemoteIceLite(boolean remoteLite) {
        ice.setRemoteLite(remoteLite);
        return this;
    }

    /**
     * Starts an ICE restart: new local credentials (returned, to signal), a fresh check list; media
     * stays on the current pair until the new generation selects one.
     */
    public IceCredentials iceRestart() {
        ice.restart();
        return localIceCredentials();
    }
}
