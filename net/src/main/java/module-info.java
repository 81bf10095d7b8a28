/**
 * Real UDP for the engine: batched, zero-copy sockets through FFM ({@code recvmmsg}/{@code sendmmsg}, GSO,
 * GRO) with a {@code DatagramChannel} fallback, and the server loop that runs many {@code Rtc}s over one socket (and an
 * ICE-TCP listener beside it).
 * {@code net.internal} (the Linux ABI and system calls) stays inside.
 */
module io.eddyrtc.net {
    requires transitive io.eddyrtc.buffers;
    requires transitive io.eddyrtc.engine; // RtcLoop's API shows Rtc, Event, RtcConfig, SdpOffer

    exports io.eddyrtc.net;
}
