package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sim.RtcPair;
import io.eddyrtc.engine.sim.SdpSignalling;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * Any datagram from the peer's address into a connected {@code Rtc} (ICE, DTLS-SRTP, media and a data
 * channel up): it is used or dropped and counted, never thrown, and never meets a bug inside
 * ({@link RtcDropReason#INTERNAL_ERROR} stays 0). Seeds: a STUN request, a DTLS record, SRTP and SRTCP.
 */
class RtcFuzzTest {
    private static final long S = 1_000_000_000L;
    private static RtcPair pair;
    private static long now;

    private static synchronized Rtc connected() {
        if (pair == null) {
            pair = RtcPair.forSdp(17, LinkConditions.perfect().withLatencyMillis(5), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B,
                    b -> b);
            SdpSignalling.negotiate(pair.a().rtc(), pair.b().rtc(), api -> {
                api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
                api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
                api.addChannel("fuzz");
            });
            assertTrue(pair.net().runUntil(pair::bothConnected, 10 * S), "the pair connects");
            now = pair.net().now();
        }
        return pair.b().rtc();
    }

    @FuzzTest(maxDuration = "10s")
    void anyDatagramFromThePeer(byte[] datagram) {
        Rtc rtc = connected();
        now += 1_000_000;
        InetSocketAddress from = RtcPair.A;
        rtc.handleReceive(now, from, RtcPair.B, MemorySegment.ofArray(datagram), 0, datagram.length);
        for (Output o = rtc.pollOutput(); !(o instanceof Output.Timeout); o = rtc.pollOutput()) {
            // drain: whatever the datagram caused goes out (and is dropped here)
        }
        rtc.handleTimeout(now);
        for (Output o = rtc.pollOutput(); !(o instanceof Output.Timeout); o = rtc.pollOutput()) {
            // the timers' output too
        }
        assertNull(rtc.lastInternalError(), "no bug met");
        assertEquals(0, rtc.dropped(RtcDropReason.INTERNAL_ERROR));
    }
}
