package io.eddyrtc.engine.rtcp;

/** An RR (RFC 3550 §6.4.2): the reporter's SSRC and the report blocks of {@link ReportPacket}. */
public final class ReceiverReport extends ReportPacket {
    /** Header and SSRC: where report blocks start. */
    public static final int FIXED_LENGTH = 8;

    @Override
    int blocksStart() {
        return FIXED_LENGTH;
    }
}
