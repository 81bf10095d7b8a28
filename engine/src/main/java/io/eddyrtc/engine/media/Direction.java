package io.eddyrtc.engine.media;

/** The direction of a media section, as {@code a=sendrecv} etc. say (RFC 8866 §6.7). */
public enum Direction {
    SEND_RECV("sendrecv"), SEND_ONLY("sendonly"), RECV_ONLY("recvonly"), INACTIVE("inactive");

    private final String sdpName;

    Direction(String sdpName) {
        this.sdpName = sdpName;
    }

    public String sdpName() {
        return sdpName;
    }

    public boolean isSending() {
        return this == SEND_RECV || this == SEND_ONLY;
    }

    public boolean isReceiving() {
        return this == SEND_RECV || this == RECV_ONLY;
    }

    /** The direction as the other side sees it: sendonly ↔ recvonly. */
    public Direction reverse() {
        return switch (this) {
            case SEND_ONLY -> RECV_ONLY;
            case RECV_ONLY -> SEND_ONLY;
            default -> this;
        };
    }

    /** The direction for an SDP attribute name, or {@code null} if it is not one. */
    public static Direction fromSdpName(String name) {
        for (Direction d : values()) {
            if (d.sdpName.equals(name)) {
                return d;
            }
        }
        return null;
    }
}
