package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.BigEndian;
import java.util.Arrays;

/**
 * INIT and INIT-ACK (RFC 9260 §3.3.2, §3.3.3): the sender's verification tag, receive window, stream
 * counts and initial TSN, then parameters. What we send, and what we read of the peer's.
 */
public final class InitChunk {
    /** The fixed fields before the parameters. */
    public static final int FIXED = 16;

    private InitChunk() {
    }

    /**
     * INIT ({@code cookie} null) or INIT-ACK with our fields, the same stream count both ways, and support
     * for RE-CONFIG (so the peer may reset streams when channels close) and FORWARD-TSN (RFC 3758).
     */
    public static byte[] encode(int type, long tag, int receiveWindow, int streams, long initialTsn, byte[] cookie) {
        int cookieParam = cookie == null ? 0 : SctpPacket.padded(4 + cookie.length);
        byte[] v = new byte[FIXED + 8 + 4 + cookieParam];
        BigEndian.putU32(v, 0, tag);
        BigEndian.putU32(v, 4, receiveWindow);
        BigEndian.putU16(v, 8, streams);
        BigEndian.putU16(v, 10, streams);
        BigEndian.putU32(v, 12, initialTsn);
        BigEndian.putU16(v, 16, SctpPacket.PARAM_SUPPORTED_EXTENSIONS); // RFC 5061
        BigEndian.putU16(v, 18, 6);
        v[20] = (byte) SctpPacket.RE_CONFIG;
        v[21] = (byte) SctpPacket.FORWARD_TSN;
        BigEndian.putU16(v, 24, SctpPacket.PARAM_FORWARD_TSN_SUPPORTED);
        BigEndian.putU16(v, 26, 4);
        if (cookie != null) {
            BigEndian.putU16(v, 28, SctpPacket.PARAM_STATE_COOKIE);
            BigEndian.putU16(v, 30, 4 + cookie.length);
            System.arraycopy(cookie, 0, v, 32, cookie.length);
        }
        return SctpPacket.chunk(type, 0, v);
    }

    public static long tag(byte[] p, int at) {
        return BigEndian.u32(p, at);
    }

    public static long receiveWindow(byte[] p, int at) {
        return BigEndian.u32(p, at + 4);
    }

    public static long initialTsn(byte[] p, int at) {
        return BigEndian.u32(p, at + 12);
    }

    /** The fixed fields are there and every parameter lies within the chunk's value. */
    public static boolean wellFormed(byte[] p, int at, int length) {
        if (length < FIXED) {
            return false;
        }
        for (int i = at + FIXED; i + 4 <= at + length; i += SctpPacket.padded(BigEndian.u16(p, i + 2))) {
            int paramLength = BigEndian.u16(p, i + 2);
            if (paramLength < 4 || i + paramLength > at + length) {
                return false;
            }
        }
        return true;
    }

    /** The value of the first parameter of {@code type}, or null (the chunk is {@link #wellFormed}). */
    public static byte[] parameter(byte[] p, int at, int length, int type) {
        for (int i = at + FIXED; i + 4 <= at + length; i += SctpPacket.padded(BigEndian.u16(p, i + 2))) {
            if (BigEndian.u16(p, i) == type) {
                return Arrays.copyOfRange(p, i + 4, i + BigEndian.u16(p, i + 2));
            }
        }
        return null;
    }
}
