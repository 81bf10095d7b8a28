package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.HeapCensus;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.sim.PeerFleet;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.engine.sim.RtcPair;
import io.eddyrtc.engine.sim.SdpSignalling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a peer costs in memory, asserted where it is deterministic: the live heap after a full GC and the pool
 * slots held, counted per {@code Rtc} over many connected peers (the timed figures live in
 * {@code ./eddy bench density}, not here); memory that follows traffic; the per-{@code Rtc} budget.
 */
@ExtendWith(SeedExtension.class)
class RtcMemoryTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    /** The target for an idle RTP-mode peer with audio, video and a data channel (docs/design.md, Memory). */
    static final long TARGET_BYTES = 64 * 1024;
    /** Classes of the simulation kit itself, not the peers'. */
    static final List<String> HARNESS = List.of("io.eddyrtc.buffers.testkit.", "io.eddyrtc.engine.sim.");

    @Test
    void twoHundredConnectedRtpModePeersEachHoldUnderTwiceTheTargetIdleAndAfterMedia(@Seed long seed) {
        HeapCensus base = HeapCensus.take();
        PeerFleet fleet = PeerFleet.connect(seed, 200, PeerFleet.Mode.RTP);
        fleet.idle(10 * S);
        long idle = perRtc(fleet, base);
        fleet.media(2 * S);
        assertTrue(fleet.mediaReceived() > 200 * 2 * 100, "media flowed both ways: " + fleet.mediaReceived());
        fleet.idle(3 * S);
        long after = perRtc(fleet, base);
        fleet.close();
        assertTrue(idle < 2 * TARGET_BYTES, "an idle RTP-mode peer holds " + idle + " bytes (heap and pool slots held); "
                + "the target is " + TARGET_BYTES);
        assertTrue(after < 2 * TARGET_BYTES, "3 s after its media stopped a peer holds " + after + " bytes again, not "
                + "what its RTX history held");
    }

    /** Live heap built since {@code base} (the kit's own classes left out) plus pool slots held, per Rtc. */
    private static long perRtc(PeerFleet fleet, HeapCensus base) {
        HeapCensus built = HeapCensus.take().minus(base);
        long heap = built.heapBytes(c -> HARNESS.stream().noneMatch(c::startsWith));
        long slots = (long) fleet.serverPool().inUse() * fleet.serverPool().slotSize()
                + (long) fleet.clientPool().inUse() * fleet.clientPool().slotSize();
        return (heap + slots) / fleet.rtcs();
    }

    @Test
    void memoryInUseFollowsTheMediaUpAndBackDown(@Seed long seed) {
        Call call = new Call(seed, c -> c);
        long idle = call.a.rtc().memoryInUse();
        call.send(2 * S);
        long sending = call.a.rtc().memoryInUse();
        assertTrue(sending > idle + 40 * 2048, "a second of 25 fps video waits for NACKs in pool slots: " + idle + " → "
                + sending);
        call.net.runFor(3 * S);
        assertTrue(call.a.rtc().memoryInUse() < idle + 8 * 1024, "and goes once the stream is quiet: "
                + call.a.rtc().memoryInUse() + " (idle " + idle + ")");
        assertTrue(idle < 16 * 1024, "an idle peer's growable parts are a few KiB: " + idle);
    }

    @Test
    void pastItsBudgetAPeerKeepsNoMoreAndCountsWhatItRefused(@Seed long seed) {
        long budget = 48 * 1024;
        Call call = new Call(seed, c -> c.memoryBudget(budget));
        call.send(2 * S);
        assertTrue(call.a.rtc().memoryInUse() <= budget, "held " + call.a.rtc().memoryInUse() + " of " + budget);
        assertTrue(call.a.rtc().memoryRefusals() > 0, "the RTX history wanted more and was refused");
        assertTrue(call.b.rtc().memoryInUse() <= budget);
        assertTrue(call.framesReceived() > 40, "media still flows, only less of it can be repaired: " + call.framesReceived());
    }

    @Test
    void peerStatsCarryTheMemoryInUseAndTheRefusals(@Seed long seed) {
        long budget = 48 * 1024;
        Call call = new Call(seed, c -> c.memoryBudget(budget).statsInterval(Duration.ofMillis(500)));
        Event.PeerStats before = call.stats().getLast();
        assertEquals(0, before.memoryRefusals(), "nothing refused before any media: " + before);
        call.send(2 * S);
        List<Event.PeerStats> sending = call.stats().stream().filter(s -> s.atNanos() > before.atNanos()).toList();
        long most = sending.stream().mapToLong(Event.PeerStats::memoryInUse).max().orElseThrow();
        assertTrue(most > before.memoryInUse() + 16 * 1024 && most <= budget, "the RTX history's slots show while video is "
                + "sent, within the budget: " + before.memoryInUse() + " → " + most);
        Event.PeerStats last = sending.getLast();
        assertTrue(last.memoryRefusals() > 0 && last.memoryRefusals() <= call.a.rtc().memoryRefusals(),
                "the refusals so far: " + last.memoryRefusals() + " of " + call.a.rtc().memoryRefusals());
        call.net.runFor(3 * S);
        Event.PeerStats quiet = call.stats().getLast();
        assertEquals(call.a.rtc().memoryInUse(), quiet.memoryInUse(), "what the Rtc holds once the stream is quiet");
        assertTrue(quiet.memoryInUse() < most, "and it went back down: " + most + " → " + quiet.memoryInUse());
    }

    @Test
    void aDataChannelOnlyPeerSendsNoRtcp(@Seed long seed) {
        RtcPair pair = RtcPair.forSdp(seed, LinkConditions.perfect().withLatencyMillis(10), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B,
                c -> c.statsInterval(Duration.ofSeconds(5)));
        assertTrue(SdpSignalling.negotiate(pair.a().rtc(), pair.b().rtc(), api -> api.addChannel("chat")));
        assertTrue(pair.net().runUntil(pair::bothConnected, 10 * S));
        pair.net().runFor(30 * S);
        for (RtcNode node : List.of(pair.a(), pair.b())) {
            List<Event.PeerStats> stats = node.eventsOf(node.rtc()).stream().filter(e -> e instanceof Event.PeerStats)
                    .map(e -> (Event.PeerStats) e).toList();
            Event.PeerStats last = stats.getLast();
            Event.PeerStats earlier = stats.get(stats.size() - 5); // 20 s before
            assertEquals(0, last.mediaPacketsOut(), "no receiver reports without m-lines: " + last);
            // keepalives only: ICE consent checks and answers to the peer's, SCTP heartbeats — no report a second
            assertTrue(last.datagramsOut() - earlier.datagramsOut() <= 16, "20 s idle, keepalives and no more: "
                    + earlier + " → " + last);
        }
    }

    @Test
    void aMediaPeerWithNoMediaMovingReportsOnlyEveryFiveSeconds(@Seed long seed) {
        Call call = new Call(seed, c -> c.statsInterval(Duration.ofSeconds(10)));
        call.net.runFor(40 * S);
        List<Event.PeerStats> idle = call.stats();
        long idleReports = idle.getLast().mediaPacketsOut() - idle.get(idle.size() - 3).mediaPacketsOut();
        assertTrue(idleReports >= 3 && idleReports <= 5, "20 s without media: a report every 5 s, not every second: "
                + idleReports);
    }

    @Test
    void rtcsBuiltWithoutACertificateShareTheProcessOne() {
        Rtc one = Rtc.builder().build();
        Rtc two = Rtc.builder().build();
        assertEquals(one.localFingerprint(), two.localFingerprint(), "one key pair per process, not per peer");
        assertNotEquals(one.localFingerprint(), Rtc.builder().certificate(RtcDtlsTest.CERT_A).build().localFingerprint());
    }

    /** Two peers negotiated with audio and video; A sends 25 fps VP8 to B. */
    static final class Call {
        final VirtualNetwork net;
        final RtcNode a;
        final RtcNode b;
        final List<String> mids = new ArrayList<>();

        Call(long seed, UnaryOperator<RtcConfig.Builder> configure) {
            RtcPair pair = RtcPair.forSdp(seed, LinkConditions.perfect().withLatencyMillis(20), RtcDtlsTest.CERT_A,
                    RtcDtlsTest.CERT_B, configure);
            net = pair.net();
            a = pair.a();
            b = pair.b();
            assertTrue(SdpSignalling.negotiate(a.rtc(), b.rtc(), api -> {
                mids.add(api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV).value());
                mids.add(api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV).value());
            }));
            assertTrue(net.runUntil(pair::bothConnected, 10 * S));
            net.runFor(S);
        }

        void send(long nanos) {
            Media video = a.rtc().media(mids.get(1));
            MediaWriter writer = video.writer(RtcSdpMediaTest.pt(video, Codec.VP8));
            byte[] frame = new byte[1500];
            long end = net.now() + nanos;
            for (long i = 0; net.now() < end; i++) {
                frame[0] = (byte) (i % 50 == 0 ? 0x10 : 0x11);
                assertTrue(writer.write(net.now(), MediaTime.of(3600 * i, 90_000), frame));
                net.runFor(40 * MS);
            }
        }

        List<Event.PeerStats> stats() {
            return a.eventsOf(a.rtc()).stream().filter(e -> e instanceof Event.PeerStats).map(e -> (Event.PeerStats) e).toList();
        }

        long framesReceived() {
            return b.eventsOf(b.rtc()).stream().filter(e -> e instanceof Event.MediaData).count();
        }
    }
}
