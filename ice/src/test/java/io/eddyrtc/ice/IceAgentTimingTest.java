package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.ice.stun.StunMessage;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's clocks, observed from outside: pacing, retransmission schedule, failure time. */
class IceAgentTimingTest {
    static final long MS = 1_000_000L;
    static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 5000);
    /** Two agents' addresses when they talk to each other directly. */
    private static final InetSocketAddress LA = LOCAL;
    private static final InetSocketAddress LB = new InetSocketAddress("10.0.0.2", 6000);

    record Sent(long at, InetSocketAddress to, int txHigh, long txLow) {}

    /** Runs the agent alone (nothing ever answers) until {@code until}, recording every request. */
    static List<Sent> runAlone(IceAgent agent, long until) {
        List<Sent> sent = new ArrayList<>();
        StunMessage m = new StunMessage();
        long now = 0;
        agent.handleTimeout(now);
        while (true) {
            StunTransmit t;
            while ((t = agent.pollTransmit()) != null) {
                assertTrue(m.wrap(MemorySegment.ofArray(t.toByteArray())));
                sent.add(new Sent(now, t.destination(), m.transactionHigh(), m.transactionLow()));
            }
            long next = agent.nextDeadline();
            if (next > until) {
                return sent;
            }
            assertTrue(next >= now, "deadline went back in time");
            now = next;
            agent.handleTimeout(now);
        }
    }

    static IceAgent agent(IceConfig config, int remotes) {
        IceAgent a = IceNode.seededAgent(config, true, 3);
        a.setRemoteCredentials("remo", "remotepasswordremotepassword");
        a.addLocalCandidate(Candidate.host(LOCAL));
        for (int i = 0; i < remotes; i++) {
            a.addRemoteCandidate(Candidate.host(new InetSocketAddress("10.0.1." + (i + 1), 6000)));
        }
        a.endOfRemoteCandidates();
        return a;
    }

    @Test
    void retransmitsAt250MsDoublingTo3sForNineTransmitsThenFails() {
        IceAgent a = agent(IceConfig.defaults(), 1);
        List<Sent> sent = runAlone(a, 60_000 * MS);
        long[] expected = {0, 250, 750, 1750, 3750, 6750, 9750, 12750, 15750};
        assertEquals(expected.length, sent.size(), sent::toString);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] * MS, sent.get(i).at(), "transmit " + i);
            assertEquals(sent.get(0).txHigh(), sent.get(i).txHigh(), "a retransmission keeps its transaction id");
        }
        assertEquals(IceConnectionState.FAILED, a.state());
        assertEquals(CandidatePair.State.FAILED, a.pairs().get(0).state());
    }

    @Test
    void retransmissionIsConfigurable() {
        IceAgent a = agent(IceConfig.defaults().withRetransmission(100 * MS, 400 * MS, 4), 1);
        List<Sent> sent = runAlone(a, 60_000 * MS);
        assertEquals(List.of(0L, 100 * MS, 300 * MS, 700 * MS), sent.stream().map(Sent::at).toList());
        assertEquals(IceConnectionState.FAILED, a.state());
    }

    @Test
    void firstChecksArePacedEvery50Ms() {
        IceAgent a = agent(IceConfig.defaults(), 5);
        List<Sent> sent = runAlone(a, 240 * MS);
        List<Long> firstTimes = new ArrayList<>();
        List<InetSocketAddress> seen = new ArrayList<>();
        for (Sent s : sent) {
            if (!seen.contains(s.to())) {
                seen.add(s.to());
                firstTimes.add(s.at());
            }
        }
        assertEquals(List.of(0L, 50 * MS, 100 * MS, 150 * MS, 200 * MS), firstTimes);
        IceAgent slow = agent(IceConfig.defaults().withCheckInterval(20 * MS), 3);
        List<Long> t = runAlone(slow, 45 * MS).stream().map(Sent::at).toList();
        assertEquals(List.of(0L, 20 * MS, 40 * MS), t);
    }

    @Test
    void consentChecksComeFourToSixSecondsApartAnsweredOrNot() {
        // Connect two agents directly (no network), then watch A's consent checks: answered for two minutes, then
        // B goes silent. RFC 7675 §5.1: each check is sent once, 0.8..1.2 of the 5 s interval after the last, never
        // less than 4 s, and an unanswered one brings the next no sooner.
        IceAgent a = IceNode.seededAgent(IceConfig.defaults(), true, 11);
        IceAgent b = IceNode.seededAgent(IceConfig.defaults(), false, 12);
        IceNode.introduce(a, LA, b, LB);
        long silentFrom = 120_000 * MS;
        List<Long> consentFromA = new ArrayList<>();
        long lastAnswer = -1;
        long disconnectedAt = -1;
        StunMessage m = new StunMessage();
        long now = 0;
        while (now < 160_000 * MS) {
            a.handleTimeout(now);
            b.handleTimeout(now);
            if (disconnectedAt < 0 && a.state() == IceConnectionState.DISCONNECTED) {
                disconnectedAt = now;
            }
            boolean moved = true;
            while (moved) {
                moved = false;
                StunTransmit t;
                while ((t = a.pollTransmit()) != null) {
                    byte[] d = t.toByteArray();
                    m.wrap(MemorySegment.ofArray(d));
                    if (m.isRequest() && a.selectedPair() != null) {
                        consentFromA.add(now);
                    }
                    if (now < silentFrom) {
                        b.handleReceive(now, LA, LB, MemorySegment.ofArray(d));
                        moved = true;
                    }
                }
                while ((t = b.pollTransmit()) != null) {
                    byte[] d = t.toByteArray();
                    m.wrap(MemorySegment.ofArray(d));
                    if (m.isSuccessResponse()) {
                        lastAnswer = now;
                    }
                    a.handleReceive(now, LB, LA, MemorySegment.ofArray(d));
                    moved = true;
                }
            }
            now = Math.max(now + 1, Math.min(a.nextDeadline(), b.nextDeadline()));
        }
        assertTrue(consentFromA.size() > 25, consentFromA::toString);
        long min = Long.MAX_VALUE;
        long max = 0;
        long minWhileSilent = Long.MAX_VALUE;
        for (int i = 2; i < consentFromA.size(); i++) {
            long gap = consentFromA.get(i) - consentFromA.get(i - 1);
            min = Math.min(min, gap);
            max = Math.max(max, gap);
            if (consentFromA.get(i - 1) >= silentFrom) {
                minWhileSilent = Math.min(minWhileSilent, gap);
            }
        }
        assertTrue(min >= 4000 * MS && max <= 6000 * MS, "gaps " + min / MS + ".." + max / MS + " ms");
        assertTrue(max - min > 500 * MS, "consent intervals are not randomised");
        assertTrue(minWhileSilent >= 4000 * MS && minWhileSilent < Long.MAX_VALUE, "unanswered checks come no sooner: "
                + minWhileSilent / MS + " ms");
        long expired = disconnectedAt - lastAnswer;
        assertTrue(expired >= 30_000 * MS && expired <= 30_000 * MS + 50 * MS, "consent lost 30 s after the last answer, not "
                + expired / MS + " ms");
    }

    @Test
    void anAnswerThatComesTwiceIsCountedAsLateNotUnknown() {
        // Every answer B gives, to A's checks and to its consent checks, reaches A twice, as when a retransmitted
        // request is answered twice or an answer is replayed: the second is a late answer, not a stranger's.
        IceAgent a = IceNode.seededAgent(IceConfig.defaults(), true, 21);
        IceAgent b = IceNode.seededAgent(IceConfig.defaults(), false, 22);
        IceNode.introduce(a, LA, b, LB);
        StunMessage m = new StunMessage();
        int duplicated = 0;
        int duplicatedConsent = 0;
        long now = 0;
        while (now < 30_000 * MS) {
            a.handleTimeout(now);
            b.handleTimeout(now);
            boolean moved = true;
            while (moved) {
                moved = false;
                StunTransmit t;
                while ((t = a.pollTransmit()) != null) {
                    b.handleReceive(now, LA, LB, MemorySegment.ofArray(t.toByteArray()));
                    moved = true;
                }
                while ((t = b.pollTransmit()) != null) {
                    byte[] d = t.toByteArray();
                    m.wrap(MemorySegment.ofArray(d));
                    boolean answer = m.isSuccessResponse();
                    boolean consent = answer && a.state() == IceConnectionState.CONNECTED;
                    a.handleReceive(now, LB, LA, MemorySegment.ofArray(d));
                    if (answer) {
                        a.handleReceive(now, LB, LA, MemorySegment.ofArray(d));
                        duplicated++;
                        duplicatedConsent += consent ? 1 : 0;
                    }
                    moved = true;
                }
            }
            now = Math.max(now + 1, Math.min(a.nextDeadline(), b.nextDeadline()));
        }
        assertEquals(IceConnectionState.CONNECTED, a.state());
        assertTrue(duplicatedConsent >= 4, "consent checks were answered twice too: " + duplicatedConsent);
        assertEquals(duplicated, a.dropped(IceDropReason.LATE_RESPONSE));
        assertEquals(0, a.dropped(IceDropReason.UNKNOWN_TRANSACTION));
    }
}
