package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Hostile and odd input to one agent: each case is dropped or answered as RFC 8445/8489 say, and counted. */
class IceAgentInputTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress REMOTE = new InetSocketAddress("10.0.0.2", 6000);
    static final InetSocketAddress STRANGER = new InetSocketAddress("10.9.9.9", 7777);
    static final String LUFRAG = "locl";
    static final String LPWD = "localpasswordlocalpassword";
    static final String RUFRAG = "remo";
    static final String RPWD = "remotepasswordremotepassword";

    final IceAgent agent = IceNode.seededAgent(IceConfig.defaults(), false, 1);
    final HmacSha1 mac = new HmacSha1();
    final StunMessage parsed = new StunMessage();

    IceAgentInputTest() {
        agent.setLocalCredentials(LUFRAG, LPWD);
        agent.setRemoteCredentials(RUFRAG, RPWD);
        agent.addLocalCandidate(Candidate.host(LOCAL));
        agent.addRemoteCandidate(Candidate.host(REMOTE));
        agent.setTieBreaker(1000);
    }

    byte[] request(String username, String pwd, Consumer<StunWriter> extra, boolean fingerprint) {
        byte[] out = new byte[512];
        StunWriter w = new StunWriter();
        w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_REQUEST, 0x01020304, 0x05060708090a0b0cL);
        w.addBytes(Stun.USERNAME, username.getBytes(StandardCharsets.UTF_8)).addPriority(0x6e0001ffL);
        extra.accept(w);
        if (pwd != null) {
            w.addMessageIntegrity(mac, pwd.getBytes(StandardCharsets.UTF_8));
        }
        if (fingerprint) {
            w.addFingerprint();
        }
        return Arrays.copyOf(out, w.length());
    }

    byte[] validRequest(Consumer<StunWriter> extra) {
        return request(LUFRAG + ":" + RUFRAG, LPWD, extra, true);
    }

    boolean feed(InetSocketAddress from, byte[] datagram) {
        return agent.handleReceive(0, from, LOCAL, MemorySegment.ofArray(datagram));
    }

    StunTransmit onlyTransmit() {
        StunTransmit t = agent.pollTransmit();
        assertNotNull(t, "expected a response");
        byte[] copy = t.toByteArray();
        assertNull(agent.pollTransmit(), "expected exactly one datagram");
        assertTrue(parsed.wrap(MemorySegment.ofArray(copy)));
        return t;
    }

    @Test
    void aValidCheckIsAnsweredWithItsSourceAddress() {
        assertTrue(feed(REMOTE, validRequest(w -> w.addIceControlling(5))));
        StunTransmit t = onlyTransmit();
        assertEquals(REMOTE, t.destination());
        assertEquals(LOCAL, t.source());
        assertTrue(parsed.isSuccessResponse());
        assertEquals(0x01020304, parsed.transactionHigh());
        assertTrue(parsed.verifyIntegrity(mac, LPWD.getBytes()));
        assertTrue(parsed.verifyFingerprint());
        assertEquals(6000, parsed.mappedPort());
        assertEquals(0, agent.droppedTotal());
    }

    @Test
    void nonStunIsNotTheAgents() {
        byte[] dtls = new byte[40];
        dtls[0] = 22;
        assertFalse(feed(REMOTE, dtls));
        assertFalse(IceAgent.accepts(MemorySegment.ofArray(dtls)));
        assertFalse(feed(REMOTE, new byte[3]));
        assertTrue(IceAgent.accepts(MemorySegment.ofArray(validRequest(w -> { }))));
    }

    @Test
    void wrongUsernameIsDropped() {
        assertTrue(feed(REMOTE, request("other:" + RUFRAG, LPWD, w -> { }, true)));
        assertNull(agent.pollTransmit());
        assertEquals(1, agent.dropped(IceDropReason.WRONG_USERNAME));
    }

    @Test
    void badIntegrityIsDropped() {
        assertTrue(feed(REMOTE, request(LUFRAG + ":" + RUFRAG, "not the password at all!", w -> { }, true)));
        assertNull(agent.pollTransmit());
        assertEquals(1, agent.dropped(IceDropReason.BAD_INTEGRITY));
    }

    @Test
    void missingIntegrityIsDropped() {
        assertTrue(feed(REMOTE, request(LUFRAG + ":" + RUFRAG, null, w -> { }, true)));
        assertNull(agent.pollTransmit());
        assertEquals(1, agent.dropped(IceDropReason.MISSING_INTEGRITY));
    }

    @Test
    void badFingerprintIsDropped() {
        byte[] r = validRequest(w -> { });
        r[r.length - 1] ^= 1;
        assertTrue(feed(REMOTE, r));
        assertNull(agent.pollTransmit());
        assertEquals(1, agent.dropped(IceDropReason.BAD_FINGERPRINT));
    }

    @Test
    void aModifiedAuthenticatedByteIsDropped() {
        byte[] r = request(LUFRAG + ":" + RUFRAG, LPWD, w -> { }, false);
        r[r.length - 26] ^= 0x40; // a PRIORITY value byte, covered by the MAC
        assertTrue(feed(REMOTE, r));
        assertEquals(1, agent.dropped(IceDropReason.BAD_INTEGRITY));
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420() {
        assertTrue(feed(REMOTE, validRequest(w -> w.addBytes(0x0077, new byte[] {1, 2, 3}))));
        onlyTransmit();
        assertTrue(parsed.isErrorResponse());
        assertEquals(420, parsed.errorCode());
        int at = parsed.find(Stun.UNKNOWN_ATTRIBUTES);
        assertEquals(0x0077, io.eddyrtc.buffers.BigEndian.u16(parsed.segment(), at));
        assertEquals(1, agent.dropped(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED));
    }

    @Test
    void chromesNetworkCostAndOtherOptionalAttributesAreIgnored() {
        assertTrue(feed(REMOTE, validRequest(w -> w.addBytes(Stun.NETWORK_COST, new byte[] {0, 1, 0, 10})
                .addBytes(0xC060, new byte[] {9}))));
        onlyTransmit();
        assertTrue(parsed.isSuccessResponse());
    }

    @Test
    void truncatedAttributeIsMalformed() {
        byte[] r = validRequest(w -> { });
        r[22] = 0x7F; // USERNAME length far past the end
        assertTrue(feed(REMOTE, r));
        assertEquals(1, agent.dropped(IceDropReason.MALFORMED));
        assertNull(agent.pollTransmit());
    }

    @Test
    void responseToAnUnknownTransactionIsDropped() {
        byte[] out = new byte[128];
        StunWriter w = new StunWriter();
        w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_SUCCESS, 7, 8)
                .addXorMappedAddress(new byte[] {10, 0, 0, 1}, 5000)
                .addMessageIntegrity(mac, RPWD.getBytes())
                .addFingerprint();
        assertTrue(feed(REMOTE, Arrays.copyOf(out, w.length())));
        assertEquals(1, agent.dropped(IceDropReason.UNKNOWN_TRANSACTION));
    }

    @Test
    void validCheckFromAnUnknownAddressBecomesPeerReflexive() {
        assertTrue(feed(STRANGER, validRequest(w -> w.addIceControlling(5))));
        onlyTransmit();
        assertEquals(7777, parsed.mappedPort());
        IceEvent e = agent.pollEvent();
        while (e != null && !(e instanceof IceEvent.NewPeerReflexiveCandidate)) {
            e = agent.pollEvent();
        }
        IceEvent.NewPeerReflexiveCandidate prflx = assertInstanceOf(IceEvent.NewPeerReflexiveCandidate.class, e);
        assertEquals(STRANGER, prflx.candidate().address());
        assertEquals(0x6e0001ffL, prflx.candidate().priority(), "priority from the PRIORITY attribute");
        assertEquals(2, agent.pairs().size());
    }

    @Test
    void roleConflictAgainstAHigherTieBreakerIsAnswered487ByTheControllingSide() {
        IceAgent controlling = IceNode.seededAgent(IceConfig.defaults(), true, 2);
        controlling.setLocalCredentials(LUFRAG, LPWD);
        controlling.setRemoteCredentials(RUFRAG, RPWD);
        controlling.addLocalCandidate(Candidate.host(LOCAL));
        controlling.setTieBreaker(-1); // the largest unsigned value: we win
        controlling.handleReceive(0, REMOTE, LOCAL, MemorySegment.ofArray(validRequest(w -> w.addIceControlling(5))));
        StunTransmit t = controlling.pollTransmit();
        assertTrue(parsed.wrap(MemorySegment.ofArray(t.toByteArray())));
        assertEquals(487, parsed.errorCode());
        assertTrue(controlling.isControlling());
        assertEquals(1, controlling.dropped(IceDropReason.ROLE_CONFLICT));
    }

    @Test
    void closedAgentDropsEverything() {
        agent.close();
        assertTrue(feed(REMOTE, validRequest(w -> { })));
        assertNull(agent.pollTransmit());
        assertEquals(1, agent.dropped(IceDropReason.CLOSED));
        assertEquals(Long.MAX_VALUE, agent.nextDeadline());
    }

    @Test
    void apiMisuseThrowsWithAHint() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> agent.setRemoteCredentials("ab", "short"));
        assertTrue(e.getMessage().contains("RFC 8839"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> IceNode.seededAgent(IceConfig.defaults().withLite(true), true, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> agent.addLocalCandidate(Candidate.parse("candidate:1 1 udp 1 10.0.0.5 5 typ host")));
    }
}
