package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.engine.stream.ReceiveStreamStats;
import io.eddyrtc.engine.sim.SdpSignalling;
import io.eddyrtc.ice.Candidate;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An SFU built from {@code Rtc}s in RTP mode: a publisher P sends video to the SFU's {@code in} peer, the SFU
 * forwards each {@link Event.RtpPacket} (SSRC and payload type rewritten) through its {@code out} peer to a
 * subscriber C, and keyframe requests travel back the other way. Both SFU peers share one socket, routed
 * by {@link Rtc#accepts}.
 */
@ExtendWith(SeedExtension.class)
class RtcForwardingTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final InetSocketAddress P = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress SFU = new InetSocketAddress("10.0.9.9", 4000);
    static final InetSocketAddress C = new InetSocketAddress("10.0.2.1", 7000);

    VirtualNetwork net;
    Rtc publisher;
    Rtc in;
    Rtc out;
    Rtc subscriber;
    RtcNode subscriberNode;
    RtcNode publisherNode;
    RtcNode sfuNode;
    String publishedMid;
    String forwardedMid;
    final MemorySegment scratch = MemorySegment.ofArray(new byte[2048]);
    /** Forward with {@link Rtc#forwardRtp} (the received slot shared) instead of a rewritten copy to {@link Rtc#writeRtp}. */
    boolean shareSlots;

    void setUp(long seed, LinkConditions link) {
        setUp(seed, link, null);
    }

    /** {@code sfuPool}: the pool the SFU's two peers share (null: each its own, debug-checked in tests). */
    void setUp(long seed, LinkConditions link, io.eddyrtc.buffers.PacketPool sfuPool) {
        Random random = new Random(seed);
        net = new VirtualNetwork(seed);
        net.defaultConditions(link);
        publisher = Rtc.builder().randomSeed(random.nextLong()).certificate(RtcDtlsTest.CERT_A).statsInterval(java.time.Duration.ofSeconds(1)).build();
        in = sfuPeer(random.nextLong(), sfuPool);
        out = sfuPeer(random.nextLong(), sfuPool);
        subscriber = Rtc.builder().randomSeed(random.nextLong()).certificate(RtcDtlsTest.CERT_A).statsInterval(java.time.Duration.ofSeconds(1)).build();
        publisherNode = new RtcNode("P", publisher);
        sfuNode = new RtcNode("SFU", in, out);
        subscriberNode = new RtcNode("C", subscriber);
        net.attach(publisherNode, P);
        net.attach(sfuNode, SFU);
        net.attach(subscriberNode, C);
        publisher.addLocalCandidate(Candidate.host(P));
        in.addLocalCandidate(Candidate.host(SFU));
        out.addLocalCandidate(Candidate.host(SFU));
        subscriber.addLocalCandidate(Candidate.host(C));
        List<String> mids = new ArrayList<>();
        assertTrue(SdpSignalling.negotiate(publisher, in, api -> mids.add(api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY).value())));
        assertTrue(SdpSignalling.negotiate(out, subscriber, api -> mids.add(api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY).value())));
        publishedMid = mids.get(0);
        forwardedMid = mids.get(1);
        sfuNode.onEvent(e -> {
            if (e instanceof Event.RtpPacket p) {
                forward(p);
            } else if (e instanceof Event.KeyframeRequest k && forwardedMid.equals(k.mid())) {
                in.media(publishedMid).requestKeyframe(); // the subscriber wants one: ask the publisher
            }
        });
        assertTrue(net.runUntil(() -> publisher.isConnected() && in.isConnected() && out.isConnected() && subscriber.isConnected(),
                10 * S), "all four peers connect, the SFU's two over one socket");
    }

    static Rtc sfuPeer(long seed, io.eddyrtc.buffers.PacketPool pool) {
        RtcConfig.Builder b = Rtc.builder().randomSeed(seed).certificate(RtcDtlsTest.CERT_B).rtpMode(true)
                .statsInterval(java.time.Duration.ofSeconds(1));
        return (pool == null ? b : b.pool(pool)).build();
    }

    /** What an SFU does per packet: copy, rewrite SSRC and payload type for the outgoing stream, send. */
    void forward(Event.RtpPacket p) {
        Media media = out.media(forwardedMid);
        if (shareSlots) {
            out.forwardRtp(p, media.sendStreams().getFirst().ssrc(), media.pt(), p.header().sequenceNumber(), p.header().timestamp());
            return;
        }
        MemorySegment.copy(p.segment(), 0, scratch, 0, p.length());
        BigEndian.putU32(scratch, 8, media.sendStreams().getFirst().ssrc());
        BigEndian.putU8(scratch, 1, (BigEndian.u8(scratch, 1) & 0x80) | media.pt());
        out.writeRtp(scratch, 0, p.length());
    }

    String stats(RtcNode sender, RtcNode receiver) {
        return sender.events().stream().filter(e -> e.event() instanceof Event.MediaEgressStats).reduce((x, y) -> y)
                .map(Object::toString).orElse("-") + " / " + receiver.events().stream()
                .filter(e -> e.event() instanceof Event.MediaIngressStats).reduce((x, y) -> y).map(Object::toString).orElse("-");
    }

    static List<byte[]> frames(long seed, int count) {
        Random random = new Random(seed);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] f = new byte[i % 30 == 0 ? 6000 : 300 + random.nextInt(1500)];
            random.nextBytes(f);
            f[0] = (byte) (i % 30 == 0 ? 0x10 : 0x11); // VP8 frame tag: P bit 0 for the keyframes
            frames.add(f);
        }
        return frames;
    }

    @Test
    void theSubscriberGetsEveryFrameThePublisherSentThroughTheSfuDespiteLoss(@Seed long seed) {
        everyFrameArrivesDespiteLoss(seed);
    }

    @Test
    void sharingTheReceivedSlotsTheSubscriberStillGetsEveryFrameDespiteLoss(@Seed long seed) {
        shareSlots = true;
        everyFrameArrivesDespiteLoss(seed);
        assertTrue(out.media(forwardedMid).sendStreams().size() == 1 && sfuNode.rtpPackets() > 0);
    }

    @Test
    void aForwardedSlotWaitsForNacksInTheSubscribersHistoryAndGoesBackAfterItsWindow(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(10));
        shareSlots = true;
        Media media = publisher.media(publishedMid);
        MediaWriter writer = media.writer(media.pt());
        byte[] frame = new byte[800];
        for (int i = 0; i < 20; i++) {
            frame[0] = (byte) (i == 0 ? 0x10 : 0x11);
            assertTrue(writer.write(net.now(), MediaTime.of(3000L * i, 90_000), frame));
            net.runFor(33 * MS);
        }
        long held = out.memoryInUse();
        assertTrue(held >= 20 * 2048, "the subscriber's history holds the received slots of the last second: " + held);
        net.runFor(3 * S);
        assertTrue(out.memoryInUse() < 2048, "a second after the last packet the history has given them back: "
                + out.memoryInUse());
    }

    void everyFrameArrivesDespiteLoss(long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(15).withJitterMillis(3).withLoss(0.03));
        List<byte[]> sent = frames(seed, 150);
        Media media = publisher.media(publishedMid);
        MediaWriter writer = media.writer(media.pt());
        // A live stream goes on around the checked frames: a receiver only notices (and NACKs) a lost packet
        // when a later one arrives, and cannot know of packets lost before the first one it saw. So five
        // frames lead in and ten follow.
        List<byte[]> all = new ArrayList<>(frames(seed + 1, 5));
        all.addAll(sent);
        all.addAll(frames(seed + 2, 10));
        for (int i = 0; i < all.size(); i++) {
            assertTrue(writer.write(net.now(), MediaTime.of(3000L * i, 90_000), all.get(i)));
            net.runFor(33 * MS);
        }
        net.runFor(2 * S);
        List<Event.MediaData> got = subscriberNode.eventsOf(subscriber).stream().filter(e -> e instanceof Event.MediaData)
                .map(e -> (Event.MediaData) e).toList();
        int first = 0;
        while (first < got.size() && !java.util.Arrays.equals(got.get(first).data(), sent.getFirst())) {
            first++;
        }
        int start = first;
        assertTrue(got.size() - first >= sent.size(), () -> "stats: in " + in.media(publishedMid) + " P→SFU " + stats(publisherNode, sfuNode)
                + " SFU→C " + stats(sfuNode, subscriberNode) + "; NACK/RTX on both legs (publisher→SFU by the publisher, SFU→subscriber from the "
                + "SFU's cache of forwarded packets) recover every frame: " + (got.size() - start));
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(start + i).data(), "frame " + i);
            assertEquals(Codec.VP8, got.get(start + i).codec());
        }
        assertTrue(sfuNode.rtpPackets() >= sent.size(), "the SFU saw packets, not frames");
        ReceiveStreamStats atSfu = sfuNode.eventsOf(in).stream().filter(e -> e instanceof Event.MediaIngressStats)
                .map(e -> ((Event.MediaIngressStats) e).stats()).reduce((x, y) -> y).orElseThrow();
        assertTrue(atSfu.duplicates() * 10 < atSfu.packets(), "the reorder grace keeps needless retransmissions (duplicates) "
                + "rare at 3 ms jitter: " + atSfu);

        subscriber.media(forwardedMid).requestKeyframe();
        net.runFor(300 * MS);
        assertTrue(publisherNode.eventsOf(publisher).stream().anyMatch(e -> e instanceof Event.KeyframeRequest k
                && publishedMid.equals(k.mid())), "the subscriber's PLI reached the publisher through the SFU");
    }

    @Test
    void forwardingThroughTheSfuAllocatesNothingOnceWarm(@Seed long seed) {
        forwardAndCountAllocation(seed);
    }

    /**
     * The same with a flight recording running with the JDK's default settings, under which eddy's events are on:
     * what the SFU's {@code Rtc}s put on the timeline (the forged packets' drops in once-a-second summaries, never an
     * event per packet) costs no allocation per packet either.
     */
    @Test
    void forwardingAllocatesNothingOnceWarmWhileAFlightRecordingRuns(@Seed long seed) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("forwarding", ".jfr");
        try (jdk.jfr.Recording recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("default"))) {
            recording.start();
            forwardAndCountAllocation(seed);
            recording.stop();
            recording.dump(file);
            long summaries = jdk.jfr.consumer.RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("io.eddyrtc.PacketsDropped") && e.getLong("rtc") == in.id())
                    .count();
            assertTrue(summaries >= 8, "the forged packets' drops were summarized once a second: " + summaries);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /**
     * Forwards 30,000 packets through the SFU, with a forged SRTP packet from the publisher's address after every
     * 100th (dropped and counted), and checks the second half allocated nothing per packet.
     */
    private void forwardAndCountAllocation(long seed) {
        // a production pool (tests default to debug pools, which allocate a checked view per acquisition), with
        // room for what the subscriber's RTX history keeps: a second of this stream, 3,333 packets
        setUp(seed, LinkConditions.perfect().withLatencyMillis(10),
                io.eddyrtc.buffers.PacketPool.builder().slotSize(2048).maxSlots(8192).debug(false).build());
        // The publisher's protected datagrams, made ahead so that the measured loop only runs the SFU.
        Media media = publisher.media(publishedMid);
        MediaWriter writer = media.writer(media.pt());
        List<MemorySegment> datagrams = new ArrayList<>();
        long[] times = new long[40_000];
        byte[] frame = new byte[800];
        long now = net.now();
        for (int i = 0; i < 30_000; i++) {
            now += 300_000; // 0.3 ms apart: 9 s in all, well inside the peers' consent timeout
            publisher.handleTimeout(now);
            frame[0] = (byte) (i % 100 == 0 ? 0x10 : 0x11);
            writer.write(now, MediaTime.of(3000L * i, 90_000), frame);
            for (Output o = publisher.pollOutput(); !(o instanceof Output.Timeout); o = publisher.pollOutput()) {
                if (o instanceof Output.Transmit x) {
                    // native memory, as a socket's direct buffer gives
                    MemorySegment d = java.lang.foreign.Arena.ofAuto().allocate(x.length());
                    MemorySegment.copy(x.segment(), x.offset(), d, 0, x.length());
                    datagrams.add(d);
                    times[datagrams.size() - 1] = now;
                }
            }
        }
        MemorySegment forged = java.lang.foreign.Arena.ofAuto().allocate(datagrams.getFirst().byteSize());
        MemorySegment.copy(datagrams.getFirst(), 0, forged, 0, forged.byteSize());
        forged.set(java.lang.foreign.ValueLayout.JAVA_BYTE, forged.byteSize() - 1,
                (byte) ~forged.get(java.lang.foreign.ValueLayout.JAVA_BYTE, forged.byteSize() - 1)); // its tag no longer matches
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = 0;
        long forwarded = 0;
        long bytesOut = 0;
        int warm = datagrams.size() / 2;
        for (int i = 0; i < datagrams.size(); i++) {
            if (i == warm) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            long t = times[i];
            MemorySegment d = datagrams.get(i);
            in.handleReceive(t, P, SFU, d, 0, (int) d.byteSize());
            if (i % 100 == 99) {
                in.handleReceive(t, P, SFU, forged, 0, (int) forged.byteSize());
            }
            for (Output o = in.pollOutput(); !(o instanceof Output.Timeout); o = in.pollOutput()) {
                if (o instanceof Event.RtpPacket p) {
                    forward(p);
                    forwarded++;
                }
            }
            if (i % 64 == 0) { // the loop's timeouts: reports, consent checks
                in.handleTimeout(t);
                out.handleTimeout(t);
                for (Output o = in.pollOutput(); !(o instanceof Output.Timeout); o = in.pollOutput()) {
                    // RTCP and STUN to the publisher: sent nowhere in this measurement
                }
            }
            for (Output o = out.pollOutput(); !(o instanceof Output.Timeout); o = out.pollOutput()) {
                if (o instanceof Output.Transmit x) {
                    bytesOut += x.length();
                }
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(forwarded >= 30_000, "every packet was forwarded: " + forwarded);
        assertEquals(0, in.dropped(RtcDropReason.INTERNAL_ERROR) + out.dropped(RtcDropReason.INTERNAL_ERROR), "no bug met on the way");
        assertTrue(bytesOut > 30_000L * 800, "and sent on: " + bytesOut);
        assertEquals(datagrams.size() / 100, in.dropped(RtcDropReason.SRTP_REJECTED), "every forged packet was dropped");
        // Real per-packet allocation would be at least 16 bytes x 15,000 packets; allow JVM bookkeeping.
        assertTrue(allocated < 16_000, "forwarding " + (datagrams.size() - warm) + " packets allocated " + allocated + " bytes");
    }
}
