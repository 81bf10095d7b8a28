/**
 * Real UDP for the engine: batched, zero-copy sockets through FFM ({@code recvmmsg}/{@code sendmmsg}, GSO,
 * GRO) with a {@code DatagramChannel} fallback. {@code net.internal} (the Linux ABI and system calls) stays
 * inside.
 */
module io.eddyrtc.net {
    requires transitive io.eddyrtc.buffers;
    requires io.eddyrtc.engine; // net is the engine's I/O; its API shows no engine type, so not transitive

    exports io.eddyrtc.net;
}
