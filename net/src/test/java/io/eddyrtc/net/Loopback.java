package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Real sockets on the loopback interface, and patient ways to wait for what they carry. */
final class Loopback {
    static final InetSocketAddress V4 = new InetSocketAddress("127.0.0.1", 0);
    /** Generous: the machine may be busy; a passing test never waits this long. */
    static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(20);
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Loopback() {
    }

    static UdpTransport open(UdpBackend backend, InetSocketAddress bind) throws IOException {
        return UdpTransport.open(UdpConfig.builder(bind).backend(backend).build());
    }

    /** The IPv6 loopback address, or a failure that says the environment lacks it. */
    static InetSocketAddress ipv6Loopback() {
        try {
            return new InetSocketAddress(java.net.InetAddress.getByName("::1"), 0);
        } catch (IOException e) {
            return fail("IPv6 loopback (::1) is not available in this environment: " + e);
        }
    }

    /** A port on 127.0.0.1 nothing listens on: bound once, then closed. */
    static int closedPort(UdpBackend backend) throws IOException {
        try (UdpTransport t = open(backend, V4)) {
            return t.localAddress().getPort();
        }
    }

    /** Loopback address {@code 127.0.0.x} with {@code port}. */
    static UdpAddress loopback(int lastByte, int port) {
        return new UdpAddress().setIpv4(0x7F00_0000 | lastByte, port);
    }

    /** Two transports of one backend on 127.0.0.1, {@code a} to send and {@code b} to receive into {@code batch}. */
    record Pair(PacketPool pool, UdpTransport a, UdpTransport b, RecvBatch batch) implements AutoCloseable {
        static Pair open(UdpBackend backend, int batchSize) throws IOException {
            PacketPool pool = PacketPool.builder().build();
            return new Pair(pool, Loopback.open(backend, V4), Loopback.open(backend, V4), new RecvBatch(pool, batchSize));
        }

        /** {@code b}'s address, to send to. */
        UdpAddress toB() {
            return UdpAddress.of(b.localAddress());
        }

        @Override
        public void close() {
            batch.close();
            a.close();
            b.close();
            pool.close(); // last: it reports any slot a test kept
        }
    }

    /** A datagram as received: a copy of its bytes, where it came from and where it went. */
    record Datagram(byte[] data, UdpAddress source, UdpAddress destination, int segmentSize, int entryLength) {
        int sequence() {
            return (data[0] & 0xFF) << 8 | data[1] & 0xFF;
        }
    }

    /** Payload number {@code sequence}: two bytes of sequence, then seeded random bytes. */
    static byte[] payload(SplittableRandom random, int sequence, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        if (length >= 2) {
            b[0] = (byte) (sequence >>> 8);
            b[1] = (byte) sequence;
        }
        return b;
    }

    /** Sends each payload to {@code destination} in one batch, from slots of {@code pool}; what send returned. */
    static int sendAll(UdpTransport from, PacketPool pool, List<byte[]> payloads, UdpAddress destination) {
        SendBatch batch = new SendBatch(Math.max(1, payloads.size()));
        List<PacketBuffer> held = new ArrayList<>();
        for (byte[] p : payloads) {
            PacketBuffer b = pool.acquire();
            MemorySegment.copy(p, 0, b.segment(), ValueLayout.JAVA_BYTE, 0, p.length);
            b.length(p.length);
            held.add(b);
            batch.add(b, destination);
        }
        int sent = from.send(batch);
        held.forEach(PacketBuffer::release);
        return sent;
    }

    /**
     * Receives until {@code count} datagrams came (each datagram of a GRO entry counted on its own) or the
     * patience ran out; fails in that case, naming what did come.
     */
    static List<Datagram> receive(UdpTransport into, RecvBatch batch, int count) {
        List<Datagram> got = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (got.size() < count) {
            if (System.nanoTime() > deadline) {
                fail("received " + got.size() + " of " + count + " datagrams within 20 s; " + into.stats());
            }
            int n = into.receive(batch, POLL_NANOS);
            for (int i = 0; i < n; i++) {
                got.addAll(split(batch, i));
            }
        }
        return got;
    }

    /** The datagrams of entry {@code i} (several when GRO coalesced them). */
    static List<Datagram> split(RecvBatch batch, int i) {
        List<Datagram> out = new ArrayList<>();
        int length = batch.length(i);
        int size = batch.segmentSize(i);
        MemorySegment s = batch.segment(i);
        int off = 0;
        do { // an empty datagram is one datagram too
            int n = Math.min(size, length - off);
            byte[] data = s.asSlice(off, n).toArray(ValueLayout.JAVA_BYTE);
            out.add(new Datagram(data, new UdpAddress().set(batch.source(i)), new UdpAddress().set(batch.destination(i)), size, length));
            off += n;
        } while (off < length);
        return out;
    }

    /** Waits, receiving into {@code batch} meanwhile, until {@code condition} holds; fails after the patience. */
    static void receiveUntil(UdpTransport into, RecvBatch batch, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited 20 s for " + what + "; " + into.stats());
            }
            into.receive(batch, POLL_NANOS);
        }
    }
}
