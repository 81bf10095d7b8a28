package io.eddyrtc.engine.rtp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The values of the header extensions of one RTP packet, in a reusable holder: one instance per packet
 * path, {@link #clear()}ed and refilled per packet by {@link ExtensionMap#parse}, or filled by the sender
 * and written by {@link ExtensionMap#write}. Strings (mid, rid, repaired rid) stay bytes — compare them
 * with {@link #midEquals} and friends — so a packet costs no {@code String}.
 *
 * <p>Units are the wire's: audio level in -dBov (0–127), playout delay in 10 ms, abs-send-time as its
 * 6.18 fixed-point seconds, abs-capture-time as a 64-bit NTP timestamp, toffset in RTP ticks.
 */
public final class RtpExtensionValues {
    /** Longest mid, rid or repaired rid kept (longer ones are ignored and counted as malformed). */
    public static final int MAX_ID_BYTES = 16;
    /** The color-space element is 4 bytes, or 28 with HDR metadata. */
    public static final int MAX_COLOR_SPACE_BYTES = 28;

    private static final RtpExtension[] ALL = RtpExtension.values();

    private long present;
    private int malformed;

    int transportSequence;
    int absSendTime;
    int audioLevel;
    boolean voiceActivity;
    int videoOrientation;
    int playoutDelayMin;
    int playoutDelayMax;
    final byte[] colorSpace = new byte[MAX_COLOR_SPACE_BYTES];
    int colorSpaceLength;
    long absCaptureTime;
    long absCaptureClockOffset;
    boolean hasAbsCaptureClockOffset;
    int videoContentType;
    final int[] videoTiming = new int[7];
    int frameMarking;
    int frameMarkingLength;
    int transmissionOffset;
    final byte[] mid = new byte[MAX_ID_BYTES];
    int midLength;
    final byte[] rid = new byte[MAX_ID_BYTES];
    int ridLength;
    final byte[] repairedRid = new byte[MAX_ID_BYTES];
    int repairedRidLength;

    /** Forgets every value (cheap: only the presence bits). */
    public RtpExtensionValues clear() {
        present = 0;
        malformed = 0;
        return this;
    }

    public boolean has(RtpExtension extension) {
        return (present & (1L << extension.ordinal())) != 0;
    }

    /** Marks {@code extension} absent, so it is not written. */
    public RtpExtensionValues remove(RtpExtension extension) {
        present &= ~(1L << extension.ordinal());
        return this;
    }

    /** Elements seen in the last parse that were mapped but had an impossible length; they were skipped. */
    public int malformedCount() {
        return malformed;
    }

    void markMalformed() {
        malformed++;
    }

    void mark(RtpExtension extension) {
        present |= 1L << extension.ordinal();
    }

    long presentBits() {
        return present;
    }

    static RtpExtension extension(int ordinal) {
        return ALL[ordinal];
    }

    // --- transport-wide sequence number

    public int transportSequence() {
        return transportSequence;
    }

    public RtpExtensionValues setTransportSequence(int seq) {
        transportSequence = seq & 0xFFFF;
        mark(RtpExtension.TRANSPORT_WIDE_CC);
        return this;
    }

    // --- abs-send-time

    /** The 24-bit 6.18 fixed-point seconds. */
    public int absSendTime() {
        return absSendTime;
    }

    public RtpExtensionValues setAbsSendTime(int sixPointEighteen) {
        absSendTime = sixPointEighteen & 0xFF_FFFF;
        mark(RtpExtension.ABS_SEND_TIME);
        return this;
    }

    /** abs-send-time of a time in nanoseconds (of any epoch: only the seconds modulo 64 survive). */
    public static int absSendTimeOf(long nanos) {
        long fixed = Math.floorMod(nanos, 64_000_000_000L);
        return (int) ((fixed * (1L << 18) + 500_000_000L) / 1_000_000_000L) & 0xFF_FFFF;
    }

    // --- audio level

    /** Audio level in -dBov, 0 (loudest) to 127 (silence). */
    public int audioLevel() {
        return audioLevel;
    }

    public boolean voiceActivity() {
        return voiceActivity;
    }

    public RtpExtensionValues setAudioLevel(int minusDbov, boolean voice) {
        audioLevel = Math.clamp(minusDbov, 0, 127);
        voiceActivity = voice;
        mark(RtpExtension.AUDIO_LEVEL);
        return this;
    }

    // --- video orientation (3GPP TS 26.114: C F R1 R0 in the low bits)

    /** The raw byte: bit 3 camera, bit 2 flip, bits 1–0 rotation in 90° steps. */
    public int videoOrientation() {
        return videoOrientation;
    }

    /** Rotation in degrees: 0, 90, 180 or 270. */
    public int rotationDegrees() {
        return (videoOrientation & 3) * 90;
    }

    public RtpExtensionValues setVideoOrientation(int raw) {
        videoOrientation = raw & 0x0F;
        mark(RtpExtension.VIDEO_ORIENTATION);
        return this;
    }

    // --- playout delay

    /** Minimum playout delay in units of 10 ms (12 bits). */
    public int playoutDelayMin() {
        return playoutDelayMin;
    }

    /** Maximum playout delay in units of 10 ms (12 bits). */
    public int playoutDelayMax() {
        return playoutDelayMax;
    }

    public RtpExtensionValues setPlayoutDelay(int min10ms, int max10ms) {
        playoutDelayMin = min10ms & 0xFFF;
        playoutDelayMax = max10ms & 0xFFF;
        mark(RtpExtension.PLAYOUT_DELAY);
        return this;
    }

    // --- color space (kept as bytes: primaries, transfer, matrix, range/siting [, HDR metadata])

    public int colorSpaceLength() {
        return colorSpaceLength;
    }

    public int colorSpaceByte(int index) {
        return colorSpace[index] & 0xFF;
    }

    /** Sets the 4- or 28-byte color-space element from {@code bytes}. */
    public RtpExtensionValues setColorSpace(byte[] bytes, int length) {
        if (length != 4 && length != MAX_COLOR_SPACE_BYTES) {
            throw new IllegalArgumentException("a color-space element is 4 or 28 bytes, not " + length);
        }
        System.arraycopy(bytes, 0, colorSpace, 0, length);
        colorSpaceLength = length;
        mark(RtpExtension.COLOR_SPACE);
        return this;
    }

    // --- abs-capture-time

    /** The capture time as a 64-bit NTP timestamp. */
    public long absCaptureTime() {
        return absCaptureTime;
    }

    public boolean hasAbsCaptureClockOffset() {
        return hasAbsCaptureClockOffset;
    }

    /** The estimated capture clock offset, signed Q32.32 seconds. */
    public long absCaptureClockOffset() {
        return absCaptureClockOffset;
    }

    public RtpExtensionValues setAbsCaptureTime(long ntp64) {
        absCaptureTime = ntp64;
        hasAbsCaptureClockOffset = false;
        mark(RtpExtension.ABS_CAPTURE_TIME);
        return this;
    }

    public RtpExtensionValues setAbsCaptureTime(long ntp64, long clockOffsetQ32) {
        setAbsCaptureTime(ntp64);
        absCaptureClockOffset = clockOffsetQ32;
        hasAbsCaptureClockOffset = true;
        return this;
    }

    // --- video content type

    /** 0 unspecified, 1 screenshare. */
    public int videoContentType() {
        return videoContentType;
    }

    public RtpExtensionValues setVideoContentType(int type) {
        videoContentType = type & 0xFF;
        mark(RtpExtension.VIDEO_CONTENT_TYPE);
        return this;
    }

    // --- video timing: flags, then six 16-bit millisecond deltas

    /** Index 0 the flags; 1 encode start, 2 encode finish, 3 packetization done, 4 pacer exit, 5 and 6 network. */
    public int videoTiming(int index) {
        return videoTiming[index];
    }

    public RtpExtensionValues setVideoTiming(int flags, int encodeStart, int encodeFinish, int packetized, int pacerExit) {
        videoTiming[0] = flags & 0xFF;
        videoTiming[1] = encodeStart & 0xFFFF;
        videoTiming[2] = encodeFinish & 0xFFFF;
        videoTiming[3] = packetized & 0xFFFF;
        videoTiming[4] = pacerExit & 0xFFFF;
        videoTiming[5] = 0;
        videoTiming[6] = 0;
        mark(RtpExtension.VIDEO_TIMING);
        return this;
    }

    // --- frame marking (1 byte non-scalable, 3 bytes scalable)

    /** The element's bytes, big-endian in the low {@link #frameMarkingLength()} bytes. */
    public int frameMarking() {
        return frameMarking;
    }

    public int frameMarkingLength() {
        return frameMarkingLength;
    }

    public boolean frameStart() {
        return (frameMarking >>> (8 * frameMarkingLength - 1) & 1) != 0;
    }

    public boolean frameEnd() {
        return (frameMarking >>> (8 * frameMarkingLength - 2) & 1) != 0;
    }

    public boolean independentFrame() {
        return (frameMarking >>> (8 * frameMarkingLength - 3) & 1) != 0;
    }

    public RtpExtensionValues setFrameMarking(int bytes, int length) {
        if (length != 1 && length != 3) {
            throw new IllegalArgumentException("frame marking is 1 or 3 bytes, not " + length);
        }
        frameMarking = bytes & (length == 1 ? 0xFF : 0xFF_FFFF);
        frameMarkingLength = length;
        mark(RtpExtension.FRAME_MARKING);
        return this;
    }

    // --- toffset (RFC 5450): signed 24-bit

    public int transmissionOffset() {
        return transmissionOffset;
    }

    public RtpExtensionValues setTransmissionOffset(int ticks) {
        transmissionOffset = (ticks << 8) >> 8;
        mark(RtpExtension.TOFFSET);
        return this;
    }

    // --- mid, rid, repaired rid

    public int midLength() {
        return midLength;
    }

    public int ridLength() {
        return ridLength;
    }

    public int repairedRidLength() {
        return repairedRidLength;
    }

    public boolean midEquals(byte[] ascii) {
        return has(RtpExtension.MID) && Arrays.equals(mid, 0, midLength, ascii, 0, ascii.length);
    }

    public boolean ridEquals(byte[] ascii) {
        return has(RtpExtension.RID) && Arrays.equals(rid, 0, ridLength, ascii, 0, ascii.length);
    }

    public int copyRid(byte[] out) {
        System.arraycopy(rid, 0, out, 0, ridLength);
        return ridLength;
    }

    public int copyRepairedRid(byte[] out) {
        System.arraycopy(repairedRid, 0, out, 0, repairedRidLength);
        return repairedRidLength;
    }

    public RtpExtensionValues setMid(byte[] ascii) {
        midLength = setId(mid, ascii);
        mark(RtpExtension.MID);
        return this;
    }

    public RtpExtensionValues setRid(byte[] ascii) {
        ridLength = setId(rid, ascii);
        mark(RtpExtension.RID);
        return this;
    }

    public RtpExtensionValues setRepairedRid(byte[] ascii) {
        repairedRidLength = setId(repairedRid, ascii);
        mark(RtpExtension.REPAIRED_RID);
        return this;
    }

    private static int setId(byte[] into, byte[] ascii) {
        if (ascii.length == 0 || ascii.length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("mid and rid are 1 to " + MAX_ID_BYTES + " bytes, not " + ascii.length);
        }
        System.arraycopy(ascii, 0, into, 0, ascii.length);
        return ascii.length;
    }

    /**
     * Reads the mid, rid or repaired rid element ({@code which}), dropping trailing NUL bytes some senders
     * pad with. False, leaving the value as it was, if it is empty or too long.
     */
    boolean readId(RtpExtension which, MemorySegment segment, long at, int length) {
        while (length > 0 && segment.get(ValueLayout.JAVA_BYTE, at + length - 1) == 0) {
            length--;
        }
        if (length == 0 || length > MAX_ID_BYTES) {
            return false;
        }
        byte[] into = switch (which) {
            case MID -> mid;
            case RID -> rid;
            default -> repairedRid;
        };
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at, into, 0, length);
        switch (which) {
            case MID -> midLength = length;
            case RID -> ridLength = length;
            default -> repairedRidLength = length;
        }
        return true;
    }
}
