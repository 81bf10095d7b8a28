package io.eddyrtc.ice;

/** RFC 8445 §5.1.1 candidate types with their recommended type preferences (§5.1.2.2). */
public enum CandidateType {
    HOST("host", 126),
    PEER_REFLEXIVE("prflx", 110),
    SERVER_REFLEXIVE("srflx", 100),
    RELAYED("relay", 0);

    private final String sdpName;
    private final int typePreference;

    CandidateType(String sdpName, int typePreference) {
        this.sdpName = sdpName;
        this.typePreference = typePreference;
    }

    public String sdpName() {
        return sdpName;
    }

    public int typePreference() {
        return typePreference;
    }

    /** The type for an SDP {@code typ} token, or null if unknown. */
    public static CandidateType fromSdp(String token) {
        for (CandidateType t : values()) {
            if (t.sdpName.equalsIgnoreCase(token)) {
                return t;
            }
        }
        return null;
    }
}
