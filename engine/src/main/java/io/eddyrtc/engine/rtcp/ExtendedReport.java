package io.eddyrtc.engine.rtcp;

import io.eddyrtc.buffers.Flyweight;

/**
 * An XR packet (RFC 3611): the reporter's SSRC and a list of report blocks. eddy reads the two that
 * give a receiver-only endpoint its round-trip time (§4.4 RRTR, §4.5 DLRR); the block cursor steps
 * over all others. {@link #validate()} checks every block's length once.
 *
 * <pre>{@code
 * xr.rewindBlocks();
 * while (xr.nextBlock()) {
 *     if (xr.blockType() == ExtendedReport.RRTR) ... xr.rrtrNtpTime()
 *     else for (int i = 0; i < xr.dlrrCount(); i++) ... xr.dlrrSsrc(i), xr.dlrrLastRr(i), xr.dlrrDelay(i)
 * }
 * }</pre>
 */
public final class ExtendedReport extends Flyweight {
    /** Block type of a receiver reference time report. */
    public static final int RRTR = 4;
    /** Block type of a DLRR report (delay since last RRTR, per receiver). */
    public static final int DLRR = 5;
    /** Bytes of an RRTR block: header and a 64-bit NTP time. */
    public static final int RRTR_LENGTH = 12;
    /** Bytes of one DLRR sub-block: SSRC, LRR, DLRR. */
    public static final int DLRR_SUB_BLOCK_LENGTH = 12;
    private static final int BLOCKS = 8;

    private int nextBlockAt;
    private int blockAt;
    private int blockLength;

    @Override
    protected boolean validate() {
        if (length() < BLOCKS) {
            return false;
        }
        int at = BLOCKS;
        while (at < length()) {
            if (at + 4 > length()) {
                return false;
            }
            int type = u8(at);
            int bytes = 4 + 4 * u16(at + 2);
            if (at + bytes > length()) {
                return false;
            }
            if (type == RRTR && bytes != RRTR_LENGTH) {
                return false;
            }
            if (type == DLRR && (bytes - 4) % DLRR_SUB_BLOCK_LENGTH != 0) {
                return false;
            }
            at += bytes;
        }
        rewindBlocks();
        return true;
    }

    /** The SSRC of the packet's sender. */
    public long ssrc() {
        return u32(4);
    }

    /** Puts the block cursor before the first block. */
    public void rewindBlocks() {
        nextBlockAt = BLOCKS;
        blockAt = -1;
        blockLength = 0;
    }

    /** Moves to the next RRTR or DLRR block, skipping other types; false when there is none. */
    public boolean nextBlock() {
        while (nextBlockAt < length()) {
            int at = nextBlockAt;
            int bytes = 4 + 4 * u16(at + 2);
            nextBlockAt = at + bytes;
            int type = u8(at);
            if (type == RRTR || type == DLRR) {
                blockAt = at;
                blockLength = bytes;
                return true;
            }
        }
        blockAt = -1;
        return false;
    }

    /** {@link #RRTR} or {@link #DLRR}. */
    public int blockType() {
        return u8(blockAt);
    }

    /** The 64-bit NTP time of the current RRTR block. */
    public long rrtrNtpTime() {
        return u64(blockAt + 4);
    }

    /** Number of sub-blocks in the current DLRR block. */
    public int dlrrCount() {
        return (blockLength - 4) / DLRR_SUB_BLOCK_LENGTH;
    }

    /** The SSRC of the receiver sub-block {@code i} answers. */
    public long dlrrSsrc(int i) {
        return u32(blockAt + 4 + DLRR_SUB_BLOCK_LENGTH * i);
    }

    /** LRR: the compact NTP time of that receiver's last RRTR, 0 if none. */
    public long dlrrLastRr(int i) {
        return u32(blockAt + 8 + DLRR_SUB_BLOCK_LENGTH * i);
    }

    /** DLRR: the delay since that RRTR in 1/65536 s. */
    public long dlrrDelay(int i) {
        return u32(blockAt + 12 + DLRR_SUB_BLOCK_LENGTH * i);
    }
}
