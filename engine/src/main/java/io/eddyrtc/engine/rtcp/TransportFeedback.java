package io.eddyrtc.engine.rtcp;

/**
 * Transport-wide congestion control feedback (RTPFB FMT 15,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1). {@link #validate()} decodes the packet
 * chunks and receive deltas into this flyweight's reusable {@link TwccReport}, because only a full
 * decode can tell whether the deltas the chunks promise are really there.
 *
 * <p>The FCI: base sequence (16), packet status count (16), reference time (24), feedback packet
 * count (8), then 16-bit chunks (run-length: {@code 0 SS LLLLLLLLLLLLL}; status vector of 14 one-bit
 * symbols: {@code 1 0 ...}; or of 7 two-bit symbols: {@code 1 1 ...}), then one byte per small delta and
 * two (signed) per large delta, in 250 µs ticks. A vector chunk may describe more symbols than the
 * status count needs; the extra ones are ignored. Symbol 3 is reserved and refused.
 */
public final class TransportFeedback extends FeedbackPacket {
    /** The RTPFB format of transport-wide CC feedback. */
    public static final int FORMAT = 15;
    private static final int BASE_SEQUENCE = FCI;
    private static final int STATUS_COUNT = FCI + 2;
    private static final int REFERENCE_TIME = FCI + 4;
    private static final int FEEDBACK_COUNT = FCI + 7;
    private static final int CHUNKS = FCI + 8;

    private final TwccReport report = new TwccReport();

    @Override
    protected boolean validate() {
        if (!super.validate() || length() < CHUNKS) {
            return false;
        }
        int count = u16(STATUS_COUNT);
        report.beginDecode(u16(BASE_SEQUENCE), count, u24(REFERENCE_TIME), u8(FEEDBACK_COUNT));
        int at = CHUNKS;
        int n = 0;
        while (n < count) {
            if (at + 2 > length()) {
                return false;
            }
            int chunk = u16(at);
            at += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >>> 13) & 0x3;
                if (symbol == 3) {
                    return false;
                }
                int run = Math.min(chunk & 0x1FFF, count - n);
                for (int k = 0; k < run; k++) {
                    report.setStatus(n++, symbol);
                }
            } else if ((chunk & 0x4000) == 0) {
                for (int k = 13; k >= 0 && n < count; k--) {
                    report.setStatus(n++, (chunk >>> k) & 0x1);
                }
            } else {
                for (int k = 12; k >= 0 && n < count; k -= 2) {
                    int symbol = (chunk >>> k) & 0x3;
                    if (symbol == 3) {
                        return false;
                    }
                    report.setStatus(n++, symbol);
                }
            }
        }
        for (int i = 0; i < count; i++) {
            int symbol = report.status(i);
            if (symbol == TwccReport.SMALL_DELTA) {
                if (at + 1 > length()) {
                    return false;
                }
                report.setDelta(i, u8(at));
                at += 1;
            } else if (symbol == TwccReport.LARGE_DELTA) {
                if (at + 2 > length()) {
                    return false;
                }
                report.setDelta(i, (short) u16(at));
                at += 2;
            }
        }
        return true;
    }

    /**
     * The decoded feedback, valid until this flyweight is wrapped again. Callers that keep it across
     * packets copy what they need.
     */
    public TwccReport report() {
        return report;
    }
}
