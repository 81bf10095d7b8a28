package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The facade adds no allocation to the steady state: routing a consent check with {@code accepts},
 * handling it, and draining the response through {@code pollOutput} allocates nothing once warm.
 * (The JMH figure is in perf/results/engine.md.)
 */
class RtcAllocationTest {
    static final String LOCAL_PWD = "localpasswordlocalpassword";

    @Test
    void answeringChecksThroughTheRtcAllocatesNothingOnceWarm() {
        InetSocketAddress local = new InetSocketAddress("10.0.0.1", 5000);
        InetSocketAddress remote = new InetSocketAddress("10.0.0.2", 6000);
        Rtc rtc = Rtc.builder().randomSeed(7).iceLite(true).build();
        rtc.directApi().setLocalIceCredentials(new IceCredentials("locl", LOCAL_PWD));
        rtc.directApi().setRemoteIceCredentials(new IceCredentials("remo", "remotepasswordremotepassword"));
        rtc.addLocalCandidate(Candidate.host(local));
        rtc.addRemoteCandidate(Candidate.host(remote));
        MemorySegment request = Arena.ofAuto().allocate(256);
        int length = new StunWriter().begin(request, 0, 256, Stun.BINDING_REQUEST, 1, 2)
                .addUsername("locl".getBytes(StandardCharsets.US_ASCII), "remo".getBytes(StandardCharsets.US_ASCII))
                .addPriority(0x6e0001ffL)
                .addIceControlling(99)
                .addUseCandidate()
                .addMessageIntegrity(new HmacSha1(), LOCAL_PWD.getBytes(StandardCharsets.US_ASCII))
                .addFingerprint()
                .length();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sentBytes = 0;
        long events = 0;
        long before = 0;
        int warm = 200_000;
        int measured = 20_000;
        long now = 1_000_000L;
        for (int i = 0; i < warm + measured; i++) {
            if (i == warm) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            now += 1_000L;
            if (rtc.accepts(remote, request, 0, length)) {
                rtc.handleReceive(now, remote, local, request, 0, length);
            }
            for (Output out = rtc.pollOutput(); !(out instanceof Output.Timeout); out = rtc.pollOutput()) {
                if (out instanceof Output.Transmit x) {
                    sentBytes += x.length();
                } else {
                    events++;
                }
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(sentBytes >= (long) (warm + measured) * 20, "every check was answered");
        assertTrue(events > 0, "the lite side reported connecting");
        assertEquals(0, rtc.droppedTotal());
        // Real per-check allocation would be at least 16 bytes x 20,000 checks; allow JVM bookkeeping.
        assertTrue(allocated < 16_000, "answering " + measured + " checks through the Rtc allocated " + allocated + " bytes");
    }
}
