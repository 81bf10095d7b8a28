package io.eddyrtc.engine.sdp;

/** The {@code o=} line (RFC 8866 §5.2): who made the description and its version. */
public record SdpOrigin(String username, String sessionId, long sessionVersion, String netType, String addrType,
                        String address) {

    /** The origin eddy writes: anonymous user, loopback address as browsers do. */
    public static SdpOrigin of(long sessionId, long sessionVersion) {
        return new SdpOrigin("-", Long.toUnsignedString(sessionId), sessionVersion, "IN", "IP4", "127.0.0.1");
    }

    public String text() {
        return username + " " + sessionId + " " + sessionVersion + " " + netType + " " + addrType + " " + address;
    }
}
