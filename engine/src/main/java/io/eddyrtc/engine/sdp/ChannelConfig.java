package io.eddyrtc.engine.sdp;

import io.eddyrtc.sctp.ChannelReliability;
import java.util.Objects;

/**
 * A data channel asked for through {@link SdpApi#addChannel}: the engine opens it (DCEP) once SCTP is up.
 * Its delivery (ordered or not, reliable or giving up after retransmits or a lifetime) is the SCTP
 * module's {@link ChannelReliability}, which checks its limits itself.
 */
public record ChannelConfig(String label, ChannelReliability reliability, String protocol) {
    public ChannelConfig {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(reliability, "reliability");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** Reliable and ordered. */
    public static ChannelConfig reliable(String label) {
        return new ChannelConfig(label, ChannelReliability.reliable(true), "");
    }
}
