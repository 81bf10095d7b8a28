package io.eddyrtc.engine.rtcp;

import io.eddyrtc.buffers.Flyweight;

/** An APP packet (RFC 3550 §6.7), passed through: subtype, SSRC, 4-byte name and the raw data. */
public final class AppPacket extends Flyweight {
    /** Header, SSRC and name: where the data starts. */
    public static final int DATA = 12;

    @Override
    protected boolean validate() {
        return length() >= DATA;
    }

    public int subtype() {
        return u8(0) & 0x1F;
    }

    public long ssrc() {
        return u32(4);
    }

    /** The 4 ASCII characters of the name as one big-endian int. */
    public long name() {
        return u32(8);
    }

    /** Offset of the application data within the wrapped window. */
    public int dataOffset() {
        return DATA;
    }

    public int dataLength() {
        return length() - DATA;
    }
}
