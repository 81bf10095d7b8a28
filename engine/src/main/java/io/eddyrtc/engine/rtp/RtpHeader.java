package io.eddyrtc.engine.rtp;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.Flyweight;
import java.lang.foreign.MemorySegment;

/**
 * An RTP packet (RFC 3550 §5.1) read and rewritten in place: {@link #wrap} checks the version, the CSRC
 * list, the header extension and the padding fit the window, the getters are plain reads and the
 * setters plain writes (an SFU rewrites SSRC, payload type and sequence number without copying).
 * {@link #write} builds a header, with extensions, into a segment. Allocates nothing.
 *
 * <p>{@link #parse} is {@code wrap} with the reason for a refusal, for the drop counters.
 */
public final class RtpHeader extends Flyweight {
    /** Bytes of the fixed header. */
    public static final int FIXED = 12;
    /** The one-byte header extension profile (RFC 8285 §4.2). */
    public static final int PROFILE_ONE_BYTE = 0xBEDE;
    /** The two-byte header extension profile; the low 4 bits are application bits (RFC 8285 §4.3). */
    public static final int PROFILE_TWO_BYTE = 0x1000;

    private static final int FLAGS = 0;
    private static final int MARKER_PT = 1;
    private static final int SEQUENCE = 2;
    private static final int TIMESTAMP = 4;
    private static final int SSRC = 8;

    private int headerLength;
    private int payloadLength;
    private int extensionOffset;
    private int extensionLength;
    private RtpDropReason failure = RtpDropReason.NONE;

    /**
     * Wraps like {@link #wrap(MemorySegment, long, int)} and says why a packet was refused.
     *
     * @return {@link RtpDropReason#NONE} if the packet was wrapped, otherwise the reason it was not
     */
    public RtpDropReason parse(MemorySegment segment, long offset, int length) {
        failure = RtpDropReason.WINDOW_OUTSIDE_SEGMENT;
        return wrap(segment, offset, length) ? RtpDropReason.NONE : failure;
    }

    @Override
    protected boolean validate() {
        if (length() < FIXED) {
            return fail(RtpDropReason.TOO_SHORT);
        }
        int first = u8(FLAGS);
        if (first >>> 6 != 2) {
            return fail(RtpDropReason.NOT_VERSION_2);
        }
        int header = FIXED + 4 * (first & 0x0F);
        if (header > length()) {
            return fail(RtpDropReason.CSRC_BEYOND_PACKET);
        }
        extensionOffset = 0;
        extensionLength = 0;
        if ((first & 0x10) != 0) {
            if (header + 4 > length()) {
                return fail(RtpDropReason.EXTENSION_BEYOND_PACKET);
            }
            int words = u16(header + 2);
            extensionOffset = header + 4;
            extensionLength = 4 * words;
            header += 4 + extensionLength;
            if (header > length()) {
                return fail(RtpDropReason.EXTENSION_BEYOND_PACKET);
            }
        }
        int padding = 0;
        if ((first & 0x20) != 0) {
            padding = u8(length() - 1);
            if (padding == 0 || header + padding > length()) {
                return fail(RtpDropReason.BAD_PADDING);
            }
        }
        headerLength = header;
        payloadLength = length() - header - padding;
        failure = RtpDropReason.NONE;
        return true;
    }

    private boolean fail(RtpDropReason reason) {
        failure = reason;
        return false;
    }

    public boolean marker() {
        return (u8(MARKER_PT) & 0x80) != 0;
    }

    public int payloadType() {
        return u8(MARKER_PT) & 0x7F;
    }

    public int sequenceNumber() {
        return u16(SEQUENCE);
    }

    public long timestamp() {
        return u32(TIMESTAMP);
    }

    public long ssrc() {
        return u32(SSRC);
    }

    public int csrcCount() {
        return u8(FLAGS) & 0x0F;
    }

    public long csrc(int index) {
        return u32(FIXED + 4 * index);
    }

    public boolean hasExtension() {
        return (u8(FLAGS) & 0x10) != 0;
    }

    public boolean hasPadding() {
        return (u8(FLAGS) & 0x20) != 0;
    }

    /** The header extension's profile ({@code 0xBEDE}, {@code 0x100x}, or another), or -1 if none. */
    public int extensionProfile() {
        return extensionOffset == 0 ? -1 : u16(extensionOffset - 4);
    }

    /** Offset of the extension elements (after the profile and length words) in the window; 0 if none. */
    public int extensionOffset() {
        return extensionOffset;
    }

    /** Bytes of extension elements, the declared length in words times four. */
    public int extensionLength() {
        return extensionLength;
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

    /** Padding bytes at the end (the last byte's count when the P bit is set), else 0. */
    public int paddingLength() {
        return length() - headerLength - payloadLength;
    }

    public void setMarker(boolean marker) {
        putU8(MARKER_PT, (u8(MARKER_PT) & 0x7F) | (marker ? 0x80 : 0));
    }

    public void setPayloadType(int payloadType) {
        putU8(MARKER_PT, (u8(MARKER_PT) & 0x80) | (payloadType & 0x7F));
    }

    public void setSequenceNumber(int sequenceNumber) {
        putU16(SEQUENCE, sequenceNumber);
    }

    public void setTimestamp(long timestamp) {
        putU32(TIMESTAMP, timestamp);
    }

    public void setSsrc(long ssrc) {
        putU32(SSRC, ssrc);
    }

    /**
     * Drops the padding: clears the P bit and narrows the window to header and payload, so what follows
     * (forwarding, RTX wrapping) sees no padding. Returns the new length.
     */
    public int removePadding() {
        if (hasPadding()) {
            putU8(FLAGS, u8(FLAGS) & ~0x20);
            limit(headerLength + payloadLength);
        }
        return length();
    }

    /**
     * Writes a fixed header with no CSRCs and, if {@code values} holds any extension {@code map} has an id
     * for, the header extension block; the payload goes at the returned offset.
     *
     * @return the header length, or -1 if it does not fit in {@code room} bytes (nothing useful written)
     */
    public static int write(MemorySegment segment, long offset, int room, int payloadType, boolean marker,
                            int sequenceNumber, long timestamp, long ssrc,
                            ExtensionMap map, RtpExtensionValues values) {
        if (room < FIXED || offset < 0 || offset > segment.byteSize() - room) {
            return -1;
        }
        int extension = 0;
        if (map != null && values != null) {
            extension = map.write(values, segment, offset + FIXED, room - FIXED);
            if (extension < 0) {
                return -1;
            }
        }
        BigEndian.putU8(segment, offset, 0x80 | (extension > 0 ? 0x10 : 0));
        BigEndian.putU8(segment, offset + MARKER_PT, (marker ? 0x80 : 0) | (payloadType & 0x7F));
        BigEndian.putU16(segment, offset + SEQUENCE, sequenceNumber);
        BigEndian.putU32(segment, offset + TIMESTAMP, timestamp);
        BigEndian.putU32(segment, offset + SSRC, ssrc);
        return FIXED + extension;
    }
}
