package io.eddyrtc.net;

import static io.eddyrtc.net.Loopback.V4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.ice.Transport;
import io.eddyrtc.ice.TurnServer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server loop on real loopback sockets, on both backends: eddy clients, each on a socket of its own, join by
 * SDP, talk through their data channels and send media; the loop routes, times, removes and counts as it says.
 */
class RtcLoopTest {
    static final long PATIENCE_NANOS = Loopback.PATIENCE_NANOS;

    /** The server's state for one peer; events are recorded on the loop thread and read by the test. */
    static final class Member {
        final Rtc rtc;
        final ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
        final AtomicLong rtpPackets = new AtomicLong();

        Member(Rtc rtc) {
            this.rtc = rtc;
        }
    }

    /** Echoes every data channel message; in RTP mode sends every packet back on the peer's own send stream. */
    static final class Echo implements RtcLoop.Peers<Member> {
        final ConcurrentLinkedQueue<String> departures = new ConcurrentLinkedQueue<>();
        volatile String failOn; // a message that makes the handler throw

        @Override
        public void onEvent(Member m, Event e) {
            switch (e) {
                case Event.ChannelData d -> {
                    String text = new String(d.data(), StandardCharsets.UTF_8);
                    if (text.equals(failOn)) {
                        throw new IllegalStateException("the handler chokes on " + text);
                    }
                    m.heard.add(text);
                    m.rtc.channel(d.id()).writeText("echo " + text);
                }
                case Event.RtpPacket p -> {
                    m.rtpPackets.incrementAndGet();
                    m.rtc.forwardRtp(p, m.rtc.media(p.mid()).sendStreams().getFirst().ssrc(), p.header().payloadType(),
                            p.header().sequenceNumber(), p.header().timestamp()); // back on our own SSRC, the slot shared
                }
                default -> { }
            }
        }

        @Override
        public void onRemoved(Member m, RtcLoop.Departure departure) {
            departures.add(departure.reason());
        }
    }

    static RtcLoop<Member> start(UdpBackend backend, PeerLimits limits, Echo echo, boolean debugPool) throws Exception {
        return RtcLoop.start(RtcLoopConfig.builder(V4).name("test-loop").limits(limits).debugPool(debugPool)
                .udp(UdpConfig.builder(V4).backend(backend).build()).build(), echo);
    }

    /** A client that offers a data channel (and, with {@code media}, a send-receive video m-line), answered by the loop. */
    static LoopClient join(RtcLoop<Member> loop, UdpBackend backend, boolean media) throws Exception {
        LoopClient client = new LoopClient(backend, V4, Rtc.builder().rtpMode(media));
        SdpApi api = client.rtc.sdpApi();
        if (media) {
            api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        }
        api.addChannel("chat");
        SdpApi.Offer offer = api.apply().orElseThrow();
        SdpOffer received = SdpOffer.fromSdp(offer.offer().toSdp());
        SdpAnswer answer = loop.call(() -> loop.join(Rtc.builder().rtpMode(media), received, Member::new));
        client.rtc.acceptAnswer(offer.pending(), SdpAnswer.fromSdp(answer.toSdp()));
        return client;
    }

    static int openChannel(LoopClient client) {
        return client.events.stream().filter(e -> e instanceof Event.ChannelOpen).map(e -> ((Event.ChannelOpen) e).id())
                .findFirst().orElse(-1);
    }

    static boolean echoed(LoopClient client, String text) {
        return client.events.stream().anyMatch(e -> e instanceof Event.ChannelData d
                && new String(d.data(), StandardCharsets.UTF_8).equals("echo " + text));
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void peersOnOneSocketEachHearTheirOwnEcho(UdpBackend backend) throws Exception {
        Echo echo = new Echo();
        try (RtcLoop<Member> loop = start(backend, PeerLimits.defaults(), echo, true)) {
            assertEquals(backend, loop.backend());
            List<LoopClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    clients.add(join(loop, backend, false));
                }
                LoopClient[] all = clients.toArray(LoopClient[]::new);
                LoopClient.runUntil(() -> clients.stream().allMatch(c -> openChannel(c) >= 0), "every channel to open", all);
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).rtc.channel(openChannel(clients.get(i))).writeText("client " + i);
                }
                LoopClient.runUntil(() -> {
                    for (int i = 0; i < clients.size(); i++) {
                        if (!echoed(clients.get(i), "client " + i)) {
                            return false;
                        }
                    }
                    return true;
                }, "every client's echo", all);
                for (int i = 0; i < clients.size(); i++) {
                    LoopClient c = clients.get(i);
                    long echoes = c.events.stream().filter(e -> e instanceof Event.ChannelData).count();
                    assertEquals(1, echoes, "client " + i + " heard its own echo only");
                }
                assertEquals(6, loop.size());
                assertEquals(0, loop.sendErrors());
                assertEquals(0, loop.unrouted(), "every datagram had its peer");
            } finally {
                clients.forEach(LoopClient::close);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void goneAndSilentPeersAreRemoved(UdpBackend backend) throws Exception {
        Echo echo = new Echo();
        // long enough that the two which do connect make it on a busy machine; the silent one waits it out
        PeerLimits limits = PeerLimits.defaults().withConnectTimeout(Duration.ofSeconds(5));
        try (RtcLoop<Member> loop = start(backend, limits, echo, true);
                LoopClient silent = join(loop, backend, false);
                LoopClient leaving = join(loop, backend, false);
                LoopClient choking = join(loop, backend, false)) {
            // `silent` never runs: it joined by its offer and never connects
            LoopClient.runUntil(() -> openChannel(leaving) >= 0 && openChannel(choking) >= 0, "two channels open", leaving, choking);
            echo.failOn = "choke";
            choking.rtc.channel(openChannel(choking)).writeText("choke");
            leaving.rtc.disconnect(); // close_notify: the peer closed
            LoopClient.runUntil(() -> loop.size() == 0, "every peer removed", leaving, choking);
            List<String> reasons = List.copyOf(echo.departures);
            assertEquals(3, reasons.size(), "the size drops only once the server has been told of each removal: " + reasons);
            assertTrue(reasons.contains("its connection closed"), reasons.toString());
            assertTrue(reasons.contains("not connected 5 s after joining"), reasons.toString());
            assertTrue(reasons.stream().anyMatch(r -> r.startsWith("the server failed on its ChannelData")), reasons.toString());
            assertEquals(0, loop.size());
            assertEquals(3, loop.removed());
            assertEquals(0, loop.poolSlotsInUse(), "removed peers gave their slots back");
        }
    }

    /**
     * One dual-stack socket bound to the wildcard {@code ::}, with the IPv6 and IPv4 loopback addresses as host
     * candidates: a client on each family connects, and each datagram is answered from the address it came to.
     */
    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void aWildcardDualStackLoopServesIpv6AndIpv4Peers(UdpBackend backend) throws Exception {
        Echo echo = new Echo();
        InetSocketAddress v6 = Loopback.ipv6Loopback();
        InetSocketAddress wildcard = new InetSocketAddress(java.net.InetAddress.getByName("::"), 0);
        RtcLoopConfig config = RtcLoopConfig.builder(wildcard).name("dual-loop").debugPool(true)
                .udp(UdpConfig.builder(wildcard).backend(backend).build())
                .hostAddresses(List.of(v6, V4)).build();
        try (RtcLoop<Member> loop = RtcLoop.start(config, echo);
                LoopClient six = joinFrom(loop, backend, v6);
                LoopClient four = joinFrom(loop, backend, V4)) {
            assertEquals(2, loop.hostAddresses().size());
            LoopClient.runUntil(() -> openChannel(six) >= 0 && openChannel(four) >= 0, "both channels open", six, four);
            six.rtc.channel(openChannel(six)).writeText("six");
            four.rtc.channel(openChannel(four)).writeText("four");
            LoopClient.runUntil(() -> echoed(six, "six") && echoed(four, "four"), "both echoes", six, four);
            assertEquals(0, loop.sendErrors());
        }
    }

    /** As {@link #join} for a client bound at {@code bind}, which offers only that address. */
    static LoopClient joinFrom(RtcLoop<Member> loop, UdpBackend backend, InetSocketAddress bind) throws Exception {
        LoopClient client = new LoopClient(backend, bind, Rtc.builder());
        SdpApi api = client.rtc.sdpApi();
        api.addChannel("chat");
        SdpApi.Offer offer = api.apply().orElseThrow();
        SdpOffer received = SdpOffer.fromSdp(offer.offer().toSdp());
        SdpAnswer answer = loop.call(() -> loop.join(Rtc.builder(), received, Member::new));
        client.rtc.acceptAnswer(offer.pending(), SdpAnswer.fromSdp(answer.toSdp()));
        return client;
    }

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void aFullLoopRefusesAndSaysWhy(UdpBackend backend) throws Exception {
        try (RtcLoop<Member> loop = start(backend, PeerLimits.defaults().withMaxPeers(1), new Echo(), true);
                LoopClient first = join(loop, backend, false)) {
            assertTrue(!loop.hasRoom());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> join(loop, backend, false));
            assertTrue(e.getMessage().contains("hasRoom()"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> loop.remove(null, "not on the loop thread"),
                    "an Rtc belongs to the loop thread");
            assertEquals(1, loop.size());
        }
    }

    /** A peer with a TURN server, and ICE-TCP at a wildcard address, are refused with what to do instead. */
    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void whatALoopCannotServeIsRefusedAndSaysWhy(UdpBackend backend) throws Exception {
        try (RtcLoop<Member> loop = start(backend, PeerLimits.defaults(), new Echo(), true)) {
            TurnServer turn = new TurnServer(new InetSocketAddress(V4.getAddress(), 3478), Transport.UDP, "user", "password");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.call(() -> loop.add(Rtc.builder().turnServer(turn), rtc -> new Member(rtc))));
            assertTrue(e.getMessage().contains("TURN"), e.getMessage());
            assertEquals(0, loop.size(), "nothing kept");
            assertEquals(0, loop.poolSlotsInUse());
        }
        InetSocketAddress anyAddress = new InetSocketAddress(java.net.InetAddress.getByName("0.0.0.0"), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RtcLoopConfig.builder(V4).tcp(anyAddress).build());
        assertTrue(e.getMessage().contains("host's addresses"), e.getMessage());
    }

    /**
     * Media through the loop in both directions (client → loop, handler → back): after a warm-up, the loop thread
     * allocates nothing per datagram, receiving, routing, decrypting, encrypting and sending in batches. The build
     * runs this test a second time with C1 alone (net/pom.xml, execution without-c2): no escape analysis there, as
     * in the interpreter and C1 code a server runs until C2 has compiled its loop.
     */
    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void mediaThroughTheLoopAllocatesNothingPerPacket(UdpBackend backend) throws Exception {
        Echo echo = new Echo();
        try (RtcLoop<Member> loop = start(backend, PeerLimits.defaults(), echo, false);
                LoopClient client = join(loop, backend, true)) {
            AtomicLong back = new AtomicLong();
            client.onEvent(e -> {
                if (e instanceof Event.RtpPacket) {
                    back.incrementAndGet();
                }
            });
            LoopClient.runUntil(client.rtc::isConnected, "the client to connect", client);
            String mid = client.rtc.media().getFirst().mid();
            long ssrc = client.rtc.media(mid).sendStreams().getFirst().ssrc();
            int pt = client.rtc.media(mid).pt();
            MemorySegment packet = Arena.ofAuto().allocate(1200);
            Thread loopThread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("test-loop"))
                    .findFirst().orElseThrow();
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            int sent = 0;
            for (; sent < 30_000; sent++) { // enough packets for the JIT to compile the path
                sendOne(client, packet, pt, ssrc, sent);
            }
            // Code the JIT has not compiled yet allocates what escape analysis later removes, and a busy machine
            // compiles late: measure windows of 5,000 packets until one is clean. An allocation per packet (16 bytes
            // at least: 80,000 per window) or per batch shows in every window and fails the test; what may remain is
            // per second (a stats event), not per packet.
            List<String> windows = new ArrayList<>();
            long clean = 4_096;
            long allocated = Long.MAX_VALUE;
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (allocated >= clean && System.nanoTime() < giveUp) {
                settle(client, back, sent);
                long backBefore = back.get();
                long before = threads.getThreadAllocatedBytes(loopThread.threadId());
                for (int n = 0; n < 5_000; n++, sent++) {
                    sendOne(client, packet, pt, ssrc, sent);
                }
                settle(client, back, backBefore + 5_000);
                long returned = back.get() - backBefore;
                long measured = threads.getThreadAllocatedBytes(loopThread.threadId()) - before;
                windows.add(measured + " B for " + returned + " packets back");
                // a window that a busy machine's socket buffers mostly dropped says little about per-packet cost
                allocated = returned >= 1_000 ? measured : Long.MAX_VALUE;
            }
            assertTrue(allocated < clean, "the loop thread allocated in every window of 5,000 packets there and back: "
                    + windows + " (" + loop.udpStats() + ")");
        }
    }

    /**
     * Turns the client until {@code back} reaches {@code all}, or stops growing for 300 ms: on a busy machine the
     * sockets' buffers drop some of a burst, and what was dropped does not come.
     */
    private static void settle(LoopClient client, AtomicLong back, long all) {
        long[] last = {-1, 0}; // the count last seen, and when it changed
        LoopClient.runUntil(() -> {
            long now = System.nanoTime();
            long count = back.get();
            if (count != last[0]) {
                last[0] = count;
                last[1] = now;
            }
            return count >= all || now - last[1] > 300_000_000L;
        }, "the packets sent to come back or stop coming", client);
    }

    /** Writes RTP packet {@code n} (1,200 bytes); every 16th turns the client, so packets go out in bursts as a frame's do. */
    private static void sendOne(LoopClient client, MemorySegment packet, int pt, long ssrc, int n) {
        BigEndian.putU8(packet, 0, 0x80);
        BigEndian.putU8(packet, 1, pt);
        BigEndian.putU16(packet, 2, n & 0xFFFF);
        BigEndian.putU32(packet, 4, n * 3000L);
        BigEndian.putU32(packet, 8, ssrc);
        client.rtc.writeRtp(packet, 0, 1200);
        if (n % 16 == 15) {
            client.turn(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }
}
