package io.eddyrtc.sctp.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The packets an association has ready for the peer, in the order they were made. Control chunks go
 * in packets of their own; DATA chunks are bundled, as many as fit the MTU.
 */
public final class OutgoingPackets {
    private final ArrayDeque<byte[]> packets = new ArrayDeque<>();
    private final List<byte[]> bundle = new ArrayList<>();
    private final int port;
    private final int mtu;
    private long peerTag;
    private int bundleSize = SctpPacket.COMMON_HEADER;

    public OutgoingPackets(int port, int mtu) {
        this.port = port;
        this.mtu = mtu;
    }

    public int mtu() {
        return mtu;
    }

    /** The verification tag the peer chose: every packet but INIT carries it. */
    public void peerTag(long tag) {
        this.peerTag = tag;
    }

    public long peerTag() {
        return peerTag;
    }

    /** One packet of these chunks under the peer's tag. */
    public void send(byte[]... chunks) {
        sendTagged(peerTag, chunks);
    }

    /** One packet under {@code tag}: 0 for INIT, the tag from a cookie when answering without an association. */
    public void sendTagged(long tag, byte[]... chunks) {
        packets.add(SctpPacket.encode(port, tag, chunks));
    }

    /** Adds a chunk to the packet being filled, sending that packet first if the chunk would not fit. */
    public void bundle(byte[] chunk) {
        if (bundleSize + chunk.length > mtu) {
            flush();
        }
        bundle.add(chunk);
        bundleSize += chunk.length;
    }

    /** Sends the packet being filled, if it has any chunk. */
    public void flush() {
        if (!bundle.isEmpty()) {
            send(bundle.toArray(new byte[0][]));
            bundle.clear();
            bundleSize = SctpPacket.COMMON_HEADER;
        }
    }

    public byte[] poll() {
        return packets.poll();
    }
}
