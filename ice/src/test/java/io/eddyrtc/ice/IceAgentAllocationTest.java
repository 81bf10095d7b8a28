package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The steady-state claim, measured: once warm, answering a connectivity/consent check (parse,
 * verify, respond, drain) allocates nothing. Uses the JVM's per-thread allocation counter.
 */
class IceAgentAllocationTest {
    @Test
    void answeringChecksAllocatesNothingOnceWarm() {
        InetSocketAddress local = new InetSocketAddress("10.0.0.1", 5000);
        InetSocketAddress remote = new InetSocketAddress("10.0.0.2", 6000);
        IceAgent agent = IceNode.seededAgent(IceConfig.defaults(), false, 1);
        agent.setLocalCredentials("locl", "localpasswordlocalpassword");
        agent.setRemoteCredentials("remo", "remotepasswordremotepassword");
        agent.addLocalCandidate(Candidate.host(local));
        agent.addRemoteCandidate(Candidate.host(remote));
        MemorySegment request = Arena.ofAuto().allocate(256);
        int length = new StunWriter().begin(request, 0, 256, Stun.BINDING_REQUEST, 1, 2)
                .addUsername("locl".getBytes(StandardCharsets.US_ASCII), "remo".getBytes(StandardCharsets.US_ASCII))
                .addPriority(0x6e0001ffL)
                .addIceControlling(99)
                .addMessageIntegrity(new HmacSha1(), "localpasswordlocalpassword".getBytes(StandardCharsets.US_ASCII))
                .addFingerprint()
                .length();
        long[] sent = {0};
        int measured = 20_000;
        long allocated = SteadyAllocation.bytes(200_000, measured, () -> {
            agent.handleReceive(1_000L, remote, local, request, 0, length);
            StunTransmit t;
            while ((t = agent.pollTransmit()) != null) {
                sent[0] += t.length();
            }
            while (agent.pollEvent() != null) {
                sent[0]++;
            }
        });
        assertTrue(sent[0] > 0);
        assertEquals(0, agent.droppedTotal());
        // Allow a little slack for the JVM's own bookkeeping (e.g. a deoptimisation); real per-check
        // allocation would show up as at least 16 bytes x 20,000 checks.
        assertTrue(allocated < 16_000, "answering " + measured + " checks allocated " + allocated + " bytes");
    }
}
