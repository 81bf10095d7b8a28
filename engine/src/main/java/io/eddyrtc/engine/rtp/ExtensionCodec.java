package io.eddyrtc.engine.rtp;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * RFC 8285 header extension elements, one-byte and two-byte forms, read into and written from
 * {@link RtpExtensionValues}. Lenient like str0m when reading: an element that overruns the block ends
 * the walk, an element of an impossible length for its extension is skipped and counted, unmapped ids
 * are ignored. Nothing here throws on network bytes.
 */
final class ExtensionCodec {
    private static final int ONE_BYTE_MAX_ID = 14;
    private static final int ONE_BYTE_MAX_LENGTH = 16;
    /** The longest element (two-byte form: a two-byte header and 255 bytes of value) in zeroes, to blank from. */
    private static final MemorySegment ZEROES = Arena.global().allocate(2 + 255);

    private ExtensionCodec() {
    }

    static void parse(ExtensionMap map, RtpHeader header, RtpExtensionValues values) {
        values.clear();
        int form = form(header);
        if (form == 0) {
            return;
        }
        MemorySegment s = header.segment();
        long base = header.offset();
        int end = header.extensionOffset() + header.extensionLength();
        for (long e = next(s, base, header.extensionOffset(), end, form); e >= 0; e = next(s, base, valueAt(e) + length(e), end, form)) {
            RtpExtension extension = map.lookup(id(e));
            if (extension != null && !parseValue(extension, s, base + valueAt(e), length(e), values)) {
                values.markMalformed();
            }
        }
    }

    /**
     * Where the value of {@code extension}'s element is in the wrapped packet: {@code offset << 16 | length},
     * offset relative to the window; -1 if absent, unmapped or the block is malformed before it.
     */
    static long locate(ExtensionMap map, RtpHeader header, RtpExtension extension) {
        int wanted = map.idOf(extension);
        int form = form(header);
        if (wanted == 0 || form == 0) {
            return -1;
        }
        MemorySegment s = header.segment();
        long base = header.offset();
        int end = header.extensionOffset() + header.extensionLength();
        for (long e = next(s, base, header.extensionOffset(), end, form); e >= 0; e = next(s, base, valueAt(e) + length(e), end, form)) {
            if (id(e) == wanted) {
                return (long) valueAt(e) << 16 | length(e);
            }
        }
        return -1;
    }

    /**
     * Turns {@code extension}'s element in the wrapped {@code header} into padding (its header and value zeroed,
     * which readers skip, RFC 8285 §4.2 and §4.3): the packet keeps its length. False when it is absent.
     */
    static boolean blank(ExtensionMap map, RtpHeader header, RtpExtension extension) {
        long where = locate(map, header, extension);
        if (where < 0) {
            return false;
        }
        int form = form(header);
        long value = header.offset() + (where >>> 16);
        zero(header.segment(), value - form, form + (int) (where & 0xFFFF)); // the element's own header too
        return true;
    }

    /**
     * Rewrites the ids of every element in the wrapped {@code header} from {@code from}'s numbering to {@code to}'s,
     * in place; an element {@code to} has no id for (or none the block's form can hold) becomes padding. What a
     * forwarded packet carries then means to its receiver what it meant to its sender.
     */
    static void translate(ExtensionMap from, ExtensionMap to, RtpHeader header) {
        rewrite(from, to, header, false);
    }

    /**
     * {@link #translate} ({@code from} null: the ids are left as they are) and, in the same walk, the elements
     * naming the sender's stream (mid, rid, repaired rid) made padding: what a forwarded packet needs, in one
     * pass over its block instead of one per element blanked.
     */
    static void forward(ExtensionMap from, ExtensionMap to, RtpHeader header) {
        rewrite(from, to, header, true);
    }

    private static void rewrite(ExtensionMap from, ExtensionMap to, RtpHeader header, boolean blankStreamIds) {
        int form = form(header);
        if (form == 0) {
            return;
        }
        MemorySegment s = header.segment();
        long base = header.offset();
        int end = header.extensionOffset() + header.extensionLength();
        for (long e = next(s, base, header.extensionOffset(), end, form); e >= 0; e = next(s, base, valueAt(e) + length(e), end, form)) {
            RtpExtension extension = (from == null ? to : from).lookup(id(e));
            if (extension == null && from == null) {
                continue; // written under numbering we do not know: left as it is
            }
            boolean blank = extension == null || blankStreamIds && namesStream(extension);
            int id = blank ? 0 : to.idOf(extension);
            long element = base + valueAt(e) - form;
            if (id == 0 || (form == 1 && id > ONE_BYTE_MAX_ID)) {
                zero(s, element, form + length(e));
            } else if (id == id(e)) {
                continue; // both sides agreed the same id: nothing to write
            } else if (form == 1) {
                BigEndian.putU8(s, element, id << 4 | (BigEndian.u8(s, element) & 0x0F));
            } else {
                BigEndian.putU8(s, element, id);
            }
        }
    }

    private static boolean namesStream(RtpExtension extension) {
        return extension == RtpExtension.MID || extension == RtpExtension.RID || extension == RtpExtension.REPAIRED_RID;
    }

    /** Zeroes {@code length} bytes from {@code at}: one bulk copy, no slice (nothing allocated per packet). */
    private static void zero(MemorySegment s, long at, int length) {
        MemorySegment.copy(ZEROES, 0, s, at, length);
    }

    /** 1 for the one-byte form, 2 for the two-byte form, 0 for no (or another) extension block. */
    private static int form(RtpHeader header) {
        int profile = header.extensionProfile();
        if (profile == RtpHeader.PROFILE_ONE_BYTE) {
            return 1;
        }
        return profile >= 0 && (profile & 0xFFF0) == RtpHeader.PROFILE_TWO_BYTE ? 2 : 0;
    }

    /**
     * The element at or after {@code at} (padding skipped), both relative to {@code base}, packed as
     * {@code valueAt << 32 | id << 16 | length}; -1 when the block ends, stops (one-byte id 15, RFC 8285
     * §4.2) or an element overruns it. One walk for reading and for locating, allocation-free.
     */
    private static long next(MemorySegment s, long base, int at, int end, int form) {
        while (at < end && BigEndian.u8(s, base + at) == 0) {
            at++; // padding between elements
        }
        if (at >= end) {
            return -1;
        }
        int first = BigEndian.u8(s, base + at);
        int id;
        int length;
        if (form == 1) {
            id = first >>> 4;
            length = (first & 0x0F) + 1;
            if (id == 15) {
                return -1;
            }
            at++;
        } else {
            if (at + 2 > end) {
                return -1;
            }
            id = first;
            length = BigEndian.u8(s, base + at + 1);
            at += 2;
        }
        if (at + length > end) {
            return -1;
        }
        return (long) at << 32 | (long) id << 16 | length;
    }

    private static int valueAt(long element) {
        return (int) (element >>> 32);
    }

    private static int id(long element) {
        return (int) (element >>> 16) & 0xFFFF;
    }

    private static int length(long element) {
        return (int) element & 0xFFFF;
    }

    private static boolean parseValue(RtpExtension extension, MemorySegment s, long at, int length, RtpExtensionValues v) {
        switch (extension) {
            case ABS_SEND_TIME -> {
                if (length != 3) {
                    return false;
                }
                v.absSendTime = BigEndian.u24(s, at);
            }
            case TRANSPORT_WIDE_CC -> {
                if (length < 2) {
                    return false;
                }
                v.transportSequence = BigEndian.u16(s, at);
            }
            case MID, RID, REPAIRED_RID -> {
                if (!v.readId(extension, s, at, length)) {
                    return false;
                }
            }
            case AUDIO_LEVEL -> {
                if (length < 1) {
                    return false;
                }
                int b = BigEndian.u8(s, at);
                v.audioLevel = b & 0x7F;
                v.voiceActivity = (b & 0x80) != 0;
            }
            case VIDEO_ORIENTATION -> {
                if (length < 1) {
                    return false;
                }
                v.videoOrientation = BigEndian.u8(s, at) & 0x0F;
            }
            case PLAYOUT_DELAY -> {
                if (length != 3) {
                    return false;
                }
                int bits = BigEndian.u24(s, at);
                v.playoutDelayMin = bits >>> 12;
                v.playoutDelayMax = bits & 0xFFF;
            }
            case COLOR_SPACE -> {
                if (length != 4 && length != RtpExtensionValues.MAX_COLOR_SPACE_BYTES) {
                    return false;
                }
                MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, v.colorSpace, 0, length);
                v.colorSpaceLength = length;
            }
            case ABS_CAPTURE_TIME -> {
                if (length != 8 && length != 16) {
                    return false;
                }
                v.absCaptureTime = BigEndian.u64(s, at);
                v.hasAbsCaptureClockOffset = length == 16;
                v.absCaptureClockOffset = length == 16 ? BigEndian.u64(s, at + 8) : 0;
            }
            case VIDEO_CONTENT_TYPE -> {
                if (length < 1) {
                    return false;
                }
                v.videoContentType = BigEndian.u8(s, at);
            }
            case VIDEO_TIMING -> {
                // 13 bytes today; older senders wrote 9 (no network fields), str0m reads from 9.
                if (length < 9) {
                    return false;
                }
                v.videoTiming[0] = BigEndian.u8(s, at);
                for (int i = 1; i < 7; i++) {
                    int fieldAt = 1 + 2 * (i - 1);
                    v.videoTiming[i] = fieldAt + 2 <= length ? BigEndian.u16(s, at + fieldAt) : 0;
                }
            }
            case FRAME_MARKING -> {
                if (length != 1 && length != 3) {
                    return false;
                }
                v.frameMarking = length == 1 ? BigEndian.u8(s, at) : BigEndian.u24(s, at);
                v.frameMarkingLength = length;
            }
            case TOFFSET -> {
                if (length != 3) {
                    return false;
                }
                v.transmissionOffset = (BigEndian.u24(s, at) << 8) >> 8;
            }
        }
        v.mark(extension);
        return true;
    }

    private static int valueLength(RtpExtension extension, RtpExtensionValues v) {
        return switch (extension) {
            case ABS_SEND_TIME, PLAYOUT_DELAY, TOFFSET -> 3;
            case TRANSPORT_WIDE_CC -> 2;
            case MID -> v.midLength;
            case RID -> v.ridLength;
            case REPAIRED_RID -> v.repairedRidLength;
            case AUDIO_LEVEL, VIDEO_ORIENTATION, VIDEO_CONTENT_TYPE -> 1;
            case COLOR_SPACE -> v.colorSpaceLength;
            case ABS_CAPTURE_TIME -> v.hasAbsCaptureClockOffset ? 16 : 8;
            case VIDEO_TIMING -> 13;
            case FRAME_MARKING -> v.frameMarkingLength;
        };
    }

    /**
     * Writes the extension block (profile word, elements, zero padding to a word) for the present and
     * mapped values. Returns its length, 0 if there is nothing to write, or -1 if it does not fit.
     */
    static int write(ExtensionMap map, RtpExtensionValues v, MemorySegment s, long offset, int room) {
        long mapped = 0; // the present values the map gives an id: the ones written
        boolean twoByte = false;
        int valueBytes = 0;
        for (long rest = v.presentBits(); rest != 0; rest &= rest - 1) {
            int bit = Long.numberOfTrailingZeros(rest);
            RtpExtension e = RtpExtensionValues.extension(bit);
            int id = map.idOf(e);
            if (id != 0) {
                int length = valueLength(e, v);
                twoByte |= id > ONE_BYTE_MAX_ID || length > ONE_BYTE_MAX_LENGTH;
                valueBytes += length;
                mapped |= 1L << bit;
            }
        }
        if (mapped == 0) {
            return 0;
        }
        int body = valueBytes + Long.bitCount(mapped) * (twoByte ? 2 : 1);
        int padded = (body + 3) & ~3;
        if (4 + padded > room) {
            return -1;
        }
        BigEndian.putU16(s, offset, twoByte ? RtpHeader.PROFILE_TWO_BYTE : RtpHeader.PROFILE_ONE_BYTE);
        BigEndian.putU16(s, offset + 2, padded / 4);
        long at = offset + 4;
        for (long rest = mapped; rest != 0; rest &= rest - 1) {
            RtpExtension e = RtpExtensionValues.extension(Long.numberOfTrailingZeros(rest));
            int id = map.idOf(e);
            int length = valueLength(e, v);
            if (twoByte) {
                BigEndian.putU8(s, at, id);
                BigEndian.putU8(s, at + 1, length);
                at += 2;
            } else {
                BigEndian.putU8(s, at, (id << 4) | (length - 1));
                at++;
            }
            writeValue(e, v, s, at);
            at += length;
        }
        for (long end = offset + 4 + padded; at < end; at++) {
            BigEndian.putU8(s, at, 0); // at most three bytes; no slice object on the packet path
        }
        return 4 + padded;
    }

    private static void writeValue(RtpExtension e, RtpExtensionValues v, MemorySegment s, long at) {
        switch (e) {
            case ABS_SEND_TIME -> BigEndian.putU24(s, at, v.absSendTime);
            case TRANSPORT_WIDE_CC -> BigEndian.putU16(s, at, v.transportSequence);
            case MID -> MemorySegment.copy(v.mid, 0, s, ValueLayout.JAVA_BYTE, at, v.midLength);
            case RID -> MemorySegment.copy(v.rid, 0, s, ValueLayout.JAVA_BYTE, at, v.ridLength);
            case REPAIRED_RID -> MemorySegment.copy(v.repairedRid, 0, s, ValueLayout.JAVA_BYTE, at, v.repairedRidLength);
            case AUDIO_LEVEL -> BigEndian.putU8(s, at, (v.voiceActivity ? 0x80 : 0) | v.audioLevel);
            case VIDEO_ORIENTATION -> BigEndian.putU8(s, at, v.videoOrientation);
            case PLAYOUT_DELAY -> BigEndian.putU24(s, at, (v.playoutDelayMin << 12) | v.playoutDelayMax);
            case COLOR_SPACE -> MemorySegment.copy(v.colorSpace, 0, s, ValueLayout.JAVA_BYTE, at, v.colorSpaceLength);
            case ABS_CAPTURE_TIME -> {
                BigEndian.putU64(s, at, v.absCaptureTime);
                if (v.hasAbsCaptureClockOffset) {
                    BigEndian.putU64(s, at + 8, v.absCaptureClockOffset);
                }
            }
            case VIDEO_CONTENT_TYPE -> BigEndian.putU8(s, at, v.videoContentType);
            case VIDEO_TIMING -> {
                BigEndian.putU8(s, at, v.videoTiming[0]);
                for (int i = 1; i < 7; i++) {
                    BigEndian.putU16(s, at + 1 + 2 * (i - 1), v.videoTiming[i]);
                }
            }
            case FRAME_MARKING -> {
                if (v.frameMarkingLength == 1) {
                    BigEndian.putU8(s, at, v.frameMarking);
                } else {
                    BigEndian.putU24(s, at, v.frameMarking);
                }
            }
            case TOFFSET -> BigEndian.putU24(s, at, v.transmissionOffset & 0xFF_FFFF);
        }
    }
}
