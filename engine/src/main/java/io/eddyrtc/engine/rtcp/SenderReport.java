package io.eddyrtc.engine.rtcp;

/** An SR (RFC 3550 §6.4.1): sender info, then the report blocks of {@link ReportPacket}. */
public final class SenderReport extends ReportPacket {
    /** Header, SSRC and sender info: where report blocks start. */
    public static final int FIXED_LENGTH = 28;
    private static final int NTP = 8;
    private static final int RTP_TIMESTAMP = 16;
    private static final int PACKET_COUNT = 20;
    private static final int OCTET_COUNT = 24;

    @Override
    int blocksStart() {
        return FIXED_LENGTH;
    }

    /** The 64-bit NTP wallclock of this report (see {@code io.eddyrtc.buffers.NtpTime}). */
    public long ntpTime() {
        return u64(NTP);
    }

    /** The RTP timestamp that corresponds to {@link #ntpTime()}. */
    public long rtpTimestamp() {
        return u32(RTP_TIMESTAMP);
    }

    public long packetCount() {
        return u32(PACKET_COUNT);
    }

    public long octetCount() {
        return u32(OCTET_COUNT);
    }
}
