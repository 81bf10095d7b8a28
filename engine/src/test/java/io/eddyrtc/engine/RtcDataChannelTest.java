package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.engine.sim.RtcPair;
import io.eddyrtc.engine.sim.RtcNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Data channels through the whole stack — ICE, DTLS, SCTP, DCEP — between two Rtcs on the virtual network. */
@ExtendWith(SeedExtension.class)
class RtcDataChannelTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;

    VirtualNetwork net;
    RtcNode a;
    RtcNode b;

    void setUp(long seed, LinkConditions link) {
        RtcPair pair = RtcPair.withDtls(seed, link, RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B);
        net = pair.net();
        a = pair.a();
        b = pair.b();
    }

    static List<Event.ChannelData> data(RtcNode node) {
        return node.eventsOf(node.rtc()).stream().filter(e -> e instanceof Event.ChannelData).map(e -> (Event.ChannelData) e).toList();
    }

    static boolean opened(RtcNode node, String label) {
        return node.eventsOf(node.rtc()).stream().anyMatch(e -> e instanceof Event.ChannelOpen o && o.label().equals(label));
    }

    @Test
    void aChannelCreatedBeforeConnectingOpensOnBothSidesAndEchoes(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20));
        a.rtc().directApi().createDataChannel("chat");
        assertTrue(net.runUntil(() -> opened(a, "chat") && opened(b, "chat"), 5 * S), "ChannelOpen on both sides");
        a.rtc().channel(0).writeText("ping");
        assertTrue(net.runUntil(() -> !data(b).isEmpty(), 2 * S));
        assertEquals("ping", data(b).getFirst().text());
        b.rtc().channel(0).write(true, new byte[] {9, 8, 7});
        assertTrue(net.runUntil(() -> !data(a).isEmpty(), 2 * S));
        assertArrayEquals(new byte[] {9, 8, 7}, data(a).getFirst().data());
        assertTrue(data(a).getFirst().binary());
    }

    @Test
    void messagesFromOneByteTo64KiBSurviveALossyLink(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(30).withJitterMillis(10).withLoss(0.05));
        a.rtc().directApi().createDataChannel("files");
        assertTrue(net.runUntil(() -> opened(b, "files"), 20 * S));
        Random r = new Random(seed);
        int[] sizes = {1, 100, 1_000, 1_200, 10_000, 65_536};
        byte[][] sent = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            sent[i] = new byte[sizes[i]];
            r.nextBytes(sent[i]);
            a.rtc().channel(0).write(true, sent[i]);
        }
        assertTrue(net.runUntil(() -> data(b).size() == sizes.length, 60 * S), "all messages arrive: " + data(b).size());
        for (int i = 0; i < sizes.length; i++) {
            assertArrayEquals(sent[i], data(b).get(i).data(), sizes[i] + " bytes intact and in order");
        }
        // the last SACK may be lost and repeated only after a backed-off T3
        assertTrue(net.runUntil(() -> a.rtc().channelBufferedAmount() == 0, 60 * S), "all acknowledged");
    }

    @Test
    void messagesAreLentFromTheSharedPoolEchoedFromThereAndEverySlotGoesBackAtDisconnect(@Seed long seed) {
        PacketPool pool = PacketPool.builder().debug(true).build();
        RtcPair pair = RtcPair.withDtls(seed, LinkConditions.perfect().withLatencyMillis(20).withLoss(0.05), RtcDtlsTest.CERT_A,
                RtcDtlsTest.CERT_B, c -> c.pool(pool));
        net = pair.net();
        a = pair.a();
        b = pair.b();
        List<String> lent = new ArrayList<>();
        b.onEvent(e -> {
            if (e instanceof Event.ChannelData d) { // while lent: echo it from its own bytes
                lent.add(d.segment().isReadOnly() + " " + d.length());
                b.rtc().channel(d.id()).write(d.binary(), d.segment(), 0, d.length());
            }
        });
        a.rtc().directApi().createDataChannel("echo");
        assertTrue(net.runUntil(() -> opened(a, "echo") && opened(b, "echo"), 20 * S));
        Random r = new Random(seed);
        int[] sizes = {1, 1_000, 3_000, 70_000};
        byte[][] sent = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            sent[i] = new byte[sizes[i]];
            r.nextBytes(sent[i]);
            a.rtc().channel(0).write(true, sent[i]);
        }
        assertTrue(net.runUntil(() -> data(a).size() == sizes.length, 60 * S), "every echo is back: " + data(a).size());
        for (int i = 0; i < sizes.length; i++) {
            assertArrayEquals(sent[i], data(a).get(i).data(), sizes[i] + " bytes there and back");
        }
        assertEquals(List.of("true 1", "true 1000", "true 3000", "true 70000"), lent, "read-only views of the messages");
        assertTrue(pool.acquisitions() > 0);
        a.rtc().disconnect();
        b.rtc().disconnect();
        net.runFor(S);
        assertEquals(0, pool.inUse(), "no slot kept once both peers disconnected");
        pool.close();
    }

    @Test
    void aHundredChannelsOpenAndCarryTheirOwnMessages(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20).withLoss(0.02));
        for (int i = 0; i < 100; i++) {
            a.rtc().directApi().createDataChannel("ch-" + i);
        }
        assertTrue(net.runUntil(() -> b.eventsOf(b.rtc()).stream().filter(e -> e instanceof Event.ChannelOpen).count() == 100
                && a.eventsOf(a.rtc()).stream().filter(e -> e instanceof Event.ChannelOpen).count() == 100, 20 * S),
                "100 ChannelOpen on each side (the opener's once the DCEP ACK is back)");
        List<Integer> ids = a.eventsOf(a.rtc()).stream().filter(e -> e instanceof Event.ChannelOpen).map(e -> ((Event.ChannelOpen) e).id()).toList();
        assertEquals(100, ids.stream().distinct().count(), "100 distinct stream ids");
        for (int id : ids) {
            a.rtc().channel(id).writeText("on " + id);
        }
        assertTrue(net.runUntil(() -> data(b).size() == 100, 20 * S), "one message per channel: " + data(b).size());
        for (Event.ChannelData d : data(b)) {
            assertEquals("on " + d.id(), d.text(), "each message on its own channel");
        }
    }

    @Test
    void aQuarterMegabyteMessageArrivesWhole(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(25).withLoss(0.01));
        a.rtc().directApi().createDataChannel("big");
        assertTrue(net.runUntil(() -> opened(b, "big"), 10 * S));
        byte[] big = new byte[256 * 1024];
        new Random(seed).nextBytes(big);
        a.rtc().channel(0).write(true, big);
        assertTrue(net.runUntil(() -> data(b).size() == 1, 60 * S), "the 256 KiB message arrives");
        assertArrayEquals(big, data(b).getFirst().data());
    }

    @Test
    void anUnorderedUnreliableChannelDeliversWhatSurvivesWithoutStalling(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(30).withJitterMillis(15).withLoss(0.2));
        a.rtc().directApi().createDataChannel("telemetry", false, 0, -1); // no retransmission, no order
        a.rtc().directApi().createDataChannel("control"); // a reliable channel alongside must be unaffected
        assertTrue(net.runUntil(() -> opened(b, "telemetry") && opened(b, "control") && opened(a, "telemetry") && opened(a, "control"), 30 * S));
        int telemetry = a.eventsOf(a.rtc()).stream().filter(e -> e instanceof Event.ChannelOpen o && o.label().equals("telemetry"))
                .map(e -> ((Event.ChannelOpen) e).id()).findFirst().orElseThrow();
        int control = a.eventsOf(a.rtc()).stream().filter(e -> e instanceof Event.ChannelOpen o && o.label().equals("control"))
                .map(e -> ((Event.ChannelOpen) e).id()).findFirst().orElseThrow();
        for (int i = 0; i < 200; i++) {
            a.rtc().channel(telemetry).writeText("t" + i);
            if (i % 20 == 0) {
                a.rtc().channel(control).writeText("c" + i);
            }
            net.runFor(5 * MS);
        }
        assertTrue(net.runUntil(() -> data(b).stream().filter(d -> d.id() == control).count() == 10, 60 * S),
                "every reliable message arrives next to the lossy channel");
        net.runFor(5 * S);
        long got = data(b).stream().filter(d -> d.id() == telemetry).count();
        long distinct = data(b).stream().filter(d -> d.id() == telemetry).map(Event.ChannelData::text).distinct().count();
        assertEquals(got, distinct, "no message twice");
        assertTrue(got > 100 && got < 200, "about 80 % of the unretransmitted messages survive 20 % loss: " + got);
        assertTrue(net.runUntil(() -> a.rtc().channelBufferedAmount() == 0, 30 * S), "nothing waits forever for a retransmission");
    }

    @Test
    void preNegotiatedChannelsDeclaredBeforeConnectingOpenWithoutDcep(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20));
        a.rtc().directApi().createNegotiatedDataChannel(7, "state", true, -1, -1);
        b.rtc().directApi().createNegotiatedDataChannel(7, "state", true, -1, -1);
        assertTrue(net.runUntil(() -> opened(a, "state") && opened(b, "state"), 5 * S), "ChannelOpen on both sides");
        b.rtc().channel(7).writeText("negotiated");
        assertTrue(net.runUntil(() -> !data(a).isEmpty(), 2 * S));
        assertEquals(7, data(a).getFirst().id());
        assertEquals("negotiated", data(a).getFirst().text());
    }

    @Test
    void closingAChannelClosesItOnBothSides(@Seed long seed) {
        setUp(seed, LinkConditions.perfect().withLatencyMillis(20));
        a.rtc().directApi().createDataChannel("short-lived");
        assertTrue(net.runUntil(() -> opened(b, "short-lived"), 5 * S));
        b.rtc().channel(0).close(); // the side that did not open it may close it too
        assertTrue(net.runUntil(() -> a.eventsOf(a.rtc()).contains(new Event.ChannelClose(0))
                && b.eventsOf(b.rtc()).contains(new Event.ChannelClose(0)), 5 * S), "both sides see ChannelClose");
    }

    @Test
    void writingBeforeChannelsAreUpSaysWhatToWaitFor(@Seed long seed) {
        setUp(seed, LinkConditions.perfect());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.rtc().channel(0).writeText("too early"));
        assertTrue(e.getMessage().contains("Event.ChannelOpen"));
    }
}
