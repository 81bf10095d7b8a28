package io.eddyrtc.net;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * How to start an {@link RtcLoop}. Build one with {@link #builder(InetSocketAddress)}.
 *
 * @param name the loop thread's name, also in its log lines
 * @param udp the socket: bind address, backend (automatic by default), buffers, GSO, GRO, {@code SO_REUSEPORT}
 * @param limits how many peers the loop holds and when it gives up on one
 * @param hostAddresses the ICE host candidates every peer gets, with the socket's port; empty for the bound
 *     address itself, which a socket bound to a wildcard address ({@code 0.0.0.0}, {@code ::}) cannot use:
 *     name the host's addresses then (port 0 takes the socket's)
 * @param batchSize datagrams received and sent per system call, 1 to 1024
 * @param poolSlots the most 2 KiB packet slots the peers share (received, queued, held for retransmission)
 * @param debugPool the pool's ownership checks ({@link io.eddyrtc.buffers.PacketPool.Builder#debug}), which cost an
 *     allocation per slot taken: for tests; by default {@code -Deddy.buffers.debug}
 * @param tcp where to listen for ICE-TCP (RFC 6544) beside the UDP socket, or null for UDP only: every peer then also
 *     gets a passive TCP candidate there, which a browser that cannot use UDP connects to; an address a peer can
 *     reach, not a wildcard (the candidate is this address)
 * @param tcpLimits the ICE-TCP listener's caps and timeouts
 */
public record RtcLoopConfig(String name, UdpConfig udp, PeerLimits limits, List<InetSocketAddress> hostAddresses, int batchSize,
                            int poolSlots, boolean debugPool, InetSocketAddress tcp, IceTcpListener.Config tcpLimits) {

    public RtcLoopConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(udp, "udp");
        Objects.requireNonNull(limits, "limits: use PeerLimits.defaults()");
        hostAddresses = List.copyOf(hostAddresses);
        if (hostAddresses.isEmpty() && udp.bindAddress().getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("a socket bound to " + udp.bindAddress().getAddress().getHostAddress()
                    + " has no address a peer can reach: name the host's addresses with hostAddresses(...)");
        }
        if (batchSize < 1 || batchSize > RecvBatch.MAX_CAPACITY) {
            throw new IllegalArgumentException("batchSize is 1 to " + RecvBatch.MAX_CAPACITY + ", not " + batchSize);
        }
        if (poolSlots < 2 * batchSize) {
            throw new IllegalArgumentException("poolSlots (" + poolSlots + ") must hold at least two batches (" + 2 * batchSize + ")");
        }
        Objects.requireNonNull(tcpLimits, "tcpLimits: use IceTcpListener.Config.defaults()");
        if (tcp != null && (tcp.isUnresolved() || tcp.getAddress().isAnyLocalAddress())) {
            throw new IllegalArgumentException("ICE-TCP at " + tcp + " is no candidate a peer can reach: listen at one of the host's "
                    + "addresses (the candidate every peer signals is this address)");
        }
    }

    /** Defaults: the automatic backend, {@link PeerLimits#defaults()}, batches of 64, 16,384 pool slots (32 MiB at most). */
    public static Builder builder(InetSocketAddress bindAddress) {
        return new Builder(UdpConfig.builder(bindAddress).build());
    }

    /** Settings for an {@link RtcLoopConfig}; every one has a default. */
    public static final class Builder {
        private String name = "rtc-loop";
        private UdpConfig udp;
        private PeerLimits limits = PeerLimits.defaults();
        private List<InetSocketAddress> hostAddresses = List.of();
        private int batchSize = 64;
        private int poolSlots = 16_384;
        private boolean debugPool = Boolean.getBoolean("eddy.buffers.debug");
        private InetSocketAddress tcp;
        private IceTcpListener.Config tcpLimits = IceTcpListener.Config.defaults();

        private Builder(UdpConfig udp) {
            this.udp = udp;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The socket's settings (its bind address included). */
        public Builder udp(UdpConfig udp) {
            this.udp = udp;
            return this;
        }

        public Builder limits(PeerLimits limits) {
            this.limits = limits;
            return this;
        }

        public Builder hostAddresses(List<InetSocketAddress> addresses) {
            this.hostAddresses = addresses;
            return this;
        }

        public Builder batchSize(int datagrams) {
            this.batchSize = datagrams;
            return this;
        }

        public Builder poolSlots(int slots) {
            this.poolSlots = slots;
            return this;
        }

        public Builder debugPool(boolean debug) {
            this.debugPool = debug;
            return this;
        }

        /** Listens for ICE-TCP at {@code address} (port 0 picks one) too; null (the default) for UDP only. */
        public Builder tcp(InetSocketAddress address) {
            this.tcp = address;
            return this;
        }

        public Builder tcpLimits(IceTcpListener.Config limits) {
            this.tcpLimits = limits;
            return this;
        }

        public RtcLoopConfig build() {
            return new RtcLoopConfig(name, udp, limits, hostAddresses, batchSize, poolSlots, debugPool, tcp, tcpLimits);
        }
    }
}
