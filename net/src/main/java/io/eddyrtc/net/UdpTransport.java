package io.eddyrtc.net;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One UDP socket that receives into and sends from {@link io.eddyrtc.buffers.PacketPool} slots, in batches.
 * {@link #open} picks the backend: batched Linux system calls through FFM where they are available
 * ({@link UdpBackend#LINUX_BATCHED}), else {@link java.nio.channels.DatagramChannel}
 * ({@link UdpBackend#DATAGRAM_CHANNEL}); the choice is made and logged once per JVM.
 *
 * <p>The network never throws out of {@link #receive} or {@link #send}: a datagram that cannot be taken in or
 * sent out is dropped and counted by {@link UdpDropReason} in {@link #stats()}, and an ICMP report of an
 * unreachable peer is counted, never fatal. What throws is misuse (a closed transport, a bad batch) and a
 * socket that stopped working altogether ({@link java.io.UncheckedIOException}).
 *
 * <p>A transport belongs to one thread, its loop's. Only {@link #wakeup()} may be called from others; close
 * it from the loop's thread once the loop has stopped.
 */
public sealed interface UdpTransport extends AutoCloseable permits LinuxUdpTransport, ChannelUdpTransport {

    /** Opens and binds a socket as {@code config} says. */
    static UdpTransport open(UdpConfig config) throws IOException {
        UdpBackend backend = config.backend() != null ? config.backend() : BackendChoice.automatic();
        return switch (backend) {
            case LINUX_BATCHED -> LinuxUdpTransport.open(config);
            case DATAGRAM_CHANNEL -> ChannelUdpTransport.open(config);
        };
    }

    /** The backend this transport runs on. */
    UdpBackend backend();

    /** The address the socket is bound to, with the port the kernel chose when asked for port 0. */
    InetSocketAddress localAddress();

    /**
     * Receives up to {@code batch.capacity()} datagrams into the batch, waiting at most {@code timeoutNanos}
     * (0: not at all) for the first. Returns the number of entries filled ({@link RecvBatch#count()}), 0 when
     * nothing came in time. It may return 0 early: on {@link #wakeup()}, when only dropped datagrams or ICMP
     * reports came, or when the batch's pool has no free slot. A loop looks at its clock after each call.
     */
    int receive(RecvBatch batch, long timeoutNanos);

    /**
     * Sends every datagram of the batch, without waiting, and empties the batch. Returns how many the kernel
     * took; the others were dropped and counted ({@link UdpDropReason#SEND_BUFFER_FULL},
     * {@link UdpDropReason#SEND_REFUSED}). The batch's memory is not needed after this returns.
     */
    int send(SendBatch batch);

    /** Makes a {@link #receive} that is waiting (or the next one) return at once. Safe from any thread. */
    void wakeup();

    /** Counters of datagrams, system calls and drops: a live view. */
    UdpStats stats();

    /** Whether sends use GSO now (asked for, available, and not refused by the kernel since). */
    boolean gsoEnabled();

    /** Whether the kernel may coalesce received datagrams (asked for and available). */
    boolean groEnabled();

    /** The receive buffer the kernel granted, in bytes of datagrams. */
    int receiveBufferBytes();

    /** The send buffer the kernel granted, in bytes of datagrams. */
    int sendBufferBytes();

    /** Closes the socket and gives back its memory. The pool slots in batches stay the batches'. */
    @Override
    void close();
}
