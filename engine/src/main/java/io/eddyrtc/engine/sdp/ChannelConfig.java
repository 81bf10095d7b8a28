package io.eddyrtc.engine.sdp;

import java.util.Objects;

/**
 * A data channel asked for through {@link SdpApi#addChannel}: the engine opens it (DCEP) once SCTP is up.
 * {@code maxRetransmits} and {@code maxLifetimeMillis} are -1 when unset (reliable).
 */
public record ChannelConfig(String label, boolean ordered, int maxRetransmits, long maxLifetimeMillis, String protocol) {
    public ChannelConfig {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(protocol, "protocol");
        if (maxRetransmits >= 0 && maxLifetimeMillis >= 0) {
            throw new IllegalArgumentException("a channel gives up after retransmits or after a lifetime, not both; set one to -1");
        }
    }

    /** Reliable and ordered. */
    public static ChannelConfig reliable(String label) {
        return new ChannelConfig(label, true, -1, -1, "");
    }
}
