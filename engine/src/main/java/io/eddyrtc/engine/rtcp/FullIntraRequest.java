package io.eddyrtc.engine.rtcp;

/**
 * A full intra request (PSFB FMT 4, RFC 5104 §4.3.1): entries naming the media sender asked for a
 * keyframe and a command sequence number, so a repeated request can be told from a new one.
 */
public final class FullIntraRequest extends FeedbackPacket {
    /** The PSFB format of FIR. */
    public static final int FORMAT = 4;
    /** Bytes per FCI entry: SSRC, sequence number, 3 reserved. */
    public static final int ENTRY_LENGTH = 8;

    @Override
    protected boolean validate() {
        return super.validate() && fciLength() >= ENTRY_LENGTH && fciLength() % ENTRY_LENGTH == 0;
    }

    public int entryCount() {
        return fciLength() / ENTRY_LENGTH;
    }

    /** The SSRC of the media sender entry {@code i} asks for a keyframe. */
    public long entrySsrc(int i) {
        return u32(FCI + ENTRY_LENGTH * i);
    }

    /** The command sequence number of entry {@code i}. */
    public int entrySequenceNumber(int i) {
        return u8(FCI + ENTRY_LENGTH * i + 4);
    }
}
