package io.eddyrtc.engine.rtcp;

/**
 * Receiver estimated maximum bitrate (PSFB FMT 15 "REMB", draft-alvestrand-rmcat-remb-03): a
 * bitrate as an 18-bit mantissa times 2^exp, and the SSRCs it applies to.
 */
public final class Remb extends FeedbackPacket {
    /** The PSFB format of application-layer feedback, which REMB uses. */
    public static final int FORMAT = 15;
    /** "REMB" in ASCII, the unique identifier at the start of the FCI. */
    public static final long IDENTIFIER = 0x52454D42L;
    private static final int NUM_SSRC = FCI + 4;
    private static final int BITRATE = FCI + 5;
    private static final int SSRCS = FCI + 8;

    @Override
    protected boolean validate() {
        return super.validate() && fciLength() >= 8 && u32(FCI) == IDENTIFIER
                && SSRCS + 4 * ssrcCount() <= length();
    }

    /** Number of SSRCs the estimate applies to. */
    public int ssrcCount() {
        return u8(NUM_SSRC);
    }

    public long ssrc(int i) {
        return u32(SSRCS + 4 * i);
    }

    /** The 6-bit exponent of the bitrate. */
    public int bitrateExponent() {
        return u8(BITRATE) >>> 2;
    }

    /** The 18-bit mantissa of the bitrate. */
    public int bitrateMantissa() {
        return ((u8(BITRATE) & 0x03) << 16) | u16(BITRATE + 1);
    }

    /**
     * The bitrate in bits per second: mantissa × 2^exp, saturating at {@code Long.MAX_VALUE} (the
     * field can express more than a long holds, though no real estimate comes close).
     */
    public long bitrate() {
        long mantissa = bitrateMantissa();
        int exp = bitrateExponent();
        if (mantissa != 0 && exp >= Long.numberOfLeadingZeros(mantissa)) {
            return Long.MAX_VALUE;
        }
        return mantissa << exp;
    }
}
