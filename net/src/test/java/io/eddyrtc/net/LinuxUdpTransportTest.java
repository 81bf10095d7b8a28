package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.net.Loopback.Datagram;
import io.eddyrtc.net.internal.LinuxAbi;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.eddyrtc.net.Loopback.V4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only the Linux backend does: GSO, GRO, the local address of each datagram, sending from a chosen
 * local address, SO_REUSEPORT, and falling back when the kernel refuses GSO. The build machine is Linux; on
 * any other these fail, saying the backend is unavailable, rather than skip.
 */
@ExtendWith(SeedExtension.class)
class LinuxUdpTransportTest {
    private static final int SO_NO_CHECK = 11; // <asm-generic/socket.h>

    @Test
    void theBatchedBackendIsTheAutomaticChoiceHere() throws Exception {
        assertEquals(null, BackendChoice.linuxUnavailableReason());
        try (UdpTransport t = UdpTransport.open(UdpConfig.builder(V4).build())) {
            assertEquals(UdpBackend.LINUX_BATCHED, t.backend());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void runsOfEqualDatagramsToOnePeerGoOutAsGsoSendsWhenAskedFor(boolean gso, @Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (PacketPool pool = PacketPool.builder().build();
                UdpTransport a = linux(UdpConfig.builder(V4).gso(gso));
                UdpTransport b = linux(UdpConfig.builder(V4));
                RecvBatch batch = new RecvBatch(pool, 64)) {
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                payloads.add(Loopback.payload(random, i, 1200));
            }

            assertEquals(64, Loopback.sendAll(a, pool, payloads, UdpAddress.of(b.localAddress())));
            List<Datagram> got = Loopback.receive(b, batch, 64);

            // 54 × 1200 bytes is the most one GSO send carries (64 KiB), so 64 datagrams take two.
            assertEquals(gso ? 2 : 0, a.stats().gsoSends());
            assertEquals(1, a.stats().sendCalls());
            assertEquals(64, a.stats().datagramsSent());
            for (Datagram d : got) {
                assertEquals(1200, d.data().length, "without GRO the receiver gets every datagram on its own");
                assertArrayEquals(payloads.get(d.sequence()), d.data());
            }
        }
    }

    @Test
    void aGsoRunEndsAtADifferentPeerOrALargerDatagram(@Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (PacketPool pool = PacketPool.builder().build();
                UdpTransport a = linux(UdpConfig.builder(V4));
                UdpTransport b = linux(UdpConfig.builder(V4));
                UdpTransport c = linux(UdpConfig.builder(V4));
                RecvBatch batch = new RecvBatch(pool, 16)) {
            UdpAddress toB = UdpAddress.of(b.localAddress());
            UdpAddress toC = UdpAddress.of(c.localAddress());
            SendBatch out = new SendBatch(16);
            List<io.eddyrtc.buffers.PacketBuffer> slots = new ArrayList<>();
            int[] sizes = {1000, 1000, 400, 1000, 1000, 1000, 1200, 1200};
            UdpAddress[] to = {toB, toB, toB, toB, toC, toC, toC, toB};
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                byte[] p = Loopback.payload(random, i, sizes[i]);
                payloads.add(p);
                io.eddyrtc.buffers.PacketBuffer s = pool.acquire();
                MemorySegment.copy(p, 0, s.segment(), ValueLayout.JAVA_BYTE, 0, p.length);
                slots.add(s.length(p.length));
                out.add(s, to[i]);
            }

            a.send(out);
            slots.forEach(io.eddyrtc.buffers.PacketBuffer::release);
            List<Datagram> atB = Loopback.receive(b, batch, 5);
            List<Datagram> atC = Loopback.receive(c, batch, 3);

            // [1000, 1000, 400 → B] GSO (the shorter last ends it), [1000 → B] alone, [1000, 1000 → C] GSO,
            // [1200 → C] alone (larger than the run's size), [1200 → B] alone.
            assertEquals(2, a.stats().gsoSends());
            assertEquals(8, a.stats().datagramsSent());
            for (Datagram d : atB) {
                assertArrayEquals(payloads.get(d.sequence()), d.data());
            }
            for (Datagram d : atC) {
                assertArrayEquals(payloads.get(d.sequence()), d.data());
            }
        }
    }

    @Test
    void groHandsOverACoalescedRunWithItsSegmentSize(@Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (PacketPool pool = PacketPool.builder().build();
                PacketPool big = PacketPool.builder().slotSize(65536).slotsPerSlab(8).build();
                UdpTransport a = linux(UdpConfig.builder(V4));
                UdpTransport b = linux(UdpConfig.builder(V4).gro(true));
                RecvBatch batch = new RecvBatch(big, 8)) {
            assertTrue(b.groEnabled());
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                payloads.add(Loopback.payload(random, i, i == 19 ? 700 : 1200));
            }

            Loopback.sendAll(a, pool, payloads, UdpAddress.of(b.localAddress()));
            List<Datagram> got = Loopback.receive(b, batch, 20);

            // On loopback a GSO send reaches a GRO socket as it was sent: one read, cut at 1200 bytes.
            assertEquals(1, a.stats().gsoSends());
            assertEquals(1, b.stats().groReceives());
            assertEquals(20, b.stats().datagramsReceived());
            for (int i = 0; i < 20; i++) {
                Datagram d = got.get(i);
                assertEquals(i, d.sequence());
                assertArrayEquals(payloads.get(i), d.data());
                assertEquals(1200, d.segmentSize());
                assertEquals(19 * 1200 + 700, d.entryLength());
            }
        }
    }

    @Test
    void groNeedsSlotsThatHoldACoalescedRun() throws Exception {
        try (PacketPool pool = PacketPool.builder().build();
                UdpTransport b = linux(UdpConfig.builder(V4).gro(true));
                RecvBatch batch = new RecvBatch(pool, 8)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.receive(batch, 0));
            assertTrue(e.getMessage().contains("slotSize(65536)"), e.getMessage());
        }
    }

    @Test
    void eachDatagramSaysWhichLocalAddressItCameTo(@Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (PacketPool pool = PacketPool.builder().build();
                UdpTransport wildcard = linux(UdpConfig.builder(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)));
                UdpTransport a = linux(UdpConfig.builder(V4));
                RecvBatch batch = new RecvBatch(pool, 4)) {
            int port = wildcard.localAddress().getPort();
            // All of 127/8 is this host's: three local addresses on one socket, like a multi-homed server.
            Loopback.sendAll(a, pool, List.of(Loopback.payload(random, 0, 100)), Loopback.loopback(3, port));
            Loopback.sendAll(a, pool, List.of(Loopback.payload(random, 1, 100)), Loopback.loopback(1, port));
            List<Datagram> got = Loopback.receive(wildcard, batch, 2);

            for (Datagram d : got) {
                assertEquals(Loopback.loopback(d.sequence() == 0 ? 3 : 1, port), d.destination());
            }
        }
    }

    @Test
    void aDatagramGoesOutFromTheLocalAddressAskedFor(@Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (PacketPool pool = PacketPool.builder().build();
                UdpTransport wildcard = linux(UdpConfig.builder(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)));
                UdpTransport b = linux(UdpConfig.builder(V4));
                RecvBatch batch = new RecvBatch(pool, 4)) {
            int port = wildcard.localAddress().getPort();
            byte[] payload = Loopback.payload(random, 0, 300);
            io.eddyrtc.buffers.PacketBuffer slot = pool.acquire();
            MemorySegment.copy(payload, 0, slot.segment(), ValueLayout.JAVA_BYTE, 0, payload.length);
            SendBatch out = new SendBatch(2);
            out.add(slot.segment(), 0, payload.length, UdpAddress.of(b.localAddress()), Loopback.loopback(2, 0));
            out.add(slot.segment(), 0, payload.length, UdpAddress.of(b.localAddress()), Loopback.loopback(5, 0));

            assertEquals(2, wildcard.send(out));
            slot.release();
            List<Datagram> got = Loopback.receive(b, batch, 2);

            assertEquals(Loopback.loopback(2, port), got.get(0).source());
            assertEquals(Loopback.loopback(5, port), got.get(1).source());
        }
    }

    @Test
    void reusePortLetsSeveralLoopsShareOnePort() throws Exception {
        try (UdpTransport first = linux(UdpConfig.builder(V4).reusePort(true))) {
            try (UdpTransport second = linux(UdpConfig.builder(first.localAddress()).reusePort(true))) {
                assertEquals(first.localAddress(), second.localAddress());
            }
            assertThrows(BindException.class, () -> linux(UdpConfig.builder(first.localAddress())));
        }
    }

    @Test
    void aRefusedGsoSendIsSentDatagramByDatagramAndGsoStaysOff(@Seed long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (PacketPool pool = PacketPool.builder().build();
                UdpTransport a = linux(UdpConfig.builder(V4));
                UdpTransport b = linux(UdpConfig.builder(V4));
                RecvBatch batch = new RecvBatch(pool, 16)) {
            // Without UDP checksums the kernel refuses GSO (EINVAL) but sends single datagrams: the same
            // answer a device that cannot segment gives.
            assertTrue(((LinuxUdpTransport) a).socket().setInt(LinuxAbi.SOL_SOCKET, SO_NO_CHECK, 1));
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                payloads.add(Loopback.payload(random, i, 1200));
            }

            assertEquals(10, Loopback.sendAll(a, pool, payloads, UdpAddress.of(b.localAddress())));
            List<Datagram> got = Loopback.receive(b, batch, 10);
            Loopback.sendAll(a, pool, payloads.subList(0, 4), UdpAddress.of(b.localAddress()));
            Loopback.receive(b, batch, 4);

            assertEquals(1, a.stats().gsoFallbacks());
            assertFalse(a.gsoEnabled());
            assertEquals(0, a.stats().gsoSends());
            assertEquals(14, a.stats().datagramsSent());
            assertEquals(0, a.stats().totalDrops());
            for (Datagram d : got) {
                assertArrayEquals(payloads.get(d.sequence()), d.data());
            }
        }
    }

    @Test
    void theAbiTablesMatchTheCHeadersOfThisMachine() {
        // Sizes and offsets as gcc reports them for <sys/socket.h>, <netinet/in.h> on x86_64 and aarch64.
        assertEquals(null, LinuxAbi.unsupportedReason());
        assertEquals(56, LinuxAbi.MSGHDR.byteSize());
        assertEquals(64, LinuxAbi.MMSGHDR.byteSize());
        assertEquals(56, LinuxAbi.MMSG_LEN);
        assertEquals(8, LinuxAbi.MSG_NAMELEN);
        assertEquals(48, LinuxAbi.MSG_FLAGS);
        assertEquals(16, LinuxAbi.IOVEC.byteSize());
        assertEquals(16, LinuxAbi.CMSG_DATA);
        assertEquals(24, LinuxAbi.cmsgSpace(2));
        assertEquals(40, LinuxAbi.cmsgSpace(20));
        assertEquals(18, LinuxAbi.cmsgLen(2));
        assertEquals(16, LinuxAbi.SOCKADDR_IN.byteSize());
        assertEquals(28, LinuxAbi.SOCKADDR_IN6.byteSize());
        assertEquals(24, LinuxAbi.SIN6_SCOPE_ID);
        assertEquals(12, LinuxAbi.IN_PKTINFO.byteSize());
        assertEquals(8, LinuxAbi.IPI_ADDR);
        assertEquals(16, LinuxAbi.IPI6_IFINDEX);
        assertEquals(8, LinuxAbi.POLLFD.byteSize());
        // <asm-generic/poll.h>
        assertEquals(0x001, LinuxAbi.POLLIN);
        assertEquals(0x008, LinuxAbi.POLLERR);
        assertEquals(0x020, LinuxAbi.POLLNVAL);
    }

    @Test
    void aHeapSegmentCannotBeSentFromNorFreedMemory() throws Exception {
        SendBatch out = new SendBatch(1);
        UdpAddress to = Loopback.loopback(1, 9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> out.add(MemorySegment.ofArray(new byte[10]), 0, 10, to));
        assertTrue(e.getMessage().contains("PacketPool"), e.getMessage());
        MemorySegment freed;
        try (Arena arena = Arena.ofConfined()) {
            freed = arena.allocate(10);
            out.add(freed, 0, 10, to);
        }
        try (UdpTransport t = linux(UdpConfig.builder(V4))) {
            assertThrows(IllegalStateException.class, () -> t.send(out), "memory freed before the send is not read");
            assertEquals(0, out.count());
        }
    }

    @Test
    void aSocketClosedUnderTheTransportIsSaidToBeSoOnReceiveAndSend() throws Exception {
        // The receive path captures no errno: the wait after a failed read sees the closed descriptor (POLLNVAL).
        try (PacketPool pool = PacketPool.builder().build();
                LinuxUdpTransport t = (LinuxUdpTransport) linux(UdpConfig.builder(V4));
                RecvBatch in = new RecvBatch(pool, 4)) {
            UdpAddress to = UdpAddress.of(t.localAddress());
            // Closed behind the transport's back (its own close later gets EBADF, or, if this JVM reopened the
            // number meanwhile, closes that: a risk this test takes for the few calls it makes in between).
            assertEquals(0, t.socket().calls().close(t.fd()));

            IllegalStateException receive = assertThrows(IllegalStateException.class, () -> t.receive(in, Loopback.POLL_NANOS));
            SendBatch out = new SendBatch(1);
            var slot = pool.acquire().length(100);
            out.add(slot, to);
            IllegalStateException send = assertThrows(IllegalStateException.class, () -> t.send(out));
            slot.release();

            assertTrue(receive.getMessage().contains("closed under this UdpTransport"), receive.getMessage());
            assertTrue(send.getMessage().contains("closed under this UdpTransport"), send.getMessage());
        }
    }

    private static UdpTransport linux(UdpConfig.Builder config) throws java.io.IOException {
        return UdpTransport.open(config.backend(UdpBackend.LINUX_BATCHED).build());
    }
}
