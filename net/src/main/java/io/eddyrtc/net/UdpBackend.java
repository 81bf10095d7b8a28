package io.eddyrtc.net;

/** How a {@link UdpTransport} reaches the network. */
public enum UdpBackend {
    /**
     * Linux system calls through FFM: {@code recvmmsg}/{@code sendmmsg} in batches straight into and out of
     * pool slots, GSO and GRO where the kernel has them, the local address of every datagram, ICMP reports
     * counted. Needs Linux on x86_64 or aarch64 and {@code --enable-native-access}.
     */
    LINUX_BATCHED,
    /**
     * {@link java.nio.channels.DatagramChannel}: one system call and one copy per datagram, and the socket's
     * bound address as every datagram's local address. Works wherever Java does.
     */
    DATAGRAM_CHANNEL
}
