package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import java.lang.foreign.MemorySegment;

/**
 * The new parsers of what a stranger or a server sends: a TCP connection's bytes through the deframer (both
 * framings, in arbitrary pieces), and arbitrary datagrams from a TURN server to an allocated TURN client. Neither
 * throws; frames stay within their limit; the agent's deadline stays ahead and what it sends is well-formed.
 */
class ReachFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void deframingArbitraryStreamsNeverThrows(FuzzedDataProvider data) {
        Transport transport = data.consumeBoolean() ? Transport.TCP : Transport.TURN_TCP;
        int max = data.consumeInt(20, 2048);
        StreamDeframer d = StreamDeframer.of(transport, max);
        while (data.remainingBytes() > 0) {
            byte[] piece = data.consumeBytes(data.consumeInt(1, 3000));
            d.push(MemorySegment.ofArray(piece), 0, Math.min(piece.length, d.buffer().remaining()));
            while (d.next()) {
                assertTrue(d.frameLength() <= max + Stun.CHANNEL_DATA_HEADER, "a frame over the limit came out");
                assertTrue(d.frameOffset() + d.frameLength() <= d.segment().byteSize());
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void aTurnServerSendingAnythingNeverBreaksTheClient(FuzzedDataProvider data) {
        TurnClientTest.Manual x = new TurnClientTest.Manual();
        x.allocate();
        x.agent.setRemoteCredentials("peerufrag", "peerpasswordpeerpassword");
        x.agent.addRemoteCandidate(Candidate.host(new java.net.InetSocketAddress("10.0.1.1", 6000)));
        StunMessage sent = new StunMessage();
        int rounds = data.consumeInt(1, 16);
        for (int i = 0; i < rounds && data.remainingBytes() > 0; i++) {
            x.now += data.consumeLong(0, 400_000_000_000L);
            byte[] datagram = data.consumeBytes(data.consumeInt(0, 700));
            RelayedDatagram r = x.receive(datagram);
            if (r != null) {
                assertTrue(r.offset() >= 0 && r.offset() + r.length() <= datagram.length, "a view outside the datagram");
            }
            x.agent.handleTimeout(x.now);
            assertTrue(x.agent.nextDeadline() >= x.now, "deadline in the past");
            for (StunTransmit t; (t = x.agent.pollTransmit()) != null; ) {
                int first = t.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) & 0xFF;
                assertTrue(first >= 0x40 || sent.wrap(t.segment(), 0, t.length()), "the agent sent malformed STUN");
            }
            while (x.agent.pollEvent() != null) {
                // drain
            }
        }
    }
}
