package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.BigEndian;
import java.util.zip.CRC32C;

/**
 * The SCTP packet layout (RFC 9260 §3): a 12-byte common header (source and destination port,
 * verification tag, CRC32c) followed by chunks, each a type, flags and a length, padded to four bytes.
 */
public final class SctpPacket {
    public static final int COMMON_HEADER = 12;
    public static final int CHUNK_HEADER = 4;
    /** A DATA chunk's header: the chunk header, then TSN, stream, stream sequence number and PPID. */
    public static final int DATA_HEADER = CHUNK_HEADER + 12;
    public static final int DATA_END = 1;
    public static final int DATA_BEGIN = 2;
    public static final int DATA_UNORDERED = 4;

    public static final int DATA = 0;
    public static final int INIT = 1;
    public static final int INIT_ACK = 2;
    public static final int SACK = 3;
    public static final int HEARTBEAT = 4;
    public static final int HEARTBEAT_ACK = 5;
    public static final int ABORT = 6;
    public static final int SHUTDOWN = 7;
    public static final int SHUTDOWN_ACK = 8;
    public static final int ERROR = 9;
    public static final int COOKIE_ECHO = 10;
    public static final int COOKIE_ACK = 11;
    public static final int SHUTDOWN_COMPLETE = 14;
    public static final int RE_CONFIG = 130;
    public static final int FORWARD_TSN = 192;

    public static final int PARAM_STATE_COOKIE = 7;
    public static final int PARAM_OUTGOING_RESET = 13;
    public static final int PARAM_RECONFIG_RESPONSE = 16;
    public static final int PARAM_SUPPORTED_EXTENSIONS = 0x8008;
    public static final int PARAM_FORWARD_TSN_SUPPORTED = 0xC000;

    private static final byte[] NO_CHECKSUM = new byte[4];

    private SctpPacket() {
    }

    /** A chunk: header and value, padded to four bytes (the length field excludes the padding). */
    public static byte[] chunk(int type, int flags, byte[] value) {
        int length = CHUNK_HEADER + value.length;
        byte[] c = new byte[padded(length)];
        c[0] = (byte) type;
        c[1] = (byte) flags;
        BigEndian.putU16(c, 2, length);
        System.arraycopy(value, 0, c, CHUNK_HEADER, value.length);
        return c;
    }

    /** A whole packet from both ports, the verification tag and the chunks, its CRC32c filled in. */
    public static byte[] encode(int port, long tag, byte[]... chunks) {
        int length = COMMON_HEADER;
        for (byte[] c : chunks) {
            length += c.length;
        }
        byte[] p = new byte[length];
        BigEndian.putU16(p, 0, port);
        BigEndian.putU16(p, 2, port);
        BigEndian.putU32(p, 4, tag);
        int at = COMMON_HEADER;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, p, at, c.length);
            at += c.length;
        }
        CRC32C crc = new CRC32C();
        crc.update(p, 0, p.length);
        long sum = crc.getValue();
        p[8] = (byte) sum;                 // RFC 9260 Appendix A: the CRC32c goes in least significant byte first
        p[9] = (byte) (sum >>> 8);
        p[10] = (byte) (sum >>> 16);
        p[11] = (byte) (sum >>> 24);
        return p;
    }

    /** Whether the CRC32c matches, computed with the checksum field as zeros. */
    public static boolean checksumValid(byte[] p) {
        return checksumValid(p, p.length, new CRC32C());
    }

    /**
     * {@link #checksumValid(byte[])} of the packet in the first {@code length} bytes of {@code p}, with a checksum
     * object the caller reuses, so checking a packet allocates nothing.
     */
    public static boolean checksumValid(byte[] p, int length, CRC32C crc) {
        long expected = (p[8] & 0xFFL) | (p[9] & 0xFFL) << 8 | (p[10] & 0xFFL) << 16 | (p[11] & 0xFFL) << 24;
        crc.reset();
        crc.update(p, 0, 8);
        crc.update(NO_CHECKSUM, 0, 4);
        crc.update(p, COMMON_HEADER, length - COMMON_HEADER);
        return crc.getValue() == expected;
    }

    /**
     * Checks the framing of every chunk before any is applied, so a packet is taken whole or not at all.
     * Returns where processing ends: the end of the packet, of an ABORT (chunks after it are ignored,
     * RFC 9260 §3.3.7), or of an unknown chunk whose type says to stop (§3.2). -1 when a chunk runs past
     * the end, or an INIT, INIT-ACK or SHUTDOWN-COMPLETE is bundled with others (§6.10): an INIT lets its
     * packet past the verification tag check, so nothing may ride behind it.
     */
    public static int processableEnd(byte[] p) {
        return processableEnd(p, p.length);
    }

    /** {@link #processableEnd(byte[])} of the packet in the first {@code size} bytes of {@code p}. */
    public static int processableEnd(byte[] p, int size) {
        int chunks = 0;
        boolean mustBeAlone = false;
        int at = COMMON_HEADER;
        while (at + CHUNK_HEADER <= size) {
            int type = p[at] & 0xFF;
            int length = BigEndian.u16(p, at + 2);
            if (length < CHUNK_HEADER || at + length > size) {
                return -1;
            }
            chunks++;
            mustBeAlone |= type == INIT || type == INIT_ACK || type == SHUTDOWN_COMPLETE;
            at = Math.min(size, at + padded(length));
            if (type == ABORT || (!known(type) && (type & 0x80) == 0)) {
                break;
            }
        }
        return mustBeAlone && chunks > 1 ? -1 : at;
    }

    /** How many chunks start before {@code end} (a {@link #processableEnd}). */
    public static int chunkCount(byte[] p, int end) {
        int n = 0;
        for (int at = COMMON_HEADER; at < end; at += padded(BigEndian.u16(p, at + 2))) {
            n++;
        }
        return n;
    }

    /** Where the last chunk before {@code end} (a {@link #processableEnd}) starts. */
    public static int lastChunkBefore(byte[] p, int end) {
        int last = COMMON_HEADER;
        for (int at = COMMON_HEADER; at < end; at += padded(BigEndian.u16(p, at + 2))) {
            last = at;
        }
        return last;
    }

    /** Whether this association understands chunks of {@code type}; for the others, its top bits say what to do. */
    public static boolean known(int type) {
        return switch (type) {
            case DATA, INIT, INIT_ACK, SACK, HEARTBEAT, HEARTBEAT_ACK, ABORT, SHUTDOWN, SHUTDOWN_ACK, ERROR, COOKIE_ECHO,
                 COOKIE_ACK, SHUTDOWN_COMPLETE, RE_CONFIG, FORWARD_TSN -> true;
            default -> false;
        };
    }

    /** A length rounded up to the four-byte boundary chunks and parameters are padded to. */
    public static int padded(int length) {
        return (length + 3) & ~3;
    }

    /** The bytes a chunk with {@code valueLength} bytes of value takes in a packet. */
    public static int chunkSize(int valueLength) {
        return padded(CHUNK_HEADER + valueLength);
    }
}
