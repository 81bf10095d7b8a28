package io.eddyrtc.engine.rtcp;

import io.eddyrtc.buffers.Flyweight;

/**
 * What SR and RR share (RFC 3550 §6.4): the reporter's SSRC and up to 31 report blocks, one per
 * source it receives. Blocks are read by index; {@link #validate()} has checked they all fit.
 */
public abstract sealed class ReportPacket extends Flyweight permits SenderReport, ReceiverReport {
    /** Bytes in one report block. */
    public static final int BLOCK_LENGTH = 24;
    static final int SSRC = 4;

    private static final int BLOCK_SSRC = 0;
    private static final int BLOCK_FRACTION_LOST = 4;
    private static final int BLOCK_CUMULATIVE_LOST = 5;
    private static final int BLOCK_HIGHEST_SEQ = 8;
    private static final int BLOCK_JITTER = 12;
    private static final int BLOCK_LAST_SR = 16;
    private static final int BLOCK_DELAY_SINCE_LAST_SR = 20;

    /** Where report blocks start: 28 for SR, 8 for RR. */
    abstract int blocksStart();

    @Override
    protected boolean validate() {
        return length() >= blocksStart() + BLOCK_LENGTH * (u8(0) & 0x1F);
    }

    /** The SSRC of the sender of this report. */
    public final long ssrc() {
        return u32(SSRC);
    }

    /** Number of report blocks (RC). */
    public final int blockCount() {
        return u8(0) & 0x1F;
    }

    /** The SSRC of the source block {@code i} reports on. */
    public final long blockSsrc(int i) {
        return u32(block(i) + BLOCK_SSRC);
    }

    /** Fraction of packets lost since the previous report, in 1/256. */
    public final int fractionLost(int i) {
        return u8(block(i) + BLOCK_FRACTION_LOST);
    }

    /** Cumulative packets lost: a signed 24-bit count (duplicates can make it negative). */
    public final int cumulativeLost(int i) {
        int raw = u24(block(i) + BLOCK_CUMULATIVE_LOST);
        return (raw << 8) >> 8;
    }

    /** Extended highest sequence number received (cycles in the upper 16 bits). */
    public final long extendedHighestSequence(int i) {
        return u32(block(i) + BLOCK_HIGHEST_SEQ);
    }

    /** Interarrival jitter in RTP timestamp units. */
    public final long jitter(int i) {
        return u32(block(i) + BLOCK_JITTER);
    }

    /** LSR: the compact NTP time of the last SR received from this source, 0 if none. */
    public final long lastSr(int i) {
        return u32(block(i) + BLOCK_LAST_SR);
    }

    /** DLSR: delay since that SR in 1/65536 s. */
    public final long delaySinceLastSr(int i) {
        return u32(block(i) + BLOCK_DELAY_SINCE_LAST_SR);
    }

    private int block(int i) {
        return blocksStart() + BLOCK_LENGTH * i;
    }
}
