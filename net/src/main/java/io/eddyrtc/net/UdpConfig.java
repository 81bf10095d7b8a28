package io.eddyrtc.net;

import java.net.InetSocketAddress;

/**
 * How to open a {@link UdpTransport}. Build one with {@link #builder(InetSocketAddress)}.
 *
 * @param bindAddress where the socket is bound; port 0 lets the kernel pick. An IPv4 address makes an IPv4
 *     socket; an IPv6 one (the wildcard {@code ::} included) an IPv6 socket, which with {@code dualStack}
 *     also carries IPv4 (its IPv4 peers appear v4-mapped, and {@link UdpAddress} treats them as IPv4)
 * @param backend the backend to use, or {@code null} for the best one available here (chosen once per JVM,
 *     and logged)
 * @param reusePort {@code SO_REUSEPORT}: several transports, one per loop and core, bind the same port and
 *     the kernel spreads the peers among them by their addresses
 * @param receiveBufferBytes {@code SO_RCVBUF} to ask for, 0 for the system's default. The kernel caps it at
 *     {@code net.core.rmem_max}; {@link UdpTransport#receiveBufferBytes()} says what was granted
 * @param sendBufferBytes {@code SO_SNDBUF} to ask for, 0 for the system's default (capped at
 *     {@code net.core.wmem_max})
 * @param gso send runs of equal-sized datagrams to one destination as one GSO send where the kernel can
 * @param gro let the kernel hand over coalesced runs of datagrams from one sender in one read (the
 *     {@link RecvBatch} then needs 64 KiB slots, see {@link RecvBatch#segmentSize(int)})
 * @param dualStack on an IPv6 socket, take IPv4 as well ({@code IPV6_V6ONLY} off)
 */
public record UdpConfig(
        InetSocketAddress bindAddress,
        UdpBackend backend,
        boolean reusePort,
        int receiveBufferBytes,
        int sendBufferBytes,
        boolean gso,
        boolean gro,
        boolean dualStack) {

    /** 1 MiB each way: a few milliseconds of a busy server's traffic, so a scheduling hiccup does not drop. */
    public static final int DEFAULT_BUFFER_BYTES = 1 << 20;

    public UdpConfig {
        if (bindAddress == null || bindAddress.isUnresolved()) {
            throw new IllegalArgumentException("bindAddress must be a resolved address (an IP and a port, 0 for any): " + bindAddress);
        }
        if (receiveBufferBytes < 0 || sendBufferBytes < 0) {
            throw new IllegalArgumentException("buffer sizes must be 0 (the system default) or positive, were "
                    + receiveBufferBytes + " and " + sendBufferBytes);
        }
    }

    /** Defaults: automatic backend, 1 MiB buffers, GSO on, GRO off, dual stack on, no {@code SO_REUSEPORT}. */
    public static Builder builder(InetSocketAddress bindAddress) {
        return new Builder(bindAddress);
    }

    /** Settings for a {@link UdpConfig}; every one has a default. */
    public static final class Builder {
        private final InetSocketAddress bindAddress;
        private UdpBackend backend;
        private boolean reusePort;
        private int receiveBufferBytes = DEFAULT_BUFFER_BYTES;
        private int sendBufferBytes = DEFAULT_BUFFER_BYTES;
        private boolean gso = true;
        private boolean gro;
        private boolean dualStack = true;

        private Builder(InetSocketAddress bindAddress) {
            this.bindAddress = bindAddress;
        }

        /** Uses this backend, or fails to open where it is not available; {@code null} chooses. */
        public Builder backend(UdpBackend backend) {
            this.backend = backend;
            return this;
        }

        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        public Builder receiveBufferBytes(int bytes) {
            this.receiveBufferBytes = bytes;
            return this;
        }

        public Builder sendBufferBytes(int bytes) {
            this.sendBufferBytes = bytes;
            return this;
        }

        public Builder gso(boolean gso) {
            this.gso = gso;
            return this;
        }

        public Builder gro(boolean gro) {
            this.gro = gro;
            return this;
        }

        public Builder dualStack(boolean dualStack) {
            this.dualStack = dualStack;
            return this;
        }

        public UdpConfig build() {
            return new UdpConfig(bindAddress, backend, reusePort, receiveBufferBytes, sendBufferBytes, gso, gro, dualStack);
        }
    }
}
