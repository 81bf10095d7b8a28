package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * The agent's receive path against arbitrary datagrams from a few addresses, interleaved with
 * timers: it never throws, keeps its deadline in the future, and answers with well-formed STUN.
 */
class IceAgentFuzzTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress[] SOURCES = {
        new InetSocketAddress("10.0.0.2", 6000), new InetSocketAddress("10.0.0.3", 6001),
        new InetSocketAddress("2001:db8::1", 7000)
    };

    @FuzzTest(maxDuration = "60s")
    void receivePathNeverThrows(FuzzedDataProvider data) {
        boolean controlling = data.consumeBoolean();
        IceAgent agent = IceNode.seededAgent(IceConfig.defaults().withLite(!controlling && data.consumeBoolean()), controlling,
                data.consumeLong());
        agent.setLocalCredentials("locl", "localpasswordlocalpassword");
        agent.setRemoteCredentials("remo", "remotepasswordremotepassword");
        agent.addLocalCandidate(Candidate.host(LOCAL));
        agent.addRemoteCandidate(Candidate.host(SOURCES[0]));
        long now = 0;
        io.eddyrtc.ice.stun.StunMessage response = new io.eddyrtc.ice.stun.StunMessage();
        int rounds = data.consumeInt(1, 16);
        for (int i = 0; i < rounds && data.remainingBytes() > 0; i++) {
            now += data.consumeLong(0, 5_000_000_000L);
            InetSocketAddress from = SOURCES[data.consumeInt(0, SOURCES.length - 1)];
            byte[] datagram = data.consumeBytes(data.consumeInt(0, 600));
            agent.handleReceive(now, from, LOCAL, MemorySegment.ofArray(datagram));
            agent.handleTimeout(now);
            assertTrue(agent.nextDeadline() >= now, "deadline in the past");
            StunTransmit t;
            while ((t = agent.pollTransmit()) != null) {
                assertTrue(response.wrap(t.segment(), 0, t.length()), "agent sent malformed STUN");
                assertTrue(response.verifyFingerprint());
            }
            while (agent.pollEvent() != null) {
                // drain
            }
        }
    }
}
