package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Data channels (DCEP, RFC 8832) between eddy's {@link DataChannels} and usrsctp. usrsctp has no DCEP of its
 * own, so the test speaks DCEP on the usrsctp side by hand, straight from the RFC's message layout — an
 * encoding independent of eddy's. Both directions: usrsctp opens a channel eddy accepts, and eddy opens a
 * partially reliable unordered channel whose OPEN usrsctp receives and acknowledges.
 */
class UsrSctpDcepInteropTest {
    static final long MS = 1_000_000L;
    static final int PPID_DCEP = 50;
    static final int PPID_STRING = 51;
    static final int PPID_BINARY = 53;

    /** {@link UsrSctpInteropTest#run} with eddy's SCTP messages fed to its data channels, their events collected. */
    private static long run(SctpAssociation eddy, DataChannels channels, UsrSctp usrsctp, long now, int rounds,
            List<DataChannelEvent> events) throws Throwable {
        long end = UsrSctpInteropTest.run(eddy, usrsctp, now, rounds, (e, at) -> {
            if (e instanceof SctpEvent.Message m) {
                channels.handle(at, m);
            }
            for (DataChannelEvent c; (c = channels.pollEvent()) != null; ) {
                events.add(c instanceof DataChannelEvent.Message m ? m.copy() : c); // messages are lent
            }
        });
        for (DataChannelEvent c; (c = channels.pollEvent()) != null; ) {
            events.add(c instanceof DataChannelEvent.Message m ? m.copy() : c);
        }
        return end;
    }

    /** DATA_CHANNEL_OPEN per RFC 8832 §5.1. */
    private static byte[] open(int channelType, int priority, long reliability, String label, String protocol) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        byte[] p = protocol.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(12 + l.length + p.length).put((byte) 0x03).put((byte) channelType).putShort((short) priority)
                .putInt((int) reliability).putShort((short) l.length).putShort((short) p.length).put(l).put(p).array();
    }

    /** eddy initiates (as the DTLS client's side does in the Rtc); usrsctp listens. */
    private static SctpAssociation connected(UsrSctp usrsctp) throws Throwable {
        usrsctp.listen();
        SctpAssociation eddy = new SctpAssociation(SctpConfig.defaults(), new SecureRandom());
        eddy.connect(0);
        return eddy;
    }

    @Test
    void usrsctpOpensAChannelEddyAccepts() throws Throwable {
        try (UsrSctp usrsctp = new UsrSctp()) {
            List<DataChannelEvent> events = new ArrayList<>();
            SctpAssociation eddy = connected(usrsctp);
            DataChannels channels = new DataChannels(eddy, true); // eddy is the DTLS client: the peer opens odd ids
            long now = run(eddy, channels, usrsctp, 0, 100, events);
            assertTrue(usrsctp.accept(), "usrsctp accepted the association");

            assertTrue(usrsctp.send(1, PPID_DCEP, open(0x00, 256, 0, "chat", "json")));
            now = run(eddy, channels, usrsctp, now, 20, events);
            DataChannelEvent.Open opened = assertInstanceOf(DataChannelEvent.Open.class, events.getFirst());
            assertEquals(new DataChannelEvent.Open(1, "chat", "json", true), opened);
            UsrSctp.Received ack = usrsctp.receive();
            assertNotNull(ack, "usrsctp got eddy's DATA_CHANNEL_ACK");
            assertEquals(1, ack.stream());
            assertEquals(PPID_DCEP, ack.ppid());
            assertArrayEquals(new byte[] {0x02}, ack.data(), "DATA_CHANNEL_ACK is the single byte 0x02 (RFC 8832 §5.2)");

            assertTrue(usrsctp.send(1, PPID_STRING, "hello eddy".getBytes(StandardCharsets.UTF_8)));
            now = run(eddy, channels, usrsctp, now, 20, events);
            DataChannelEvent.Message text = assertInstanceOf(DataChannelEvent.Message.class, events.getLast());
            assertEquals(1, text.id());
            assertEquals("hello eddy", new String(text.data(), StandardCharsets.UTF_8));

            channels.sendText(now, 1, "hello usrsctp");
            run(eddy, channels, usrsctp, now, 20, events);
            UsrSctp.Received reply = usrsctp.receive();
            assertNotNull(reply);
            assertEquals(1, reply.stream());
            assertEquals(PPID_STRING, reply.ppid());
            assertEquals("hello usrsctp", new String(reply.data(), StandardCharsets.UTF_8));
            assertEquals(0, channels.ignored(), "every DCEP message from usrsctp made sense to eddy");
        }
    }

    @Test
    void eddyOpensAPartiallyReliableChannelUsrsctpAcknowledges() throws Throwable {
        try (UsrSctp usrsctp = new UsrSctp()) {
            List<DataChannelEvent> events = new ArrayList<>();
            SctpAssociation eddy = connected(usrsctp);
            DataChannels channels = new DataChannels(eddy, true);
            long now = run(eddy, channels, usrsctp, 0, 100, events);
            assertTrue(usrsctp.accept(), "usrsctp accepted the association");

            int id = channels.open(now, "files", "proto", ChannelReliability.maxRetransmits(false, 3));
            assertEquals(0, id % 2, "the DTLS client opens even stream ids (RFC 8832 §6)");
            now = run(eddy, channels, usrsctp, now, 20, events);
            UsrSctp.Received open = usrsctp.receive();
            assertNotNull(open, "usrsctp got eddy's DATA_CHANNEL_OPEN");
            assertEquals(id, open.stream());
            assertEquals(PPID_DCEP, open.ppid());
            ByteBuffer m = ByteBuffer.wrap(open.data());
            assertEquals(0x03, m.get(), "message type DATA_CHANNEL_OPEN");
            assertEquals((byte) 0x81, m.get(), "DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED");
            m.getShort(); // priority: any value is valid
            assertEquals(3, m.getInt(), "reliability parameter: 3 retransmissions");
            int labelLength = m.getShort();
            int protocolLength = m.getShort();
            byte[] label = new byte[labelLength];
            byte[] protocol = new byte[protocolLength];
            m.get(label).get(protocol);
            assertEquals("files", new String(label, StandardCharsets.UTF_8));
            assertEquals("proto", new String(protocol, StandardCharsets.UTF_8));
            assertEquals(0, m.remaining(), "nothing after the protocol");

            assertTrue(usrsctp.send(id, PPID_DCEP, new byte[] {0x02}));
            now = run(eddy, channels, usrsctp, now, 20, events);
            assertEquals(new DataChannelEvent.Open(id, "files", "proto", false), events.getFirst());

            byte[] blob = new byte[10_000];
            new java.util.Random(7).nextBytes(blob);
            channels.send(now, id, blob);
            run(eddy, channels, usrsctp, now, 20, events);
            UsrSctp.Received got = usrsctp.receive();
            assertNotNull(got);
            assertEquals(PPID_BINARY, got.ppid());
            assertArrayEquals(blob, got.data());
        }
    }
}
