package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.engine.sim.RtcPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Periodic statistics events: on schedule in virtual time, counting what really crossed the network. */
@ExtendWith(SeedExtension.class)
class RtcStatsTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;

    static List<Event.PeerStats> stats(RtcNode node) {
        return node.eventsOf(node.rtc()).stream().filter(e -> e instanceof Event.PeerStats).map(e -> (Event.PeerStats) e).toList();
    }

    @Test
    void peerStatsComeEveryIntervalAndCountBothDirections(@Seed long seed) {
        RtcPair pair = RtcPair.withDtls(seed, LinkConditions.perfect().withLatencyMillis(10), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B,
                b -> b.statsInterval(Duration.ofSeconds(1)));
        VirtualNetwork net = pair.net();
        assertTrue(net.runUntil(pair::bothConnected, 10 * S));
        pair.a().rtc().directApi().createDataChannel("counted");
        net.runFor(10 * S);

        List<Event.PeerStats> a = stats(pair.a());
        List<Event.PeerStats> b = stats(pair.b());
        assertTrue(a.size() >= 10 && a.size() <= 12, "about one PeerStats per second over ~10 s: " + a.size());
        for (int i = 1; i < a.size(); i++) {
            long gap = a.get(i).atNanos() - a.get(i - 1).atNanos();
            assertTrue(gap >= S && gap < S + 100 * MS, "one interval apart (give or take the loop's next wake-up): " + gap);
            assertTrue(a.get(i).datagramsOut() >= a.get(i - 1).datagramsOut(), "totals never go down");
        }
        Event.PeerStats lastA = a.getLast();
        Event.PeerStats lastB = b.getLast();
        assertTrue(lastA.datagramsOut() > 10 && lastA.bytesOut() > 1_000, "ICE, DTLS and SCTP traffic counted: " + lastA);
        // perfect link: every datagram A sent by B's last report arrived, minus the few still in flight
        assertTrue(Math.abs(lastA.datagramsOut() - lastB.datagramsIn()) <= 5, lastA + " vs " + lastB);
        assertTrue(Math.abs(lastA.bytesOut() - lastB.bytesIn()) <= 5 * 1_500, lastA + " vs " + lastB);
        assertEquals(0, lastA.dropped(), "nothing dropped on a perfect link");
    }

    @Test
    void noStatisticsEventsUnlessAsked(@Seed long seed) {
        RtcPair pair = RtcPair.withDtls(seed, LinkConditions.perfect(), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B);
        assertTrue(pair.net().runUntil(pair::bothConnected, 10 * S));
        pair.net().runFor(5 * S);
        assertTrue(stats(pair.a()).isEmpty() && stats(pair.b()).isEmpty());
    }
}
