package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.net.Loopback.Datagram;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.eddyrtc.net.Loopback.V4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What both backends promise, on real loopback sockets. */
@ExtendWith(SeedExtension.class)
class UdpTransportTest {

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void oneDatagramArrivesWithItsSenderAndTheAddressItWasSentTo(UdpBackend backend, @Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (Loopback.Pair p = Loopback.Pair.open(backend, 1)) {
            UdpTransport a = p.a();
            UdpTransport b = p.b();
            assertEquals(backend, a.backend());
            byte[] payload = Loopback.payload(random, 7, 1 + random.nextInt(1400));

            assertEquals(1, Loopback.sendAll(a, p.pool(), List.of(payload), p.toB()));
            Datagram d = Loopback.receive(b, p.batch(), 1).getFirst();

            assertArrayEquals(payload, d.data());
            assertEquals(UdpAddress.of(a.localAddress()), d.source());
            assertEquals(a.localAddress(), d.source().toInetSocketAddress());
            assertEquals(UdpAddress.of(b.localAddress()), d.destination(), "bound to 127.0.0.1, so that is where it came");
            assertEquals(payload.length, d.segmentSize());
            assertEquals(1, a.stats().datagramsSent());
            assertEquals(1, b.stats().datagramsReceived());
            assertEquals(0, a.stats().totalDrops() + b.stats().totalDrops());
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void aBatchOf64GoesOutInOneSendAndArrivesWhole(UdpBackend backend, @Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (Loopback.Pair p = Loopback.Pair.open(backend, 64)) {
            UdpTransport a = p.a();
            UdpTransport b = p.b();
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                payloads.add(Loopback.payload(random, i, 2 + random.nextInt(1400)));
            }

            assertEquals(64, Loopback.sendAll(a, p.pool(), payloads, p.toB()));
            List<Datagram> got = Loopback.receive(b, p.batch(), 64);

            assertEquals(64, got.size());
            for (Datagram d : got) {
                assertArrayEquals(payloads.get(d.sequence()), d.data(), "datagram " + d.sequence());
                assertEquals(UdpAddress.of(a.localAddress()), d.source());
            }
            assertEquals(64, got.stream().mapToInt(Datagram::sequence).distinct().count());
            // One sendmmsg for the lot, against one send per datagram.
            assertEquals(backend == UdpBackend.LINUX_BATCHED ? 1 : 64, a.stats().sendCalls());
            assertEquals(64, b.stats().datagramsReceived());
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void gsoIsUsedOnlyWhereTheBackendHasIt(UdpBackend backend) throws Exception {
        try (UdpTransport on = UdpTransport.open(UdpConfig.builder(V4).backend(backend).gso(true).build());
                UdpTransport off = UdpTransport.open(UdpConfig.builder(V4).backend(backend).gso(false).build())) {
            assertEquals(backend == UdpBackend.LINUX_BATCHED, on.gsoEnabled(), "this kernel has UDP_SEGMENT");
            assertFalse(off.gsoEnabled());
            assertTrue(on.receiveBufferBytes() > 0 && on.sendBufferBytes() > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void aDatagramLongerThanItsSlotIsDroppedAndCounted(UdpBackend backend, @Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (PacketPool small = PacketPool.builder().slotSize(512).build();
                PacketPool pool = PacketPool.builder().build();
                UdpTransport a = Loopback.open(backend, V4);
                UdpTransport b = Loopback.open(backend, V4);
                RecvBatch batch = new RecvBatch(small, 4)) {
            byte[] tooLong = Loopback.payload(random, 1, 1000);
            byte[] fits = Loopback.payload(random, 2, 100);

            Loopback.sendAll(a, pool, List.of(tooLong, fits), UdpAddress.of(b.localAddress()));
            List<Datagram> got = Loopback.receive(b, batch, 1);

            assertEquals(1, got.size());
            assertArrayEquals(fits, got.getFirst().data());
            assertEquals(1, b.stats().drops(UdpDropReason.TRUNCATED));
            assertEquals(1, b.stats().datagramsReceived());
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void aPeersPortUnreachableNeverStopsTheLoop(UdpBackend backend, @Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int closed = Loopback.closedPort(backend);
        try (PacketPool pool = PacketPool.builder().build();
                UdpTransport a = Loopback.open(backend, V4);
                UdpTransport b = Loopback.open(backend, V4);
                RecvBatch batchA = new RecvBatch(pool, 8);
                RecvBatch batchB = new RecvBatch(pool, 8)) {
            UdpAddress nobody = Loopback.loopback(1, closed);
            UdpAddress peer = UdpAddress.of(b.localAddress());
            byte[] first = Loopback.payload(random, 1, 300);
            byte[] second = Loopback.payload(random, 2, 300);
            byte[] third = Loopback.payload(random, 3, 300);

            // The kernel answers each datagram to nobody with ICMP port unreachable while the batch is still
            // going out; with IP_RECVERR that report fails whichever send comes next.
            SendBatch batch = new SendBatch(4);
            PacketBuffer[] slots = {fill(pool, first), fill(pool, second)};
            batch.add(slots[0], nobody);
            batch.add(slots[0], peer);
            batch.add(slots[1], nobody);
            batch.add(slots[1], peer);
            int sent = a.send(batch);
            for (PacketBuffer s : slots) {
                s.release();
            }
            // A send of its own to nobody, then one to the peer, which meets the report first.
            Loopback.sendAll(a, pool, List.of(third), nobody);
            Loopback.sendAll(a, pool, List.of(third), peer);
            // Waiting on a socket whose error queue holds reports returns; it does not throw or spin.
            for (int i = 0; i < 3; i++) {
                assertEquals(0, a.receive(batchA, Loopback.POLL_NANOS));
            }
            List<Datagram> atB = Loopback.receive(b, batchB, 3);
            Loopback.sendAll(b, pool, List.of(second), UdpAddress.of(a.localAddress()));
            List<Datagram> atA = Loopback.receive(a, batchA, 1);

            assertEquals(4, sent, "the kernel takes all four; the unreachable ones come back as ICMP");
            assertArrayEquals(first, atB.get(0).data());
            assertArrayEquals(second, atB.get(1).data());
            assertArrayEquals(third, atB.get(2).data());
            assertArrayEquals(second, atA.getFirst().data());
            assertEquals(6, a.stats().datagramsSent());
            if (backend == UdpBackend.LINUX_BATCHED) {
                Loopback.receiveUntil(a, batchA, () -> a.stats().drops(UdpDropReason.UNREACHABLE) >= 1, "the ICMP report to be counted");
            } else {
                // An unconnected DatagramChannel never hears of ICMP reports, which is the documented fallback.
                assertEquals(0, a.stats().drops(UdpDropReason.UNREACHABLE));
            }
            assertEquals(0, a.stats().drops(UdpDropReason.SEND_REFUSED));
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void ipv6OnTheLoopback(UdpBackend backend, @Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        InetSocketAddress v6 = Loopback.ipv6Loopback();
        try (PacketPool pool = PacketPool.builder().build();
                UdpTransport a = Loopback.open(backend, v6);
                UdpTransport b = Loopback.open(backend, v6);
                RecvBatch batch = new RecvBatch(pool, 8)) {
            List<byte[]> payloads = List.of(Loopback.payload(random, 0, 1200), Loopback.payload(random, 1, 1200),
                    Loopback.payload(random, 2, 50));

            assertEquals(3, Loopback.sendAll(a, pool, payloads, UdpAddress.of(b.localAddress())));
            List<Datagram> got = Loopback.receive(b, batch, 3);

            // Two of 1200 bytes and a shorter last one, to one peer: a GSO send where the backend has it.
            assertEquals(backend == UdpBackend.LINUX_BATCHED ? 1 : 0, a.stats().gsoSends());
            for (Datagram d : got) {
                assertArrayEquals(payloads.get(d.sequence()), d.data());
                assertTrue(d.source().isIpv6());
                assertEquals(a.localAddress(), d.source().toInetSocketAddress());
                assertEquals(UdpAddress.of(b.localAddress()), d.destination());
                assertEquals(0x1L, d.destination().ipv6Low());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void aDualStackSocketTalksToIpv4PeersAsIpv4(UdpBackend backend, @Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        InetSocketAddress anyV6 = new InetSocketAddress(InetAddress.getByName("::"), 0);
        try (PacketPool pool = PacketPool.builder().build();
                UdpTransport dual = Loopback.open(backend, anyV6);
                UdpTransport v4 = Loopback.open(backend, V4);
                RecvBatch batch = new RecvBatch(pool, 4)) {
            byte[] ping = Loopback.payload(random, 1, 200);
            byte[] pong = Loopback.payload(random, 2, 200);

            Loopback.sendAll(v4, pool, List.of(ping), Loopback.loopback(1, dual.localAddress().getPort()));
            Datagram in = Loopback.receive(dual, batch, 1).getFirst();
            Loopback.sendAll(dual, pool, List.of(pong), in.source()); // back to where it came from, as the kernel wrote it
            Datagram back = Loopback.receive(v4, batch, 1).getFirst();

            assertArrayEquals(ping, in.data());
            assertTrue(in.source().isIpv4(), "a v4-mapped sender is IPv4");
            assertEquals(UdpAddress.of(v4.localAddress()), in.source());
            assertEquals(UdpAddress.of(v4.localAddress()).hashCode(), in.source().hashCode());
            assertInstanceOf(Inet4Address.class, in.source().toInetSocketAddress().getAddress());
            if (backend == UdpBackend.LINUX_BATCHED) {
                assertEquals(Loopback.loopback(1, dual.localAddress().getPort()), in.destination(), "IPV6_PKTINFO, v4-mapped");
            } else {
                assertEquals(UdpAddress.of(dual.localAddress()), in.destination(), "the channel knows only its bound address");
            }
            assertArrayEquals(pong, back.data());
            assertEquals(dual.localAddress().getPort(), back.source().port());
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void wakeupEndsAWaitFromAnotherThread(UdpBackend backend) throws Exception {
        ExecutorService loop = Executors.newSingleThreadExecutor();
        try (UdpTransport t = Loopback.open(backend, V4)) {
            Future<Integer> waiting = loop.submit(() -> {
                try (PacketPool pool = PacketPool.builder().build(); RecvBatch batch = new RecvBatch(pool, 4)) {
                    return t.receive(batch, TimeUnit.HOURS.toNanos(1));
                }
            });
            // Before or during the wait: either way the wait ends at once.
            t.wakeup();
            assertEquals(0, waiting.get(Loopback.PATIENCE_NANOS, TimeUnit.NANOSECONDS));
        } finally {
            loop.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void aReceiveWithoutDatagramsTimesOutEmpty(UdpBackend backend) throws Exception {
        try (PacketPool pool = PacketPool.builder().build();
                UdpTransport t = Loopback.open(backend, V4);
                RecvBatch batch = new RecvBatch(pool, 4)) {
            assertEquals(0, t.receive(batch, 0));
            assertEquals(0, t.receive(batch, TimeUnit.MILLISECONDS.toNanos(5)));
            assertEquals(0, batch.count());
            assertThrows(IndexOutOfBoundsException.class, () -> batch.buffer(0));
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void anEmptyPoolLeavesDatagramsWaitingInTheKernel(UdpBackend backend, @Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (PacketPool pool = PacketPool.builder().build();
                PacketPool three = PacketPool.builder().slotsPerSlab(3).maxSlots(3).build();
                UdpTransport a = Loopback.open(backend, V4);
                UdpTransport b = Loopback.open(backend, V4);
                RecvBatch batch = new RecvBatch(three, 8)) {
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                payloads.add(Loopback.payload(random, i, 100 + i));
            }
            Loopback.sendAll(a, pool, payloads, UdpAddress.of(b.localAddress()));

            List<PacketBuffer> kept = new ArrayList<>();
            Loopback.receiveUntil(b, batch, () -> batch.count() > 0, "the first datagrams");
            for (int i = 0; i < batch.count(); i++) {
                kept.add(batch.take(i));
            }
            assertTrue(kept.size() <= 3, "three slots, so at most three datagrams");
            while (kept.size() < 3) { // the rest of the pool's worth
                Loopback.receiveUntil(b, batch, () -> batch.count() > 0, "more datagrams");
                for (int i = 0; i < batch.count(); i++) {
                    kept.add(batch.take(i));
                }
            }
            assertEquals(0, b.receive(batch, 0), "every slot is taken");
            assertTrue(three.exhaustions() > 0);
            byte[] third = kept.get(2).segment().asSlice(0, kept.get(2).length()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            kept.forEach(PacketBuffer::release);
            List<Datagram> rest = Loopback.receive(b, batch, 3);

            assertArrayEquals(payloads.get(2), third);
            for (Datagram d : rest) {
                assertArrayEquals(payloads.get(d.sequence()), d.data());
            }
            assertEquals(6, b.stats().datagramsReceived());
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void sendsTheKernelRefusesAreCountedAndTheRestGoOut(UdpBackend backend, @Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (Loopback.Pair p = Loopback.Pair.open(backend, 4)) {
            UdpTransport a = p.a();
            byte[] payload = Loopback.payload(random, 0, 400);
            PacketBuffer slot = fill(p.pool(), payload);
            SendBatch out = new SendBatch(4);
            out.add(slot, Loopback.loopback(1, 0));                                           // port 0
            out.add(slot, UdpAddress.of(new InetSocketAddress(Loopback.ipv6Loopback().getAddress(), 9))); // IPv6 from IPv4
            out.add(slot, p.toB());

            int sent = a.send(out);
            slot.release();

            assertEquals(1, sent);
            assertEquals(0, out.count(), "a send empties the batch");
            assertEquals(2, a.stats().drops(UdpDropReason.SEND_REFUSED));
            assertEquals(3, out.lastSendCount());
            assertTrue(out.droppedInLastSend(0) && out.droppedInLastSend(1) && !out.droppedInLastSend(2),
                    "the batch says which datagrams were dropped, so a loop charges each to its peer");
            assertArrayEquals(payload, Loopback.receive(p.b(), p.batch(), 1).getFirst().data());
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void aClosedTransportSaysSo(UdpBackend backend) throws Exception {
        try (PacketPool pool = PacketPool.builder().build(); RecvBatch batch = new RecvBatch(pool, 1)) {
            UdpTransport t = Loopback.open(backend, V4);
            t.close();
            t.close(); // twice is fine
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.receive(batch, 0));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> t.send(new SendBatch(1)));
            t.wakeup(); // harmless after close
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void aTakenPortIsABindException(UdpBackend backend) throws Exception {
        try (UdpTransport first = Loopback.open(backend, V4)) {
            assertThrows(BindException.class, () -> Loopback.open(backend, first.localAddress()));
        }
    }

    private static PacketBuffer fill(PacketPool pool, byte[] payload) {
        PacketBuffer b = pool.acquire();
        java.lang.foreign.MemorySegment.copy(payload, 0, b.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, payload.length);
        return b.length(payload.length);
    }
}
