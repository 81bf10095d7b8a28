package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.sctp.internal.SctpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A peer that knows the verification tag (it made the association) and sends what no honest stack would:
 * each hostile packet is dropped and counted or, where RFC 9260 says so, answered with an ABORT; nothing is
 * thrown, nothing half-applied, nothing held beyond the caps, nothing sent above the MTU.
 */
@ExtendWith(SeedExtension.class)
class SctpHostilePeerTest {
    static final long MS = 1_000_000L;
    static final long PEER_TAG = 0x5EED_7A90L;
    static final long PEER_TSN = 0xFFFF_FF00L; // the TSNs wrap past 2^32 during the tests
    static final int WHOLE = SctpPacket.DATA_BEGIN | SctpPacket.DATA_END;

    static ScriptedPeer established(long seed, SctpConfig config) {
        return new ScriptedPeer(new SctpAssociation(config, new SplittableRandom(seed)), PEER_TAG, PEER_TSN).establish(0);
    }

    /** Sends {@code chunks} fifty to a packet. */
    static void sendBundled(ScriptedPeer peer, long now, List<byte[]> chunks) {
        for (int from = 0; from < chunks.size(); from += 50) {
            peer.receive(now, peer.packet(chunks.subList(from, Math.min(chunks.size(), from + 50)).toArray(new byte[0][])));
        }
    }

    static void assertEverythingSentFits(ScriptedPeer peer, int mtu) {
        for (byte[] p : peer.sent) {
            assertTrue(p.length <= mtu, "a packet of " + p.length + " bytes, above the MTU of " + mtu);
        }
    }

    @Test
    void aDataChunkWithoutUserDataAbortsWithNoUserData(@Seed long seed) {
        ScriptedPeer peer = established(seed, SctpConfig.defaults());
        peer.receive(MS, peer.packet(peer.data(0, 1, 0, 51, WHOLE, new byte[0])));
        ScriptedPeer.Chunk abort = peer.lastSent(SctpPacket.ABORT);
        assertNotNull(abort, "RFC 9260 §6.2: the receiver of an empty DATA chunk aborts");
        assertEquals(9, BigEndian.u16(abort.value(), 0), "error cause: No User Data");
        assertEquals(8, BigEndian.u16(abort.value(), 2));
        assertEquals(PEER_TSN, BigEndian.u32(abort.value(), 4), "the cause names the TSN");
        assertTrue(peer.sctp.isClosed());
        assertEquals(1, peer.sctp.dropped(SctpDropReason.NO_USER_DATA));
        assertTrue(peer.events.stream().noneMatch(e -> e instanceof SctpEvent.Message), "nothing delivered");
    }

    @Test
    void fragmentsHeldForReassemblyAreCappedByCountNotOnlyByBytes(@Seed long seed) {
        SctpConfig config = SctpConfig.defaults();
        ScriptedPeer peer = established(seed, config);
        // 6000 one-byte middle fragments above a missing first TSN: 6000 bytes, far inside the window, but
        // each costs a map entry and an object
        List<byte[]> chunks = new ArrayList<>();
        for (int offset = 1; offset <= 6000; offset++) {
            chunks.add(peer.data(offset, 1, 0, 53, 0, new byte[] {1}));
        }
        sendBundled(peer, MS, chunks);
        assertTrue(peer.sctp.receiveBufferedFragments() <= config.maxPendingFragments(),
                "held " + peer.sctp.receiveBufferedFragments() + " fragments, cap " + config.maxPendingFragments());
        assertEquals(6000 - config.maxPendingFragments(), peer.sctp.dropped(SctpDropReason.BUFFER_FULL));
        // the chunk next in order still gets in: a full buffer never refuses what would drain it
        peer.receive(2 * MS, peer.packet(peer.message(0, 2, 0, 53, false, new byte[] {7})));
        assertTrue(peer.events.stream().anyMatch(e -> e instanceof SctpEvent.Message m && m.stream() == 2));
        assertEverythingSentFits(peer, config.mtu());
    }

    @Test
    void inOrderFragmentsThatNeverCompleteAreCappedToo(@Seed long seed) {
        SctpConfig config = SctpConfig.defaults();
        ScriptedPeer peer = established(seed, config);
        // every TSN in order, so the cumulative TSN keeps moving, but no fragment begins a message
        List<byte[]> chunks = new ArrayList<>();
        for (int offset = 0; offset < 3 * config.maxPendingFragments(); offset++) {
            chunks.add(peer.data(offset, 1, 0, 53, 0, new byte[] {1}));
        }
        sendBundled(peer, MS, chunks);
        assertTrue(peer.sctp.receiveBufferedFragments() <= 2 * config.maxPendingFragments(),
                "held " + peer.sctp.receiveBufferedFragments() + ": the next chunk in order has one cap of reserve, no more");
        assertTrue(peer.sctp.dropped(SctpDropReason.BUFFER_FULL) > 0);
    }

    @Test
    void messagesCompleteAmongTensOfThousandsOfUnfinishedOnes(@Seed long seed) {
        int junk = 10_900; // three TSNs each: within the 32768 a peer may run ahead
        ScriptedPeer peer = established(seed, SctpConfig.defaults().withMaxPendingFragments(30_000));
        List<byte[]> begins = new ArrayList<>();
        List<byte[]> firstHalves = new ArrayList<>();
        List<byte[]> secondHalves = new ArrayList<>();
        int unordered = SctpPacket.DATA_UNORDERED;
        for (int i = 0; i < junk; i++) {
            // the first fragment of a message that never ends, above a missing first TSN ...
            begins.add(peer.data(3L * i + 1, 1, 0, 53, SctpPacket.DATA_BEGIN | unordered, new byte[] {1}));
            // ... and after it a message of two fragments, whole once its second half arrives
            firstHalves.add(peer.data(3L * i + 2, 1, 0, 53, SctpPacket.DATA_BEGIN | unordered, new byte[] {2}));
            secondHalves.add(peer.data(3L * i + 3, 1, 0, 53, SctpPacket.DATA_END | unordered, new byte[] {3}));
        }
        // how the work per message grows with what is held is ReassemblyWorkTest's: here, that they all come out
        sendBundled(peer, MS, begins);
        sendBundled(peer, MS, firstHalves);
        sendBundled(peer, 2 * MS, secondHalves);
        List<SctpEvent> messages = peer.events.stream().filter(e -> e instanceof SctpEvent.Message).toList();
        assertEquals(junk, messages.size());
        assertArrayEquals(new byte[] {2, 3}, ((SctpEvent.Message) messages.getFirst()).data(), "each message its two halves");
        assertEquals(junk, peer.sctp.receiveBufferedFragments(), "the unfinished fragments are still held, within the cap");
    }

    @Test
    void aSackGapThatEndsBeforeItStartsIsDroppedWhole(@Seed long seed) {
        ScriptedPeer peer = established(seed, SctpConfig.defaults());
        peer.sctp.send(MS, 1, 53, new byte[100], true);
        peer.collect(MS);
        assertEquals(100, peer.sctp.bufferedAmount());
        byte[] bad = ScriptedPeer.sack(peer.associationInitialTsn, 1 << 20, new int[][] {{5, 2}});
        assertDoesNotThrow(() -> peer.receive(2 * MS, peer.packet(bad)));
        assertEquals(1, peer.sctp.dropped(SctpDropReason.MALFORMED));
        assertEquals(100, peer.sctp.bufferedAmount(), "not half-applied: its cumulative ack was not taken either");
        peer.receive(3 * MS, peer.packet(ScriptedPeer.sack(peer.associationInitialTsn, 1 << 20, new int[0][])));
        assertEquals(0, peer.sctp.bufferedAmount(), "a well-formed SACK still acknowledges");
    }

    @Test
    void aHeartbeatTooLargeToEchoIsDroppedAndASmallOneIsAnswered(@Seed long seed) {
        SctpConfig config = SctpConfig.defaults();
        ScriptedPeer peer = established(seed, config);
        byte[] huge = new byte[config.mtu()];
        BigEndian.putU16(huge, 0, 1);               // Heartbeat Info parameter
        BigEndian.putU16(huge, 2, huge.length);
        peer.receive(MS, peer.packet(ScriptedPeer.chunk(SctpPacket.HEARTBEAT, huge)));
        assertNull(peer.lastSent(SctpPacket.HEARTBEAT_ACK), "echoing it would exceed the MTU");
        assertEquals(1, peer.sctp.dropped(SctpDropReason.OVERSIZED));
        byte[] small = new byte[] {0, 1, 0, 8, 1, 2, 3, 4};
        peer.receive(2 * MS, peer.packet(ScriptedPeer.chunk(SctpPacket.HEARTBEAT, small)));
        assertArrayEquals(small, peer.lastSent(SctpPacket.HEARTBEAT_ACK).value(), "echoed as it came");
        assertEverythingSentFits(peer, config.mtu());
    }

    @Test
    void sacksFitTheMtuHoweverManyGapsAndDuplicates(@Seed long seed) {
        SctpConfig config = SctpConfig.defaults().withMtu(256);
        ScriptedPeer peer = established(seed, config);
        List<byte[]> chunks = new ArrayList<>();
        for (int offset = 1; offset < 400; offset += 2) { // 200 gaps
            chunks.add(peer.message(offset, 1, 0, 53, false, new byte[] {3}));
        }
        sendBundled(peer, MS, chunks);
        sendBundled(peer, 2 * MS, chunks); // and all of it again: 200 duplicates
        ScriptedPeer.Chunk sack = peer.lastSent(SctpPacket.SACK);
        assertTrue(BigEndian.u16(sack.value(), 8) > 0 && BigEndian.u16(sack.value(), 10) > 0, "gaps and duplicates reported");
        assertEverythingSentFits(peer, config.mtu());
    }

    @Test
    void aForwardTsnNamingManyStreamsFitsTheMtu(@Seed long seed) {
        SctpConfig config = SctpConfig.defaults().withMtu(256);
        ScriptedPeer peer = established(seed, config);
        for (int stream = 0; stream < 100; stream++) { // one ordered message per stream, given up at its first retransmission
            peer.sctp.send(MS, stream, 53, new byte[8], true, 0, -1);
        }
        peer.collect(MS);
        peer.timeout(2_000 * MS); // nothing was acknowledged: T3 gives all of them up
        List<ScriptedPeer.Chunk> forwards = peer.sentChunks(SctpPacket.FORWARD_TSN);
        assertFalse(forwards.isEmpty(), "the peer is told to skip them");
        assertEverythingSentFits(peer, config.mtu());
        long skippedTo = BigEndian.u32(forwards.getFirst().value(), 0);
        peer.receive(2_001 * MS, peer.packet(ScriptedPeer.sack(skippedTo, 1 << 20, new int[0][])));
        peer.timeout(2_002 * MS);
        assertTrue(peer.sentChunks(SctpPacket.FORWARD_TSN).size() > forwards.size(), "the rest follows in the next FORWARD-TSN");
        assertEverythingSentFits(peer, config.mtu());
    }

    @Test
    void aReconfigBundledBeforeAnAbortIsNotHalfApplied(@Seed long seed) {
        ScriptedPeer peer = established(seed, SctpConfig.defaults());
        peer.receive(MS, peer.packet(peer.data(0, 1, 0, DataChannels.PPID_DCEP, WHOLE, DataChannelsTest.open("chat"))));
        assertTrue(peer.channelEvents.contains(new DataChannelEvent.Open(1, "chat", "", true)));
        int sentBefore = peer.sent.size();
        byte[] reset = peer.resetRequest(PEER_TSN, 0, 1);
        byte[] abort = ScriptedPeer.chunk(SctpPacket.ABORT, new byte[0]);
        assertDoesNotThrow(() -> peer.receive(2 * MS, peer.packet(reset, abort)), "the data channels above never see a reset they cannot answer");
        assertTrue(peer.sctp.isClosed());
        assertTrue(peer.events.stream().noneMatch(e -> e instanceof SctpEvent.StreamsReset), "the reset was not applied");
        assertEquals(sentBefore, peer.sent.size(), "nothing answered to a peer that aborted");
        assertEquals(1, peer.sctp.dropped(SctpDropReason.CLOSED), "the RE-CONFIG counted as dropped");
    }

    @Test
    void anInitWithTagZeroOrBundledStopsItsPacket(@Seed long seed) {
        ScriptedPeer peer = established(seed, SctpConfig.defaults());
        byte[] abort = ScriptedPeer.chunk(SctpPacket.ABORT, new byte[0]);
        // a packet with verification tag 0 passes the tag check only because it starts with INIT: what
        // follows must not reach the association
        peer.receive(MS, SctpPacket.encode(ScriptedPeer.PORT, 0, ScriptedPeer.init(0, 1), abort));
        assertTrue(peer.sctp.isEstablished(), "an ABORT behind an INIT with tag 0 is not processed");
        peer.receive(MS, SctpPacket.encode(ScriptedPeer.PORT, 0, ScriptedPeer.init(77, 1), abort));
        assertTrue(peer.sctp.isEstablished(), "INIT is never bundled (RFC 9260 §6.10): nothing after it is processed");
        assertEquals(2, peer.sctp.dropped(SctpDropReason.MALFORMED));
    }

    @Test
    void dataOnAStreamWeDoNotHaveIsRefusedButAcknowledged(@Seed long seed) {
        SctpConfig config = SctpConfig.defaults();
        ScriptedPeer peer = established(seed, config);
        peer.receive(MS, peer.packet(peer.message(0, config.streams() + 7, 0, 53, true, new byte[] {1})));
        assertEquals(1, peer.sctp.dropped(SctpDropReason.INVALID_STREAM));
        assertTrue(peer.events.stream().noneMatch(e -> e instanceof SctpEvent.Message));
        peer.receive(2 * MS, peer.packet(peer.message(1, 3, 0, 53, true, new byte[] {2})));
        assertTrue(peer.events.stream().anyMatch(e -> e instanceof SctpEvent.Message m && m.stream() == 3),
                "its TSN counts as received, so the next message is not held behind it");
        peer.timeout(500 * MS);
        assertEquals((PEER_TSN + 1) & 0xFFFF_FFFFL, BigEndian.u32(peer.lastSent(SctpPacket.SACK).value(), 0));
    }

    @Test
    void theVerificationTagAndInitialTsnComeFromTheCallersSource(@Seed long seed) {
        byte[] first = initOf(new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(seed)));
        byte[] again = initOf(new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(seed)));
        assertArrayEquals(first, again, "a seeded source (tests, simulations) replays exactly");
        SplittableRandom source = new SplittableRandom(seed);
        source.nextBytes(new byte[32]); // the cookie key comes first
        long tag;
        do {
            tag = source.nextInt() & 0xFFFF_FFFFL;
        } while (tag == 0); // 0 is no tag (RFC 9260 §3.3.2): drawn again
        long tsn = source.nextInt() & 0xFFFF_FFFFL;
        ScriptedPeer.Chunk init = ScriptedPeer.chunks(first).getFirst();
        assertEquals(tag, BigEndian.u32(init.value(), 0), "the tag is the source's draw");
        assertEquals(tsn, BigEndian.u32(init.value(), 12), "and so is the initial TSN");
        byte[] secure = initOf(new SctpAssociation(SctpConfig.defaults(), new java.security.SecureRandom()));
        assertNotEquals(BigEndian.u32(init.value(), 0), BigEndian.u32(ScriptedPeer.chunks(secure).getFirst().value(), 0));
    }

    private static byte[] initOf(SctpAssociation sctp) {
        sctp.connect(0);
        return Packets.poll(sctp);
    }
}
