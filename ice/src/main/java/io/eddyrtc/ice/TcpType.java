package io.eddyrtc.ice;

/** RFC 6544 §4.5 TCP candidate types: who opens the connection. */
public enum TcpType {
    ACTIVE("active"),
    PASSIVE("passive"),
    SIMULTANEOUS_OPEN("so");

    private final String sdpName;

    TcpType(String sdpName) {
        this.sdpName = sdpName;
    }

    public String sdpName() {
        return sdpName;
    }

    /** RFC 6544 §4.2 direction preference (the top bits of the local preference) for host-ish candidates. */
    int directionPreference() {
        return switch (this) {
            case ACTIVE -> 6;
            case PASSIVE -> 4;
            case SIMULTANEOUS_OPEN -> 2;
        };
    }

    public static TcpType fromSdp(String token) {
        for (TcpType t : values()) {
            if (t.sdpName.equalsIgnoreCase(token)) {
                return t;
            }
        }
        return null;
    }
}
