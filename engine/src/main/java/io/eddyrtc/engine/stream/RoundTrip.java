package io.eddyrtc.engine.stream;

import io.eddyrtc.buffers.NtpTime;

/**
 * Round-trip time from a reception report block (RFC 3550 §6.4.1): RTT = A − LSR − DLSR, where A is the
 * arrival time of the report as compact NTP. All three are 32-bit counts of 1/65536 s.
 */
public final class RoundTrip {
    private RoundTrip() {
    }

    /**
     * The RTT in nanoseconds, or -1 if the block has no LSR (no SR received yet by the peer) or the
     * result is negative (clocks or the block are wrong).
     *
     * @param arrivalNtp the 64-bit NTP wallclock at which the report block arrived
     */
    public static long fromReportBlock(long arrivalNtp, long lastSenderReport, long delaySinceLastSenderReport) {
        if (lastSenderReport == 0) {
            return -1;
        }
        int rtt = (int) (NtpTime.compact(arrivalNtp) - lastSenderReport - delaySinceLastSenderReport);
        return rtt < 0 ? -1 : NtpTime.compactToDuration(rtt & 0xFFFF_FFFFL);
    }
}
