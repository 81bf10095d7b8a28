package io.eddyrtc.ice;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.ice.stun.Stun;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Cuts the byte stream of one TCP connection back into the datagrams it carries, sans-I/O: the caller reads
 * from its socket into {@link #buffer()}, then takes each whole datagram with {@link #next()} and feeds it to
 * the {@code Rtc} or agent with the connection's {@link Transport}. Two framings:
 * <ul>
 *   <li>{@link Transport#TCP}, ICE-TCP (RFC 6544): RFC 4571 frames, a two-byte length before each datagram;</li>
 *   <li>{@link Transport#TURN_TCP}, a connection to a TURN server (RFC 8656 §3.1): STUN messages and ChannelData
 *       (padded to four bytes over TCP), each delimited by its own length field.</li>
 * </ul>
 * A frame longer than {@code maxDatagram}, or (to a TURN server) bytes no STUN or ChannelData message starts
 * with, break the stream for good: the framing cannot be found again, so {@link #next()} returns false from
 * then on with {@link #error()} saying why, and the caller closes the connection. That bounds what a peer can
 * make us hold per connection to one buffer of {@code maxDatagram} plus a header. One off-heap buffer per
 * connection, allocated here once; nothing is allocated per datagram.
 */
public final class StreamDeframer {
    /** Why the stream can no longer be read. */
    public enum Error {
        NONE,
        /** A frame announced more than the longest datagram this connection takes. */
        FRAME_TOO_LONG,
        /** A TURN connection sent bytes that start neither a STUN message nor ChannelData. */
        NOT_TURN
    }

    /** RFC 4571's frame header: the datagram's length in two bytes. */
    public static final int RFC4571_HEADER = 2;

    private final Transport transport;
    private final int maxDatagram;
    private final ByteBuffer buffer;
    private final MemorySegment memory;
    /** Where the next unread frame starts; bytes before it have been handed out. */
    private int readAt;
    private long frameOffset;
    private int frameLength;
    private Error error = Error.NONE;

    private StreamDeframer(Transport transport, int maxDatagram) {
        this.transport = transport;
        this.maxDatagram = maxDatagram;
        // the longest frame with its header (and ChannelData's padding) fits whole after a compaction
        this.buffer = ByteBuffer.allocateDirect(maxDatagram + Stun.CHANNEL_DATA_HEADER + 3);
        this.memory = MemorySegment.ofBuffer(buffer);
    }

    /**
     * A deframer for a connection of {@code transport} ({@link Transport#TCP} or {@link Transport#TURN_TCP}) whose
     * datagrams are at most {@code maxDatagram} bytes (1500 covers WebRTC's; RFC 4571 allows 65,535).
     */
    public static StreamDeframer of(Transport transport, int maxDatagram) {
        if (transport == Transport.UDP) {
            throw new IllegalArgumentException("UDP datagrams need no deframing; make a deframer for a TCP or TURN_TCP connection");
        }
        if (maxDatagram < Stun.HEADER_LENGTH || maxDatagram > 65_535) {
            throw new IllegalArgumentException("maxDatagram " + maxDatagram + " outside 20..65535; 1500 suits WebRTC");
        }
        return new StreamDeframer(transport, maxDatagram);
    }

    /**
     * Where to read the connection's next bytes: its position is where they go and its limit the room left, as
     * {@code SocketChannel.read(buffer)} wants. Do not flip it. Room for a whole frame is always made by
     * {@link #next()} before it returns false.
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Copies {@code length} bytes in (tests, and callers that read elsewhere); false when they do not fit. */
    public boolean push(MemorySegment source, long offset, int length) {
        if (length > buffer.remaining()) {
            return false;
        }
        MemorySegment.copy(source, offset, memory, buffer.position(), length);
        buffer.position(buffer.position() + length);
        return true;
    }

    /**
     * Moves to the next whole datagram: true and {@link #segment()}, {@link #frameOffset()}, {@link #frameLength()}
     * say where it is (valid until the next call here or the next read into the buffer); false when more bytes are
     * needed or the stream is broken ({@link #error()}).
     */
    public boolean next() {
        if (error != Error.NONE) {
            return false;
        }
        int available = buffer.position() - readAt;
        int header;
        int length;
        int padded;
        if (transport == Transport.TCP) {
            if (available < RFC4571_HEADER) {
                return compact();
            }
            header = RFC4571_HEADER;
            length = BigEndian.u16(memory, readAt);
            padded = length;
        } else {
            if (available < Stun.CHANNEL_DATA_HEADER) {
                return compact();
            }
            int first = BigEndian.u8(memory, readAt);
            if (first <= 3) { // STUN: a 20-byte header whose length field counts the attributes
                header = 0;
                length = Stun.HEADER_LENGTH + BigEndian.u16(memory, readAt + 2);
                padded = length;
            } else if (first >= 0x40 && first <= 0x4F) { // ChannelData, padded to four bytes on a stream
                header = 0;
                length = Stun.CHANNEL_DATA_HEADER + BigEndian.u16(memory, readAt + 2);
                padded = (length + 3) & ~3;
            } else {
                error = Error.NOT_TURN;
                return false;
            }
        }
        if (length > maxDatagram + (transport == Transport.TURN_TCP ? Stun.CHANNEL_DATA_HEADER : 0)) {
            error = Error.FRAME_TOO_LONG;
            return false;
        }
        if (available < header + padded) {
            return compact();
        }
        frameOffset = readAt + header;
        frameLength = length;
        readAt += header + padded;
        return true;
    }

    /** Moves the unread bytes to the front so the rest of a frame fits; always false (no frame yet). */
    private boolean compact() {
        int unread = buffer.position() - readAt;
        if (readAt > 0) {
            MemorySegment.copy(memory, readAt, memory, 0, unread);
            buffer.position(unread);
            readAt = 0;
        }
        return false;
    }

    public MemorySegment segment() {
        return memory;
    }

    public long frameOffset() {
        return frameOffset;
    }

    public int frameLength() {
        return frameLength;
    }

    /** {@link Error#NONE} while the stream can be read; otherwise why not, and the connection should be closed. */
    public Error error() {
        return error;
    }

    /** Writes RFC 4571's two-byte header for a datagram of {@code length} bytes at {@code offset} of {@code target}. */
    public static void writeRfc4571Header(MemorySegment target, long offset, int length) {
        if (length < 0 || length > 65_535) {
            throw new IllegalArgumentException("an RFC 4571 frame carries 0..65535 bytes, not " + length);
        }
        BigEndian.putU16(target, offset, length);
    }
}
