package io.eddyrtc.engine.rtp;

import io.eddyrtc.buffers.Flyweight;

/**
 * An RTP packet (RFC 3550 §5.1) read in place: {@link #wrap} checks the version, the CSRC list, the
 * header extension and the padding fit the window, and the getters are plain reads. Allocates nothing.
 */
public final class RtpHeader extends Flyweight {
    private static final int FIXED = 12;

    private int headerLength;
    private int payloadLength;

    @Override
    protected boolean validate() {
        if (length() < FIXED) {
            return false;
        }
        int first = u8(0);
        if (first >>> 6 != 2) {
            return false;
        }
        int header = FIXED + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (header + 4 > length()) {
                return false;
            }
            header += 4 + 4 * u16(header + 2);
        }
        if (header > length()) {
            return false;
        }
        int padding = 0;
        if ((first & 0x20) != 0) {
            padding = u8(length() - 1);
            if (padding == 0 || header + padding > length()) {
                return false;
            }
        }
        headerLength = header;
        payloadLength = length() - header - padding;
        return true;
    }

    public boolean marker() {
        return (u8(1) & 0x80) != 0;
    }

    public int payloadType() {
        return u8(1) & 0x7F;
    }

    public int sequenceNumber() {
        return u16(2);
    }

    public long timestamp() {
        return u32(4);
    }

    public long ssrc() {
        return u32(8);
    }

    public int csrcCount() {
        return u8(0) & 0x0F;
    }

    public long csrc(int index) {
        return u32(FIXED + 4 * index);
    }

    public boolean hasExtension() {
        return (u8(0) & 0x10) != 0;
    }

    /** Bytes before the payload: fixed header, CSRCs and the extension. */
    public int headerLength() {
        return headerLength;
    }

    /** Offset of the payload within the wrapped window. */
    public int payloadOffset() {
        return headerLength;
    }

    /** Payload bytes, padding excluded. */
    public int payloadLength() {
        return payloadLength;
    }
}
