package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.sctp.SctpDropReason;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Map;

/**
 * The data we receive: TSNs tracked for the cumulative ack, gap blocks and duplicates; fragments handed
 * to {@link Reassembly}; SACKs sent for it all (every second packet, after 200 ms at the latest, at once
 * when something is missing or repeated), each within the MTU.
 *
 * <p>What a peer can make us hold is bounded: a TSN too far ahead is refused, and so is a chunk that would
 * take the held fragments past {@code maxPendingFragments} or their bytes past the receive window. The
 * chunk next in order has as much again in reserve, because it is what lets the held data drain:
 * refusing it could stall an honest peer whose window we filled with out-of-order data.
 *
 * <p>User data goes into a pool slot charged to the owner's memory budget ({@link PayloadSlots}); a chunk out of
 * order that the budget or the pool has no room for is refused and counted (the peer sends it again), while the
 * chunk next in order, and one larger than a slot, go onto the heap, within the caps above. SACKs are written in
 * place: a chunk received in order, and its acknowledgement, allocate nothing.
 */
public final class InboundData {
    private static final long DELAYED_SACK_NANOS = 200_000_000L;
    private static final int MAX_GAP_BLOCKS = 64;
    private static final int MAX_DUPLICATES = 32;

    private final OutgoingPackets out;
    private final PayloadSlots slots;
    private final AssociationListener listener;
    private final Reassembly reassembly;
    private final int receiveWindow;
    private final int maxMessageSize;
    private final int maxFragments;
    private final int streams;
    private final long maxTsnAhead;

    private long cumTsn;                           // extended: the last TSN received with everything before it
    private final TsnRanges above = new TsnRanges(); // TSNs received beyond it
    private final long[] duplicates = new long[MAX_DUPLICATES];
    private int duplicateCount;
    private int packetsSinceSack;
    private long sackDueAt = Long.MAX_VALUE;

    public InboundData(int receiveWindow, int maxMessageSize, int maxFragments, int streams, OutgoingPackets out,
                       PayloadSlots slots, AssociationListener listener) {
        this.receiveWindow = receiveWindow;
        this.maxMessageSize = maxMessageSize;
        this.maxFragments = maxFragments;
        this.streams = streams;
        this.maxTsnAhead = Math.min(receiveWindow / 16, 32_768);
        this.out = out;
        this.slots = slots;
        this.listener = listener;
        this.reassembly = new Reassembly(maxMessageSize, slots, listener);
    }

    /** The peer's initial TSN, from its INIT or INIT-ACK. */
    public void start(long peerInitialTsn) {
        cumTsn = peerInitialTsn - 1;
    }

    /** The last TSN received with everything before it. */
    public long cumulativeTsn() {
        return cumTsn;
    }

    /** A 32-bit TSN from the peer as the extended TSN nearest our cumulative one. */
    public long extend(long tsn) {
        return SequenceNumbers.extend32(cumTsn, tsn);
    }

    /** The peer reset these streams of its own: their messages start over at SSN 0. */
    public void resetStreams(int[] streams) {
        reassembly.resetStreams(streams);
    }

    /** User data bytes held: fragments not yet whole, and whole messages waiting for their turn. */
    public long heldBytes() {
        return reassembly.heldBytes();
    }

    /** Fragments and waiting messages held. */
    public int heldFragments() {
        return reassembly.heldCount();
    }

    public long sackDueAt() {
        return sackDueAt;
    }

    public void stopTimer() {
        sackDueAt = Long.MAX_VALUE;
    }

    public void onTimeout(long now) {
        if (now >= sackDueAt) {
            sendSack();
        }
    }

    /**
     * A DATA chunk's value (after the chunk header), {@code length} bytes at {@code at}, with at least one
     * byte of user data. True when it counts towards a SACK (taken, acknowledged, or a duplicate to report).
     */
    public boolean onData(int flags, byte[] p, int at, int length) {
        if (length < 12) {
            listener.dropped(SctpDropReason.MALFORMED);
            return false;
        }
        long tsn = extend(BigEndian.u32(p, at));
        if (tsn <= cumTsn || !above.isEmpty() && above.contains(tsn)) {
            if (duplicateCount < MAX_DUPLICATES) {
                duplicates[duplicateCount++] = tsn;
            }
            return true;
        }
        boolean next = tsn == cumTsn + 1;
        if (!next && tsn > cumTsn + maxTsnAhead) {
            listener.dropped(SctpDropReason.OUT_OF_WINDOW);
            return false;
        }
        int stream = BigEndian.u16(p, at + 4);
        if (stream >= streams) {
            listener.dropped(SctpDropReason.INVALID_STREAM); // acknowledged all the same, so nothing waits for it
            received(tsn);
            return true;
        }
        int dataLength = length - 12;
        long bytes = reassembly.heldBytes() + dataLength;
        int count = reassembly.heldCount() + 1;
        boolean fits = next ? bytes <= (long) receiveWindow + maxMessageSize && count <= 2 * maxFragments
                : bytes <= receiveWindow && count <= maxFragments;
        if (!fits) {
            listener.dropped(SctpDropReason.BUFFER_FULL);
            return false;
        }
        PacketBuffer slot = dataLength <= slots.slotSize() ? slots.take() : PacketBuffer.NONE;
        byte[] heap = null;
        if (!slot.isNone()) {
            MemorySegment.copy(p, at + 12, slot.segment(), ValueLayout.JAVA_BYTE, 0, dataLength);
        } else if (next || !slots.pooled() || dataLength > slots.slotSize()) {
            heap = Arrays.copyOfRange(p, at + 12, at + length);
        } else {
            listener.dropped(SctpDropReason.NO_MEMORY);
            return false;
        }
        received(tsn);
        reassembly.add(tsn, stream, BigEndian.u16(p, at + 6), (int) BigEndian.u32(p, at + 8), flags, slot, heap, dataLength);
        return true;
    }

    private void received(long tsn) {
        if (tsn == cumTsn + 1) {
            cumTsn = tsn;
            absorbRunAbove();
        } else {
            above.add(tsn);
        }
    }

    /** The run of TSNs right after the cumulative one joins it. */
    private void absorbRunAbove() {
        if (above.isEmpty()) {
            return; // nothing out of order: no lookup (and no boxed TSN)
        }
        long end = above.removeRunStartingAt(cumTsn + 1);
        if (end >= 0) {
            cumTsn = end;
        }
    }

    /**
     * A FORWARD-TSN chunk's value: the peer gave up on DATA up to a new cumulative TSN, and on the ordered
     * messages it names per stream. Answered with a SACK.
     */
    public void onForwardTsn(byte[] p, int at, int length) {
        if (length < 4 || length % 4 != 0) {
            listener.dropped(SctpDropReason.MALFORMED);
            return;
        }
        long newCum = extend(BigEndian.u32(p, at));
        if (newCum > cumTsn) {
            cumTsn = newCum;
            above.removeThrough(newCum);
            absorbRunAbove();
            reassembly.discardThrough(newCum);
        }
        for (int i = at + 4; i < at + length; i += 4) {
            int stream = BigEndian.u16(p, i);
            if (stream < streams) {
                reassembly.skip(stream, BigEndian.u16(p, i + 2));
            }
        }
        sendSack();
    }

    /** After a packet that had DATA: SACK at once when something is missing or repeated, else every second packet. */
    public void afterPacket(long now) {
        packetsSinceSack++;
        if (packetsSinceSack >= 2 || !above.isEmpty() || duplicateCount > 0) {
            sendSack();
        } else if (sackDueAt == Long.MAX_VALUE) {
            sackDueAt = now + DELAYED_SACK_NANOS;
        }
    }

    /** A SACK with the lowest gap blocks and the duplicates since the last one, as many as fit the MTU. */
    public void sendSack() {
        int room = (out.mtu() - SctpPacket.COMMON_HEADER - SctpPacket.CHUNK_HEADER - 12) / 4; // gap blocks and duplicates
        int dupCount = Math.min(duplicateCount, room / 4); // gaps matter more to the sender: they get the rest
        int gapCount = above.isEmpty() ? 0 : gapBlocks(Math.min(MAX_GAP_BLOCKS, room - dupCount));
        int valueLength = 12 + 4 * gapCount + 4 * dupCount;
        OutgoingPackets.Packet packet = out.begin(SctpPacket.chunkSize(valueLength));
        int v = out.chunk(packet, SctpPacket.SACK, 0, valueLength);
        byte[] b = packet.bytes();
        BigEndian.putU32(b, v, cumTsn);
        BigEndian.putU32(b, v + 4, Math.max(0, receiveWindow - reassembly.heldBytes()));
        BigEndian.putU16(b, v + 8, gapCount);
        BigEndian.putU16(b, v + 10, dupCount);
        int i = 0;
        if (gapCount > 0) {
            for (Map.Entry<Long, Long> run : above.runs()) {
                if (i == gapCount) {
                    break;
                }
                BigEndian.putU16(b, v + 12 + 4 * i, (int) (run.getKey() - cumTsn));
                BigEndian.putU16(b, v + 14 + 4 * i, (int) (run.getValue() - cumTsn));
                i++;
            }
        }
        for (int d = 0; d < dupCount; d++) {
            BigEndian.putU32(b, v + 12 + 4 * gapCount + 4 * d, duplicates[d]);
        }
        out.finish(packet);
        duplicateCount = 0;
        packetsSinceSack = 0;
        sackDueAt = Long.MAX_VALUE;
    }

    /** How many gap blocks, from the lowest, one SACK reports: at most {@code most}, each within 65535 of the cumulative TSN. */
    private int gapBlocks(int most) {
        int n = 0;
        for (Map.Entry<Long, Long> run : above.runs()) {
            if (n == most || run.getValue() - cumTsn > 0xFFFF) {
                break; // the rest are reported once the lower ones are filled
            }
            n++;
        }
        return n;
    }

    /** The association is gone: the fragments and messages held give their slots back. */
    public void releaseAll() {
        reassembly.releaseAll();
    }
}
