package io.eddyrtc.perf.net;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.net.RecvBatch;
import io.eddyrtc.net.SendBatch;
import io.eddyrtc.net.UdpAddress;
import io.eddyrtc.net.UdpBackend;
import io.eddyrtc.net.UdpConfig;
import io.eddyrtc.net.UdpTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Two real UDP sockets on 127.0.0.1 and the datagrams between them. A {@link #round()} sends a batch from A
 * to B and receives it on B on one thread, so that thread pays for both the way out and the way in of every
 * datagram, as a forwarding server does; {@link #send()} and {@link #receive(long)} split the two for a
 * sender and a receiver thread. What the benchmarks measure.
 */
final class LoopbackPair implements AutoCloseable {
    /** The transports compared. */
    enum Mode {
        /** recvmmsg/sendmmsg, GSO sends, GRO receives (64 KiB receive slots). */
        LINUX_GSO_GRO(UdpBackend.LINUX_BATCHED, true, true),
        /** recvmmsg/sendmmsg with GSO sends. */
        LINUX_GSO(UdpBackend.LINUX_BATCHED, true, false),
        /** recvmmsg/sendmmsg, one message per datagram. */
        LINUX(UdpBackend.LINUX_BATCHED, false, false),
        /** DatagramChannel: one receive and one send call per datagram. */
        CHANNEL(UdpBackend.DATAGRAM_CHANNEL, false, false);

        final UdpBackend backend;
        final boolean gso;
        final boolean gro;

        Mode(UdpBackend backend, boolean gso, boolean gro) {
            this.backend = backend;
            this.gso = gso;
            this.gro = gro;
        }
    }

    private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final PacketPool sendPool;
    private final PacketPool receivePool;
    private final UdpTransport a;
    private final UdpTransport b;
    private final RecvBatch in;
    private final SendBatch out;
    private final PacketBuffer[] payloads;
    private final UdpAddress toB;
    private long lost;

    LoopbackPair(Mode mode, int batch, int payloadBytes) {
        try {
            InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
            this.a = UdpTransport.open(UdpConfig.builder(loopback).backend(mode.backend).gso(mode.gso).build());
            this.b = UdpTransport.open(UdpConfig.builder(loopback).backend(mode.backend).gro(mode.gro).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Production pools: debug mode allocates per acquisition by design.
        this.sendPool = PacketPool.builder().debug(false).build();
        this.receivePool = PacketPool.builder().debug(false).slotSize(mode.gro ? 65536 : 2048).slotsPerSlab(64).build();
        this.in = new RecvBatch(receivePool, 64);
        this.out = new SendBatch(batch);
        this.payloads = new PacketBuffer[batch];
        for (int i = 0; i < batch; i++) {
            payloads[i] = sendPool.acquire();
            payloads[i].segment().fill((byte) i);
            payloads[i].length(payloadBytes);
        }
        this.toB = UdpAddress.of(b.localAddress());
    }

    /** Sends the batch from A to B and receives it on B; the datagrams that arrived. */
    int round() {
        send();
        int expected = payloads.length;
        int got = 0;
        while (got < expected) {
            int n = receive(WAIT_NANOS);
            if (n == 0) {
                lost += expected - got; // loopback does not lose; a full receive buffer would
                break;
            }
            got += n;
        }
        return got;
    }

    /** Sends the batch from A to B; the datagrams the kernel took. */
    int send() {
        for (PacketBuffer p : payloads) {
            out.add(p, toB);
        }
        return a.send(out);
    }

    /** One receive on B, waiting up to {@code waitNanos}; the datagrams it brought (a GRO entry counts each). */
    int receive(long waitNanos) {
        int n = b.receive(in, waitNanos);
        int datagrams = 0;
        for (int i = 0; i < n; i++) {
            int size = in.segmentSize(i);
            datagrams += size == 0 ? 1 : (in.length(i) + size - 1) / size;
        }
        return datagrams;
    }

    long lost() {
        return lost;
    }

    @Override
    public void close() {
        in.close();
        for (PacketBuffer p : payloads) {
            p.release();
        }
        a.close();
        b.close();
        sendPool.close();
        receivePool.close();
    }
}
