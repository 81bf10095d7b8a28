package io.eddyrtc.engine.rtcp;

/**
 * A generic NACK (RTPFB FMT 1, RFC 4585 §6.2.1): entries of a packet ID and a bitmask of the 16
 * sequence numbers after it that are lost too. {@link #lostSequenceNumbers} expands them.
 */
public final class GenericNack extends FeedbackPacket {
    /** The RTPFB format of a generic NACK. */
    public static final int FORMAT = 1;

    @Override
    protected boolean validate() {
        return super.validate() && fciLength() >= 4 && fciLength() % 4 == 0;
    }

    /** Number of PID+BLP entries. */
    public int entryCount() {
        return fciLength() / 4;
    }

    /** The packet ID (first lost sequence number) of entry {@code i}. */
    public int packetId(int i) {
        return u16(FCI + 4 * i);
    }

    /** The bitmask of following lost packets of entry {@code i}: bit k means PID+k+1 is lost. */
    public int lostBitmask(int i) {
        return u16(FCI + 4 * i + 2);
    }

    /** How many sequence numbers the packet names (duplicates across entries counted twice). */
    public int lostCount() {
        int n = 0;
        for (int i = 0, e = entryCount(); i < e; i++) {
            n += 1 + Integer.bitCount(lostBitmask(i));
        }
        return n;
    }

    /**
     * Writes the lost sequence numbers into {@code out} from {@code outOffset}, in packet order, and
     * returns how many were written: at most {@code out.length - outOffset}, so a short array
     * truncates instead of failing.
     */
    public int lostSequenceNumbers(int[] out, int outOffset) {
        int n = outOffset;
        for (int i = 0, e = entryCount(); i < e; i++) {
            int pid = packetId(i);
            int blp = lostBitmask(i);
            if (n >= out.length) {
                break;
            }
            out[n++] = pid;
            for (int k = 0; k < 16 && n < out.length; k++) {
                if ((blp & (1 << k)) != 0) {
                    out[n++] = (pid + k + 1) & 0xFFFF;
                }
            }
        }
        return n - outOffset;
    }
}
