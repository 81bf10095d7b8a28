/**
 * Real UDP for the engine: {@link io.eddyrtc.net.UdpTransport} receives into and sends from
 * {@link io.eddyrtc.buffers.PacketPool} slots in batches, with {@link io.eddyrtc.net.UdpAddress} flyweights
 * instead of an {@code InetSocketAddress} per datagram. On Linux it speaks {@code recvmmsg}/{@code sendmmsg}
 * through FFM with GSO and GRO; elsewhere it falls back to {@code DatagramChannel}. The internals (the
 * Linux ABI, the system calls, the message headers) are in {@code io.eddyrtc.net.internal}, which knows
 * nothing of the transport.
 */
package io.eddyrtc.net;
