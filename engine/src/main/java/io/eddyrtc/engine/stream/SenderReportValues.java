package io.eddyrtc.engine.stream;

/**
 * The sender-info fields of an RTCP sender report (RFC 3550 §6.4.1) as plain values: written by a
 * {@link SendStream} for the RTCP writer, or filled from a received SR for {@link ReceiveStream#onSenderReport}.
 */
public final class SenderReportValues {
    public long ssrc;
    /** 64-bit NTP timestamp (wallclock) of the report. */
    public long ntpTime;
    /** The RTP timestamp corresponding to the same instant as {@link #ntpTime}. */
    public long rtpTime;
    public long packetCount;
    public long octetCount;

    @Override
    public String toString() {
        return "SenderReport{ssrc=" + ssrc + ", ntp=" + Long.toHexString(ntpTime) + ", rtp=" + rtpTime
                + ", packets=" + packetCount + ", octets=" + octetCount + '}';
    }
}
