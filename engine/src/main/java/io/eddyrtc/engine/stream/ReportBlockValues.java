package io.eddyrtc.engine.stream;

/**
 * The fields of one RTCP reception report block (RFC 3550 §6.4.1), as plain values for the RTCP writer, or
 * as read from a received block. A reusable holder: one per {@code Rtc}, refilled per report.
 */
public final class ReportBlockValues {
    /** The SSRC the block reports on. */
    public long ssrc;
    /** Fraction lost since the previous report, 8-bit fixed point (lost/expected · 256). */
    public int fractionLost;
    /** Cumulative lost, 24-bit signed. */
    public int cumulativeLost;
    /** Extended highest sequence number received: cycles in the high 16 bits. */
    public long extendedHighestSequence;
    /** Interarrival jitter in RTP timestamp units. */
    public long jitter;
    /** Middle 32 bits of the NTP timestamp of the last SR received from this source; 0 if none. */
    public long lastSenderReport;
    /** Delay since that SR, in 1/65536 s; 0 if none. */
    public long delaySinceLastSenderReport;

    public ReportBlockValues set(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
                                 long jitter, long lastSenderReport, long delaySinceLastSenderReport) {
        this.ssrc = ssrc;
        this.fractionLost = fractionLost;
        this.cumulativeLost = cumulativeLost;
        this.extendedHighestSequence = extendedHighestSequence;
        this.jitter = jitter;
        this.lastSenderReport = lastSenderReport;
        this.delaySinceLastSenderReport = delaySinceLastSenderReport;
        return this;
    }

    @Override
    public String toString() {
        return "ReportBlock{ssrc=" + ssrc + ", fraction=" + fractionLost + ", cumulative=" + cumulativeLost
                + ", highest=" + extendedHighestSequence + ", jitter=" + jitter + ", lsr=" + lastSenderReport
                + ", dlsr=" + delaySinceLastSenderReport + '}';
    }
}
