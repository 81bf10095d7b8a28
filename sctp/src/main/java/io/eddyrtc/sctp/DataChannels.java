package io.eddyrtc.sctp;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.buffers.PacketBuffer;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * WebRTC data channels (RFC 8831) on an {@link SctpAssociation}: the Data Channel Establishment Protocol
 * (RFC 8832, PPID 50) opens channels in-band, a channel is an SCTP stream pair with the same id, and
 * messages carry PPID 51 (text), 53 (binary), 56/57 (empty text/binary, sent as one byte).
 *
 * <p>The DTLS client opens even stream ids, the server odd ones (RFC 8832 §6). Partially reliable
 * channels (a retransmission limit or a lifetime) use FORWARD-TSN (RFC 3758) when the peer supports it.
 *
 * <p>What the peer sends never throws: a message that makes no sense, an OPEN for an id already open,
 * with a label or protocol longer than {@link SctpConfig#maxLabelBytes()} or beyond
 * {@link SctpConfig#maxChannels()} open channels, and an ACK nobody waits for are ignored and counted
 * ({@link DataChannelDropReason}). A refused OPEN gets no ACK.
 */
public final class DataChannels {
    private static final System.Logger LOG = System.getLogger(DataChannels.class.getName());
    static final int PPID_DCEP = 50;
    static final int PPID_STRING = 51;
    static final int PPID_BINARY = 53;
    static final int PPID_STRING_EMPTY = 56;
    static final int PPID_BINARY_EMPTY = 57;
    private static final int DCEP_OPEN = 0x03;
    private static final int DCEP_ACK = 0x02;
    private static final byte[] ACK = {DCEP_ACK};
    /** What an empty message is sent as (PPID 56 or 57): SCTP carries no empty DATA. */
    private static final byte[] EMPTY_MARKER = {0};
    /** Message views kept for reuse. */
    private static final int SPARE_MESSAGES = 16;

    /** A channel: its label, protocol, ordering and partial reliability. */
    private record Channel(String label, String protocol, ChannelReliability reliability) {}

    private final SctpAssociation sctp;
    private final Map<Integer, Channel> channels = new HashMap<>();
    private final Set<Integer> awaitingAck = new HashSet<>();
    private final Set<Integer> closing = new HashSet<>();
    private final Set<Integer> incomingReset = new HashSet<>();
    private final Set<Integer> outgoingReset = new HashSet<>();
    private final ArrayDeque<DataChannelEvent> events = new ArrayDeque<>();
    private final ArrayDeque<DataChannelEvent.Message> spareMessages = new ArrayDeque<>(4);
    /** The message the last {@link #pollEvent()} lent. */
    private DataChannelEvent.Message lent;
    private final int parity;
    private final DropCounter<DataChannelDropReason> drops = new DropCounter<>(DataChannelDropReason.class, LOG, "data channels");

    /** {@code dtlsClient}: whether our side of the DTLS association is the client (even ids). */
    public DataChannels(SctpAssociation sctp, boolean dtlsClient) {
        this.sctp = Objects.requireNonNull(sctp, "sctp");
        this.parity = dtlsClient ? 0 : 1;
    }

    /** Opens a reliable channel; returns its id. Messages may follow at once (the OPEN is ordered before them). */
    public int open(long now, String label, String protocol, boolean ordered) {
        return open(now, label, protocol, ChannelReliability.reliable(ordered));
    }

    /**
     * Opens a channel (RFC 8832 channel type 0x00/0x80 reliable, 0x01/0x81 with a retransmission limit,
     * 0x02/0x82 with a lifetime); returns its id.
     */
    public int open(long now, String label, String protocol, ChannelReliability reliability) {
        checkRoomFor(label, protocol);
        int id = parity;
        while (channels.containsKey(id) || closing.contains(id)) {
            id += 2; // the lowest free id of our parity: a closed channel's id is used again
        }
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        byte[] p = protocol.getBytes(StandardCharsets.UTF_8);
        byte[] m = new byte[12 + l.length + p.length];
        m[0] = DCEP_OPEN;
        int type = reliability.maxRetransmits() >= 0 ? 0x01 : reliability.maxLifetimeMillis() >= 0 ? 0x02 : 0x00;
        m[1] = (byte) (type | (reliability.ordered() ? 0x00 : 0x80));
        BigEndian.putU32(m, 4, Math.max(0, Math.max(reliability.maxRetransmits(), reliability.maxLifetimeMillis())));
        BigEndian.putU16(m, 8, l.length);
        BigEndian.putU16(m, 10, p.length);
        System.arraycopy(l, 0, m, 12, l.length);
        System.arraycopy(p, 0, m, 12 + l.length, p.length);
        sctp.send(now, id, PPID_DCEP, m, true); // DCEP itself is always reliable and ordered
        channels.put(id, new Channel(label, protocol, reliability));
        awaitingAck.add(id);
        return id;
    }

    /**
     * Registers a pre-negotiated channel (negotiated=true): both sides agreed on {@code id} out of band, so
     * no DCEP message is sent; it is open at once.
     */
    public void openNegotiated(int id, String label, String protocol, ChannelReliability reliability) {
        if (channels.containsKey(id)) {
            throw new IllegalArgumentException("channel " + id + " is already open; negotiated ids must be unused");
        }
        checkRoomFor(label, protocol);
        channels.put(id, new Channel(label, protocol, reliability));
        events.add(new DataChannelEvent.Open(id, label, protocol, reliability.ordered()));
    }

    /** Our own channels are held to the caps a peer's are. */
    private void checkRoomFor(String label, String protocol) {
        int most = sctp.config().maxLabelBytes();
        if (label.getBytes(StandardCharsets.UTF_8).length > most || protocol.getBytes(StandardCharsets.UTF_8).length > most) {
            throw new IllegalArgumentException("a data channel label or protocol is at most " + most
                    + " UTF-8 bytes (SctpConfig.maxLabelBytes); shorten it");
        }
        if (channels.size() >= sctp.config().maxChannels()) {
            throw new IllegalStateException(channels.size() + " data channels are open, the most SctpConfig.maxChannels allows;"
                    + " close one first");
        }
    }

    /** Bytes queued on channel {@code id} and not yet sent. */
    public long bufferedAmount(int id) {
        return sctp.bufferedAmount(id);
    }

    /** A {@link DataChannelEvent.BufferedAmountLow} when channel {@code id}'s bufferedAmount falls to {@code bytes}. */
    public void setBufferedAmountLowThreshold(int id, long bytes) {
        channel(id);
        sctp.setBufferedAmountLowThreshold(id, bytes);
    }

    /** Passes on a stream's low-water event as its channel's. */
    public void handle(SctpEvent.BufferedAmountLow low) {
        if (channels.containsKey(low.stream())) {
            events.add(new DataChannelEvent.BufferedAmountLow(low.stream()));
        }
    }

    /** Sends a binary message on channel {@code id}. */
    public void send(long now, int id, byte[] data) {
        send(now, id, true, data, 0, data.length);
    }

    /** Sends a text message on channel {@code id}. */
    public void sendText(long now, int id, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        send(now, id, false, data, 0, data.length);
    }

    /** Sends {@code length} bytes at {@code offset} of {@code data} on channel {@code id}: binary, or UTF-8 text. */
    public void send(long now, int id, boolean binary, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        Channel c = sendable(id);
        ChannelReliability r = c.reliability();
        if (length == 0) {
            sctp.send(now, id, binary ? PPID_BINARY_EMPTY : PPID_STRING_EMPTY, EMPTY_MARKER, r.ordered(), r.maxRetransmits(),
                    r.maxLifetimeNanos());
        } else {
            sctp.send(now, id, binary ? PPID_BINARY : PPID_STRING, data, offset, length, r.ordered(), r.maxRetransmits(),
                    r.maxLifetimeNanos());
        }
    }

    /** Sends {@code length} bytes at {@code offset} of {@code data} on channel {@code id}: binary, or UTF-8 text. */
    public void send(long now, int id, boolean binary, MemorySegment data, long offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.byteSize());
        Channel c = sendable(id);
        ChannelReliability r = c.reliability();
        if (length == 0) {
            sctp.send(now, id, binary ? PPID_BINARY_EMPTY : PPID_STRING_EMPTY, EMPTY_MARKER, r.ordered(), r.maxRetransmits(),
                    r.maxLifetimeNanos());
        } else {
            sctp.send(now, id, binary ? PPID_BINARY : PPID_STRING, data, offset, length, r.ordered(), r.maxRetransmits(),
                    r.maxLifetimeNanos());
        }
    }

    private Channel sendable(int id) {
        Channel c = channel(id);
        if (closing.contains(id)) {
            throw new IllegalStateException("data channel " + id + " is closing (closed by us or the peer); nothing more can be"
                    + " sent on it, open another");
        }
        return c;
    }

    private Channel channel(int id) {
        Channel c = channels.get(id);
        if (c == null) {
            throw new IllegalArgumentException("no data channel " + id + "; open one or wait for DataChannelEvent.Open");
        }
        return c;
    }

    /**
     * Closes channel {@code id}: our outgoing stream is reset (RFC 8831 §6.7); the peer resets its own in
     * turn and {@link DataChannelEvent.Closed} follows.
     */
    public void close(long now, int id) {
        channel(id);
        if (closing.add(id)) {
            sctp.resetStreams(now, id);
        }
    }

    /** The peer reset its outgoing side of these streams: close them, resetting ours too if we had not. */
    public void handle(long now, SctpEvent.StreamsReset reset) {
        endLoan();
        for (int id : reset.streams()) {
            if (!channels.containsKey(id) && !closing.contains(id)) {
                continue;
            }
            incomingReset.add(id);
            if (closing.add(id) && sctp.isEstablished()) {
                sctp.resetStreams(now, id); // the peer closed it: answer with our side (unless the association is gone)
            }
            closeIfBothReset(id);
        }
    }

    /** The peer performed our reset of these streams. */
    public void handle(long now, SctpEvent.OutgoingStreamsReset reset) {
        endLoan();
        for (int id : reset.streams()) {
            outgoingReset.add(id);
            closeIfBothReset(id);
        }
    }

    /**
     * A channel is closed, and its id free again, only when both directions of its stream are reset;
     * before that a reopened channel could reach the peer under an old stream sequence number.
     */
    private void closeIfBothReset(int id) {
        if (incomingReset.contains(id) && outgoingReset.contains(id)) {
            incomingReset.remove(id);
            outgoingReset.remove(id);
            closing.remove(id);
            awaitingAck.remove(id);
            channels.remove(id);
            events.add(new DataChannelEvent.Closed(id));
        }
    }

    /**
     * Feeds an SCTP message (from {@link SctpEvent.Message}, while its loan lasts); channel events come out of
     * {@link #pollEvent()}. A channel message shares the SCTP message's pool slot, no copy.
     */
    public void handle(long now, SctpEvent.Message m) {
        endLoan();
        switch (m.ppid()) {
            case PPID_DCEP -> onDcep(now, m.stream(), m.data());
            case PPID_STRING, PPID_BINARY -> deliver(m.stream(), m.ppid() == PPID_BINARY, m);
            case PPID_STRING_EMPTY, PPID_BINARY_EMPTY -> deliver(m.stream(), m.ppid() == PPID_BINARY_EMPTY, null);
            default -> drops.count(DataChannelDropReason.UNKNOWN_PPID, "PPID " + m.ppid());
        }
    }

    /** A message on channel {@code id}: the bytes of {@code m}, or none for an empty message. */
    private void deliver(int id, boolean binary, SctpEvent.Message m) {
        if (!channels.containsKey(id)) {
            drops.count(DataChannelDropReason.NOT_OPEN, "a message on unopened channel " + id);
            return;
        }
        DataChannelEvent.Message view = spareMessages.poll();
        if (view == null) {
            view = new DataChannelEvent.Message();
        }
        if (m == null) {
            events.add(view.lend(id, binary, PacketBuffer.NONE, null, 0));
        } else {
            PacketBuffer slot = m.slot();
            events.add(view.lend(id, binary, slot.isNone() ? slot : slot.retain(), m.segment(), m.length()));
        }
    }

    /** The message lent by the last poll goes back: this view's hold on its slot, and the view for reuse. */
    private void endLoan() {
        if (lent != null) {
            PacketBuffer slot = lent.endLoan();
            if (!slot.isNone()) {
                slot.release();
            }
            if (spareMessages.size() < SPARE_MESSAGES) {
                spareMessages.add(lent);
            }
            lent = null;
        }
    }

    private void onDcep(long now, int id, byte[] m) {
        if (m.length < 1) {
            drops.count(DataChannelDropReason.MALFORMED, "an empty DCEP message");
            return;
        }
        if ((m[0] & 0xFF) == DCEP_ACK) {
            if (!awaitingAck.remove(id)) {
                drops.count(DataChannelDropReason.UNEXPECTED_ACK, "a DATA_CHANNEL_ACK for channel " + id + ", which awaits none");
                return;
            }
            Channel c = channels.get(id);
            events.add(new DataChannelEvent.Open(id, c.label(), c.protocol(), c.reliability().ordered()));
            return;
        }
        if ((m[0] & 0xFF) != DCEP_OPEN || m.length < 12) {
            drops.count(DataChannelDropReason.MALFORMED, "DCEP message type " + (m[0] & 0xFF));
            return;
        }
        int labelLength = BigEndian.u16(m, 8);
        int protocolLength = BigEndian.u16(m, 10);
        if (12 + labelLength + protocolLength > m.length) {
            drops.count(DataChannelDropReason.MALFORMED, "a DATA_CHANNEL_OPEN whose label runs past its end");
            return;
        }
        int most = sctp.config().maxLabelBytes();
        if (labelLength > most || protocolLength > most) {
            drops.count(DataChannelDropReason.LABEL_TOO_LONG, "a DATA_CHANNEL_OPEN with a " + labelLength + "-byte label and a "
                    + protocolLength + "-byte protocol");
            return;
        }
        if (channels.containsKey(id) || closing.contains(id)) {
            drops.count(DataChannelDropReason.ALREADY_OPEN, "a DATA_CHANNEL_OPEN for channel " + id + ", which is open");
            return;
        }
        if (channels.size() >= sctp.config().maxChannels()) {
            drops.count(DataChannelDropReason.TOO_MANY_CHANNELS, "a DATA_CHANNEL_OPEN beyond " + channels.size() + " open channels");
            return;
        }
        boolean ordered = (m[1] & 0x80) == 0;
        int reliability = m[1] & 0x7F;
        long parameter = BigEndian.u32(m, 4);
        String label = new String(m, 12, labelLength, StandardCharsets.UTF_8);
        String protocol = new String(m, 12 + labelLength, protocolLength, StandardCharsets.UTF_8);
        if (!sctp.offer(now, id, PPID_DCEP, ACK)) {
            drops.count(DataChannelDropReason.CANNOT_ANSWER, "a DATA_CHANNEL_OPEN on stream " + id
                    + " that cannot be answered (no such stream, shutting down, or no memory left for the answer)");
            return;
        }
        channels.put(id, new Channel(label, protocol, new ChannelReliability(ordered,
                reliability == 0x01 ? (int) Math.min(parameter, Integer.MAX_VALUE) : -1, reliability == 0x02 ? parameter : -1)));
        events.add(new DataChannelEvent.Open(id, label, protocol, ordered));
    }

    /**
     * The next event, or null. A {@link DataChannelEvent.Message} is lent: valid until the next {@code pollEvent} or
     * {@code handle}.
     */
    public DataChannelEvent pollEvent() {
        endLoan();
        DataChannelEvent e = events.poll();
        if (e instanceof DataChannelEvent.Message m) {
            lent = m;
        }
        return e;
    }

    /** Messages from the peer ignored for {@code reason}. */
    public long dropped(DataChannelDropReason reason) {
        return drops.dropped(reason);
    }

    /** Messages from the peer ignored for any reason. */
    public long ignored() {
        return drops.total();
    }

    /** Channels open, or opening, or closing. */
    public int openChannels() {
        return channels.size();
    }
}
