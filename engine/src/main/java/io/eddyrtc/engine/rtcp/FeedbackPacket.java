package io.eddyrtc.engine.rtcp;

import io.eddyrtc.buffers.Flyweight;

/**
 * A transport-layer (RTPFB, 205) or payload-specific (PSFB, 206) feedback packet (RFC 4585 §6.1):
 * format, the sender's SSRC, the media source's SSRC and the feedback control information (FCI).
 *
 * <p>Used directly for PLI (no FCI) and for formats eddy does not interpret, whose FCI is passed
 * through as a window; the subclasses read the FCI of NACK, FIR, REMB and transport-wide CC.
 */
public sealed class FeedbackPacket extends Flyweight permits GenericNack, FullIntraRequest, Remb, TransportFeedback {
    /** Header and both SSRCs: where the FCI starts. */
    public static final int FCI = 12;
    private static final int SENDER_SSRC = 4;
    private static final int MEDIA_SSRC = 8;

    @Override
    protected boolean validate() {
        return length() >= FCI;
    }

    /** 205 (RTPFB) or 206 (PSFB). */
    public final int packetType() {
        return u8(1);
    }

    /** The feedback message type (FMT). */
    public final int format() {
        return u8(0) & 0x1F;
    }

    /** The SSRC of the packet's sender. */
    public final long senderSsrc() {
        return u32(SENDER_SSRC);
    }

    /** The SSRC of the media source the feedback is about (0 for FIR and REMB, which name it in the FCI). */
    public final long mediaSsrc() {
        return u32(MEDIA_SSRC);
    }

    /** Offset of the FCI within the wrapped window. */
    public final int fciOffset() {
        return FCI;
    }

    /** Length of the FCI in bytes. */
    public final int fciLength() {
        return length() - FCI;
    }
}
