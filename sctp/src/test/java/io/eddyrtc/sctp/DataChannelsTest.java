package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DCEP messages from the network that cannot be answered are counted and ignored, never thrown. */
class DataChannelsTest {

    private static byte[] open(String label) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(12 + l.length).put((byte) 0x03).put((byte) 0x00).putShort((short) 0).putInt(0)
                .putShort((short) l.length).putShort((short) 0).put(l).array();
    }

    @Test
    void anOpenThatCannotBeAnsweredIsIgnoredAndCounted() {
        SctpAssociation notUp = new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(3));
        DataChannels channels = new DataChannels(notUp, true);
        channels.handle(0, new SctpEvent.Message(1, DataChannels.PPID_DCEP, open("early")));
        assertNull(channels.pollEvent(), "no channel opens when its ACK cannot be sent");
        assertEquals(1, channels.ignored());
    }

    @Test
    void anOpenOnAStreamTheAssociationDoesNotHaveIsIgnored() {
        SctpAssociation notUp = new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(3));
        DataChannels channels = new DataChannels(notUp, true);
        channels.handle(0, new SctpEvent.Message(SctpConfig.defaults().streams() + 5, DataChannels.PPID_DCEP, open("far")));
        assertNull(channels.pollEvent());
        assertEquals(1, channels.ignored());
    }
}
