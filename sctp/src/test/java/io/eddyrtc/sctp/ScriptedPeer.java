package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.sctp.internal.SctpPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer of an association under test, written out chunk by chunk: it runs the handshake by hand, so it
 * knows both verification tags and both initial TSNs, and then sends whatever a test builds — valid or
 * hostile — under the right tag with a correct checksum. What the association sends and reports is kept,
 * and its events are fed to a {@link DataChannels}, as the {@code Rtc} does.
 */
final class ScriptedPeer {
    static final int PORT = 5000;

    /** A chunk taken apart: its type, flags and value (without the padding). */
    record Chunk(int type, int flags, byte[] value) {}

    final SctpAssociation sctp;
    final DataChannels channels;
    final long tag;
    final long initialTsn;
    final List<byte[]> sent = new ArrayList<>();
    final List<SctpEvent> events = new ArrayList<>();
    final List<DataChannelEvent> channelEvents = new ArrayList<>();
    long associationTag;
    long associationInitialTsn;

    /** {@code tag} and {@code initialTsn} are the scripted peer's own. */
    ScriptedPeer(SctpAssociation sctp, long tag, long initialTsn) {
        this.sctp = sctp;
        this.channels = new DataChannels(sctp, true);
        this.tag = tag;
        this.initialTsn = initialTsn;
    }

    /** INIT, INIT-ACK, COOKIE-ECHO, COOKIE-ACK: the association is up when this returns. */
    ScriptedPeer establish(long now) {
        receive(now, SctpPacket.encode(PORT, 0, init(tag, initialTsn)));
        Chunk initAck = lastSent(SctpPacket.INIT_ACK);
        assertNotNull(initAck, "the association answers INIT with INIT-ACK");
        associationTag = BigEndian.u32(initAck.value(), 0);
        associationInitialTsn = BigEndian.u32(initAck.value(), 12);
        byte[] cookie = null;
        for (int at = 16; at + 4 <= initAck.value().length; ) {
            int length = BigEndian.u16(initAck.value(), at + 2);
            if (BigEndian.u16(initAck.value(), at) == SctpPacket.PARAM_STATE_COOKIE) {
                cookie = java.util.Arrays.copyOfRange(initAck.value(), at + 4, at + length);
            }
            at += SctpPacket.padded(length);
        }
        assertNotNull(cookie, "INIT-ACK carries a state cookie");
        receive(now, packet(SctpPacket.chunk(SctpPacket.COOKIE_ECHO, 0, cookie)));
        assertTrue(sctp.isEstablished(), "the association is up after COOKIE-ECHO");
        return this;
    }

    /** Hands the association one packet, then collects what it sent and reported. */
    void receive(long now, byte[] packet) {
        sctp.handleReceive(now, packet);
        collect(now);
    }

    void timeout(long now) {
        sctp.handleTimeout(now);
        collect(now);
    }

    /** Events first: the data channels may answer them (a DCEP ACK), and those packets are collected too. */
    void collect(long now) {
        for (SctpEvent e; (e = sctp.pollEvent()) != null; ) {
            events.add(e instanceof SctpEvent.Message m ? m.copy() : e); // messages are lent: keep a copy
            SctpNode.feed(now, e, channels);
        }
        for (DataChannelEvent e; (e = channels.pollEvent()) != null; ) {
            channelEvents.add(e instanceof DataChannelEvent.Message m ? m.copy() : e);
        }
        for (byte[] p; (p = Packets.poll(sctp)) != null; ) {
            sent.add(p);
        }
    }

    /** A packet of these chunks under the association's tag. */
    byte[] packet(byte[]... chunks) {
        return SctpPacket.encode(PORT, associationTag, chunks);
    }

    /** INIT with our tag and initial TSN, a 1 MiB window, 1024 streams each way, RE-CONFIG and FORWARD-TSN supported. */
    static byte[] init(long tag, long initialTsn) {
        byte[] v = new byte[16 + 8 + 4];
        BigEndian.putU32(v, 0, tag);
        BigEndian.putU32(v, 4, 1 << 20);
        BigEndian.putU16(v, 8, 1024);
        BigEndian.putU16(v, 10, 1024);
        BigEndian.putU32(v, 12, initialTsn);
        BigEndian.putU16(v, 16, SctpPacket.PARAM_SUPPORTED_EXTENSIONS);
        BigEndian.putU16(v, 18, 6);
        v[20] = (byte) SctpPacket.RE_CONFIG;
        v[21] = (byte) SctpPacket.FORWARD_TSN;
        BigEndian.putU16(v, 24, SctpPacket.PARAM_FORWARD_TSN_SUPPORTED);
        BigEndian.putU16(v, 26, 4);
        return SctpPacket.chunk(SctpPacket.INIT, 0, v);
    }

    /** DATA with TSN {@code initialTsn + offset}. */
    byte[] data(long offset, int stream, int ssn, int ppid, int flags, byte[] payload) {
        byte[] v = new byte[12 + payload.length];
        BigEndian.putU32(v, 0, initialTsn + offset);
        BigEndian.putU16(v, 4, stream);
        BigEndian.putU16(v, 6, ssn);
        BigEndian.putU32(v, 8, ppid & 0xFFFF_FFFFL);
        System.arraycopy(payload, 0, v, 12, payload.length);
        return SctpPacket.chunk(SctpPacket.DATA, flags, v);
    }

    /** A whole message in one DATA chunk. */
    byte[] message(long offset, int stream, int ssn, int ppid, boolean ordered, byte[] payload) {
        int flags = SctpPacket.DATA_BEGIN | SctpPacket.DATA_END | (ordered ? 0 : SctpPacket.DATA_UNORDERED);
        return data(offset, stream, ssn, ppid, flags, payload);
    }

    /** SACK: cumulative ack {@code cumAck}, gap blocks as {start, end} offsets from it, and duplicate TSNs. */
    static byte[] sack(long cumAck, long rwnd, int[][] gaps, long... duplicates) {
        byte[] v = new byte[12 + 4 * gaps.length + 4 * duplicates.length];
        BigEndian.putU32(v, 0, cumAck);
        BigEndian.putU32(v, 4, rwnd);
        BigEndian.putU16(v, 8, gaps.length);
        BigEndian.putU16(v, 10, duplicates.length);
        for (int i = 0; i < gaps.length; i++) {
            BigEndian.putU16(v, 12 + 4 * i, gaps[i][0]);
            BigEndian.putU16(v, 14 + 4 * i, gaps[i][1]);
        }
        for (int i = 0; i < duplicates.length; i++) {
            BigEndian.putU32(v, 12 + 4 * gaps.length + 4 * i, duplicates[i]);
        }
        return SctpPacket.chunk(SctpPacket.SACK, 0, v);
    }

    /** RE-CONFIG with an Outgoing SSN Reset Request for {@code streams}, effective after {@code lastTsnOffset}. */
    byte[] resetRequest(long requestSeq, long lastTsnOffset, int... streams) {
        byte[] v = new byte[SctpPacket.padded(16 + 2 * streams.length)];
        BigEndian.putU16(v, 0, SctpPacket.PARAM_OUTGOING_RESET);
        BigEndian.putU16(v, 2, 16 + 2 * streams.length);
        BigEndian.putU32(v, 4, requestSeq);
        BigEndian.putU32(v, 8, associationInitialTsn - 1);
        BigEndian.putU32(v, 12, initialTsn + lastTsnOffset);
        for (int i = 0; i < streams.length; i++) {
            BigEndian.putU16(v, 16 + 2 * i, streams[i]);
        }
        return SctpPacket.chunk(SctpPacket.RE_CONFIG, 0, v);
    }

    static byte[] chunk(int type, byte[] value) {
        return SctpPacket.chunk(type, 0, value);
    }

    /** The chunks of a packet, taken apart. */
    static List<Chunk> chunks(byte[] packet) {
        List<Chunk> chunks = new ArrayList<>();
        for (int at = SctpPacket.COMMON_HEADER; at + 4 <= packet.length; ) {
            int length = BigEndian.u16(packet, at + 2);
            chunks.add(new Chunk(packet[at] & 0xFF, packet[at + 1] & 0xFF, java.util.Arrays.copyOfRange(packet, at + 4, at + length)));
            at += SctpPacket.padded(length);
        }
        return chunks;
    }

    /** Every chunk of {@code type} the association sent, in order. */
    List<Chunk> sentChunks(int type) {
        List<Chunk> found = new ArrayList<>();
        for (byte[] p : sent) {
            for (Chunk c : chunks(p)) {
                if (c.type() == type) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    Chunk lastSent(int type) {
        List<Chunk> found = sentChunks(type);
        return found.isEmpty() ? null : found.getLast();
    }
}
