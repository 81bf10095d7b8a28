package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.sctp.internal.SctpPacket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DCEP messages from the network that cannot or must not be answered are counted and ignored, never
 * thrown; what a peer can make us hold (channels, labels) is capped.
 */
@ExtendWith(SeedExtension.class)
class DataChannelsTest {
    static final long MS = 1_000_000L;

    /** A DATA_CHANNEL_OPEN for a reliable, ordered channel. */
    static byte[] open(String label) {
        return open(label, "");
    }

    static byte[] open(String label, String protocol) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        byte[] p = protocol.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(12 + l.length + p.length).put((byte) 0x03).put((byte) 0x00).putShort((short) 0).putInt(0)
                .putShort((short) l.length).putShort((short) p.length).put(l).put(p).array();
    }

    private static List<DataChannelEvent> opens(ScriptedPeer peer) {
        return peer.channelEvents.stream().filter(e -> e instanceof DataChannelEvent.Open).toList();
    }

    /** DCEP ACKs the association sent (DATA with PPID 50 and message type 0x02). */
    private static long acksSent(ScriptedPeer peer) {
        return peer.sentChunks(SctpPacket.DATA).stream()
                .filter(c -> BigEndian.u32(c.value(), 8) == DataChannels.PPID_DCEP && c.value()[12] == 0x02).count();
    }

    private static void peerOpens(ScriptedPeer peer, int id, byte[] open) {
        peer.channels.handle(MS, new SctpEvent.Message(id, DataChannels.PPID_DCEP, open));
        peer.collect(MS);
    }

    @Test
    void anOpenThatCannotBeAnsweredIsIgnoredAndCounted() {
        SctpAssociation notUp = new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(3));
        DataChannels channels = new DataChannels(notUp, true);
        channels.handle(0, new SctpEvent.Message(1, DataChannels.PPID_DCEP, open("early")));
        assertNull(channels.pollEvent(), "no channel opens when its ACK cannot be sent");
        assertEquals(1, channels.dropped(DataChannelDropReason.CANNOT_ANSWER));
    }

    @Test
    void anOpenOnAStreamTheAssociationDoesNotHaveIsIgnored() {
        SctpAssociation notUp = new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(3));
        DataChannels channels = new DataChannels(notUp, true);
        channels.handle(0, new SctpEvent.Message(SctpConfig.defaults().streams() + 5, DataChannels.PPID_DCEP, open("far")));
        assertNull(channels.pollEvent());
        assertEquals(1, channels.ignored());
    }

    @Test
    void anOpenForAnIdAlreadyOpenIsRefusedAndCounted(@Seed long seed) {
        ScriptedPeer peer = SctpHostilePeerTest.established(seed, SctpConfig.defaults());
        peerOpens(peer, 1, open("first"));
        peerOpens(peer, 1, open("again"));
        assertEquals(List.of(new DataChannelEvent.Open(1, "first", "", true)), opens(peer), "the open channel is left as it is");
        assertEquals(1, peer.channels.dropped(DataChannelDropReason.ALREADY_OPEN));
        assertEquals(1, acksSent(peer), "one ACK, for the first OPEN");
    }

    @Test
    void aRepeatedAckOpensNothingTwice(@Seed long seed) {
        ScriptedPeer peer = SctpHostilePeerTest.established(seed, SctpConfig.defaults());
        int id = peer.channels.open(MS, "ours", "", true);
        peerOpens(peer, id, new byte[] {0x02});
        peerOpens(peer, id, new byte[] {0x02});
        assertEquals(List.of(new DataChannelEvent.Open(id, "ours", "", true)), opens(peer), "one ACK opens the channel once");
        assertEquals(1, peer.channels.dropped(DataChannelDropReason.UNEXPECTED_ACK));
    }

    @Test
    void labelsAndProtocolsLongerThanTheCapAreRefused(@Seed long seed) {
        ScriptedPeer peer = SctpHostilePeerTest.established(seed, SctpConfig.defaults().withMaxLabelBytes(8));
        peerOpens(peer, 1, open("123456789"));
        peerOpens(peer, 3, open("ok", "protocol!"));
        peerOpens(peer, 5, open("12345678", "json"));
        assertEquals(List.of(new DataChannelEvent.Open(5, "12345678", "json", true)), opens(peer));
        assertEquals(2, peer.channels.dropped(DataChannelDropReason.LABEL_TOO_LONG));
        IllegalArgumentException ours = assertThrows(IllegalArgumentException.class,
                () -> peer.channels.open(MS, "much too long", "", true));
        assertTrue(ours.getMessage().contains("maxLabelBytes"), ours.getMessage());
    }

    @Test
    void channelsBeyondTheCapAreRefused(@Seed long seed) {
        ScriptedPeer peer = SctpHostilePeerTest.established(seed, SctpConfig.defaults().withMaxChannels(2));
        peerOpens(peer, 1, open("a"));
        peerOpens(peer, 3, open("b"));
        peerOpens(peer, 5, open("c"));
        assertEquals(2, opens(peer).size());
        assertEquals(1, peer.channels.dropped(DataChannelDropReason.TOO_MANY_CHANNELS));
        assertEquals(2, peer.channels.openChannels());
        IllegalStateException ours = assertThrows(IllegalStateException.class, () -> peer.channels.open(MS, "d", "", true));
        assertTrue(ours.getMessage().contains("maxChannels"), ours.getMessage());
    }

    @Test
    void aStreamResetArrivingAfterTheAssociationClosedIsNotThrown(@Seed long seed) {
        ScriptedPeer peer = SctpHostilePeerTest.established(seed, SctpConfig.defaults());
        peerOpens(peer, 1, open("chat"));
        peer.sctp.abort("the application went away");
        // the peer's reset was reported before the close, and is handled after it
        assertDoesNotThrow(() -> peer.channels.handle(2 * MS, new SctpEvent.StreamsReset(new int[] {1})));
    }
}
