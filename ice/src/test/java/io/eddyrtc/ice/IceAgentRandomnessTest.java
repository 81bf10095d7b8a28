package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.ice.stun.StunMessage;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * What protects a call (credentials, tie-breaker, transaction ids) comes from the secrets source alone;
 * the jitter source only times consent checks. So a seeded jitter generator gives nothing away.
 */
class IceAgentRandomnessTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress REMOTE = new InetSocketAddress("10.0.0.2", 6000);

    /** The password, then the tie-breaker and transaction id of the first check and of the check after a restart. */
    static List<Object> secretsOf(RandomGenerator secrets, RandomGenerator jitter) {
        IceAgent agent = new IceAgent(IceConfig.defaults(), true, secrets, jitter);
        Object before = agent.localPassword() + " " + firstCheck(agent, 0);
        agent.restart();
        return List.of(before, agent.localPassword() + " " + firstCheck(agent, 1_000_000_000L));
    }

    static String firstCheck(IceAgent agent, long now) {
        agent.setRemoteCredentials("remo", "remotepasswordremotepassword");
        agent.addLocalCandidate(Candidate.host(LOCAL));
        agent.addRemoteCandidate(Candidate.host(REMOTE));
        agent.handleTimeout(now);
        StunTransmit t = agent.pollTransmit();
        StunMessage check = new StunMessage();
        assertTrue(check.wrap(MemorySegment.ofArray(t.toByteArray())) && check.isRequest());
        return check.iceControlling() + "/" + check.transactionHigh() + "/" + check.transactionLow();
    }

    @Test
    void theJitterSourceDecidesNoSecret() {
        List<Object> one = secretsOf(new Random(1), new SplittableRandom(7));
        assertEquals(one, secretsOf(new Random(1), new SplittableRandom(8)), "other jitter, same secrets");
        assertEquals(one, secretsOf(new Random(1), () -> 42L), "even a constant jitter source");
        assertNotEquals(one, secretsOf(new Random(2), new SplittableRandom(7)), "other secrets, same jitter");
    }

    @Test
    void aMissingSourceIsRefusedWithAHint() {
        NullPointerException e = org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> new IceAgent(IceConfig.defaults(), true, null, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("SecureRandom"), e.getMessage());
    }
}
