package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.engine.Event.Disconnected.Reason;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.engine.sim.RtcPair;
import io.eddyrtc.engine.sim.SdpSignalling;
import io.eddyrtc.ice.IceConfig;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How a call ends, and that both sides learn it: a local {@link Rtc#disconnect()} sends SCTP's ABORT and
 * DTLS's close_notify before going quiet, and every end is one {@link Event.Disconnected} whose reason a
 * server loop can switch on.
 */
@ExtendWith(SeedExtension.class)
class RtcDisconnectTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;

    RtcPair pair;

    void connect(long seed, UnaryOperator<RtcConfig.Builder> configure) {
        pair = RtcPair.forSdp(seed, LinkConditions.perfect().withLatencyMillis(10), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B, configure);
        assertTrue(SdpSignalling.negotiate(pair.a().rtc(), pair.b().rtc(), api -> {
            api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
            api.addChannel("chat");
        }));
        assertTrue(pair.net().runUntil(pair::bothConnected, 10 * S));
        assertTrue(pair.net().runUntil(() -> opened(pair.a()) && opened(pair.b()), 5 * S), "the channel opens on both sides");
    }

    static boolean opened(RtcNode node) {
        return node.eventsOf(node.rtc()).stream().anyMatch(e -> e instanceof Event.ChannelOpen);
    }

    static List<Event.Disconnected> ends(RtcNode node) {
        return node.eventsOf(node.rtc()).stream().filter(e -> e instanceof Event.Disconnected).map(e -> (Event.Disconnected) e)
                .toList();
    }

    @Test
    void aLocalCloseTellsThePeerAtOnce(@Seed long seed) {
        connect(seed, UnaryOperator.identity());
        long closedAt = pair.net().now();
        pair.a().rtc().disconnect();
        assertTrue(pair.net().runUntil(() -> !pair.b().rtc().isAlive(), closedAt + S),
                "the peer learns within a round trip, not after its consent runs out");
        assertEquals(List.of(Reason.LOCAL_CLOSE), ends(pair.a()).stream().map(Event.Disconnected::reason).toList());
        assertEquals(List.of(Reason.PEER_CLOSED), ends(pair.b()).stream().map(Event.Disconnected::reason).toList());
        assertTrue(pair.b().eventsOf(pair.b().rtc()).stream().anyMatch(e -> e instanceof Event.ChannelsClosed),
                "SCTP's ABORT closed the peer's data channels");

        pair.b().rtc().disconnect(); // the server lets the peer go: the call had ended already, no second event
        assertEquals(1, ends(pair.b()).size());
    }

    @Test
    void iceGivingUpIsADisconnect(@Seed long seed) {
        IceConfig quick = IceConfig.defaults().withConsent(500 * MS, 2 * S).withFailAfterDisconnected(S);
        connect(seed, b -> b.ice(quick));
        pair.net().conditionsBothWays(RtcPair.A, RtcPair.B, LinkConditions.perfect().withBlocked(true));
        assertTrue(pair.net().runUntil(() -> !pair.a().rtc().isAlive(), pair.net().now() + 10 * S));
        assertEquals(List.of(Reason.ICE_FAILED), ends(pair.a()).stream().map(Event.Disconnected::reason).toList());
    }

    @Test
    void aDtlsFailureIsADisconnect(@Seed long seed) {
        pair = RtcPair.withDtls(seed, LinkConditions.perfect().withLatencyMillis(10), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B);
        pair.a().rtc().directApi().setRemoteFingerprint(RtcDtlsTest.CERT_A.fingerprint()); // not B's
        pair.net().runFor(5 * S);
        assertFalse(pair.a().rtc().isAlive());
        List<Event.Disconnected> ends = ends(pair.a());
        assertEquals(List.of(Reason.DTLS_FAILED), ends.stream().map(Event.Disconnected::reason).toList());
        assertTrue(ends.getFirst().detail().contains("fingerprint"), ends.getFirst().detail());
        assertTrue(pair.a().eventsOf(pair.a().rtc()).stream().anyMatch(e -> e instanceof Event.DtlsFailed), "DtlsFailed still comes");
    }

    @Test
    void closingBeforeAnyPathSendsNothing(@Seed long seed) {
        pair = RtcPair.forSdp(seed, LinkConditions.perfect(), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B, UnaryOperator.identity());
        Rtc rtc = pair.a().rtc();
        rtc.disconnect();
        List<Output> out = new java.util.ArrayList<>();
        for (Output o = rtc.pollOutput(); !(o instanceof Output.Timeout t && t.atNanos() == Long.MAX_VALUE); o = rtc.pollOutput()) {
            assertTrue(o instanceof Event, "nothing to send, and no timer: " + o);
            out.add(o);
        }
        assertEquals(List.of(new Event.IceConnectionStateChange(io.eddyrtc.ice.IceConnectionState.CLOSED),
                new Event.Disconnected(Reason.LOCAL_CLOSE, "disconnect() was called")), out);
    }
}
