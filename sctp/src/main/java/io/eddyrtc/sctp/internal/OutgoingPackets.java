package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.BigEndian;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The packets an association has ready for the peer, in the order they were made. Control chunks go in
 * packets of their own; DATA chunks are bundled, as many as fit the MTU. Chunks are written in place into
 * reused MTU-sized buffers ({@link #begin()}, {@link #chunk}, {@link #bundleData}), so DATA and SACKs cost no
 * allocation; rare control chunks made as arrays ({@link #send}) are copied in.
 *
 * <p>A packet handed out by {@link #poll()} comes back for reuse at the next poll. Spare buffers are kept for a
 * message and its acknowledgement — one of the MTU for DATA, two small ones for SACKs and other control chunks —
 * so sending and acknowledging messages allocates nothing, while an idle association holds under 2 KiB of them;
 * a burst of many packets makes more, which the collector takes once they are sent.
 */
public final class OutgoingPackets {
    /** Packets up to this size (a SACK with a few gap blocks, most control chunks) take a small buffer. */
    static final int SMALL = 256;
    private static final int SPARE_FULL = 1;
    private static final int SPARE_SMALL = 2;

    /** One packet: the first {@link #length()} bytes of {@link #bytes()}. */
    public static final class Packet {
        final byte[] bytes;
        int length;

        Packet(int capacity) {
            this.bytes = new byte[capacity];
        }

        public byte[] bytes() {
            return bytes;
        }

        public int length() {
            return length;
        }
    }

    private final ArrayDeque<Packet> ready = new ArrayDeque<>(4);
    private final ArrayDeque<Packet> spareFull = new ArrayDeque<>(SPARE_FULL);
    private final ArrayDeque<Packet> spareSmall = new ArrayDeque<>(SPARE_SMALL);
    private final CRC32C crc = new CRC32C();
    private final int port;
    private final int mtu;
    private long peerTag;
    /** The packet DATA chunks are being bundled into, or null. */
    private Packet bundle;
    private Packet lastPolled;

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

    /** One packet of these chunks (each a whole chunk, padded) under the peer's tag. */
    public void send(byte[]... chunks) {
        sendTagged(peerTag, chunks);
    }

    /** One packet under {@code tag}: 0 for INIT, the tag from a cookie when answering without an association. */
    public void sendTagged(long tag, byte[]... chunks) {
        int length = SctpPacket.COMMON_HEADER;
        for (byte[] c : chunks) {
            length += c.length;
        }
        Packet p = header(length <= mtu ? obtain(length) : new Packet(length), tag);
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, p.bytes, p.length, c.length);
            p.length += c.length;
        }
        finish(p);
    }

    /**
     * A packet of its own under the peer's tag with room for {@code chunkBytes} of chunks (padding included), to write
     * them into with {@link #chunk}; queue it with {@link #finish}.
     */
    public Packet begin(int chunkBytes) {
        return header(obtain(SctpPacket.COMMON_HEADER + chunkBytes), peerTag);
    }

    /**
     * Appends to {@code p} the header of a chunk with {@code valueLength} bytes of value and zeroes its padding;
     * returns where in {@code p.bytes()} the value goes, for the caller to write.
     */
    public int chunk(Packet p, int type, int flags, int valueLength) {
        int size = SctpPacket.chunkSize(valueLength);
        if (p.length + size > p.bytes.length) {
            throw new IllegalStateException("a chunk of " + size + " bytes does not fit what is left of a " + p.bytes.length
                    + "-byte packet; the caller sizes chunks to the MTU");
        }
        byte[] b = p.bytes;
        int at = p.length;
        b[at] = (byte) type;
        b[at + 1] = (byte) flags;
        BigEndian.putU16(b, at + 2, SctpPacket.CHUNK_HEADER + valueLength);
        Arrays.fill(b, at + SctpPacket.CHUNK_HEADER + valueLength, at + size, (byte) 0);
        p.length += size;
        return at + SctpPacket.CHUNK_HEADER;
    }

    /** The packet is written: its checksum goes in and it joins the queue. */
    public void finish(Packet p) {
        byte[] b = p.bytes;
        b[8] = 0;
        b[9] = 0;
        b[10] = 0;
        b[11] = 0;
        crc.reset();
        crc.update(b, 0, p.length);
        long sum = crc.getValue();
        b[8] = (byte) sum;                 // RFC 9260 Appendix A: the CRC32c goes in least significant byte first
        b[9] = (byte) (sum >>> 8);
        b[10] = (byte) (sum >>> 16);
        b[11] = (byte) (sum >>> 24);
        ready.add(p);
    }

    /**
     * Room for a DATA chunk with {@code valueLength} bytes of value in the packet being bundled, which is sent
     * first if the chunk would not fit; returns where the value goes in {@link #bundle()}'s bytes.
     */
    public int bundleData(int flags, int valueLength) {
        if (bundle != null && bundle.length + SctpPacket.chunkSize(valueLength) > mtu) {
            flush();
        }
        if (bundle == null) {
            bundle = begin(mtu - SctpPacket.COMMON_HEADER);
        }
        return chunk(bundle, SctpPacket.DATA, flags, valueLength);
    }

    /** The packet DATA chunks are being bundled into (after {@link #bundleData}). */
    public Packet bundle() {
        return bundle;
    }

    /** Sends the packet being bundled, if there is one. */
    public void flush() {
        if (bundle != null) {
            finish(bundle);
            bundle = null;
        }
    }

    /** The next packet to send, or null; valid until the next poll, when its buffer comes back for reuse. */
    public Packet poll() {
        recycle(lastPolled);
        lastPolled = ready.poll();
        return lastPolled;
    }

    private Packet header(Packet p, long tag) {
        BigEndian.putU16(p.bytes, 0, port);
        BigEndian.putU16(p.bytes, 2, port);
        BigEndian.putU32(p.bytes, 4, tag);
        p.length = SctpPacket.COMMON_HEADER;
        return p;
    }

    /** A buffer for a packet of {@code bytes}: a small one when that is enough, else one of the MTU. */
    private Packet obtain(int bytes) {
        boolean small = bytes <= SMALL && SMALL < mtu;
        Packet p = (small ? spareSmall : spareFull).poll();
        return p != null ? p : new Packet(small ? SMALL : mtu);
    }

    private void recycle(Packet p) {
        if (p == null) {
            return;
        }
        if (p.bytes.length == SMALL && spareSmall.size() < SPARE_SMALL) {
            spareSmall.add(p);
        } else if (p.bytes.length == mtu && spareFull.size() < SPARE_FULL) {
            spareFull.add(p);
        }
    }
}
