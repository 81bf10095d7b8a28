package io.eddyrtc.engine.demux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What a datagram arriving on a WebRTC 5-tuple is, decided from its first bytes as RFC 7983 §7 lays
 * out (with RFC 5761 §4 to tell RTCP from RTP on a muxed port). STUN goes to ICE, DTLS to the DTLS
 * endpoint, RTP and RTCP to SRTP; everything else is dropped and counted.
 */
public enum DatagramKind {
    /** First byte 0–3: STUN (ICE checks, consent). */
    STUN,
    /** First byte 16–19: ZRTP, which WebRTC does not use. */
    ZRTP,
    /** First byte 20–63: a DTLS record. */
    DTLS,
    /** First byte 64–79: a TURN ChannelData message. */
    TURN_CHANNEL,
    /** First byte 128–191 and a second byte outside 192–223: RTP. */
    RTP,
    /** First byte 128–191 and a second byte in 192–223: RTCP (packet types FIR 192 to XR 207 and the reserved rest). */
    RTCP,
    /** Empty, or a first byte no WebRTC protocol uses. */
    UNKNOWN;

    private static final int RTP_MIN_LENGTH = 12;
    private static final int RTCP_MIN_LENGTH = 4;

    /**
     * Classifies the {@code length} bytes at {@code offset} of {@code segment}. Reads at most two bytes,
     * allocates nothing, never throws for a window inside the segment. RTP shorter than its fixed
     * header and RTCP shorter than its common header are {@link #UNKNOWN}.
     */
    public static DatagramKind classify(MemorySegment segment, long offset, int length) {
        if (length < 1) {
            return UNKNOWN;
        }
        int first = segment.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
        if (first <= 3) {
            return STUN;
        }
        if (first >= 16 && first <= 19) {
            return ZRTP;
        }
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 64 && first <= 79) {
            return TURN_CHANNEL;
        }
        if (first >= 128 && first <= 191 && length >= 2) {
            int second = segment.get(ValueLayout.JAVA_BYTE, offset + 1) & 0xFF;
            if (second >= 192 && second <= 223) {
                return length >= RTCP_MIN_LENGTH ? RTCP : UNKNOWN;
            }
            return length >= RTP_MIN_LENGTH ? RTP : UNKNOWN;
        }
        return UNKNOWN;
    }

    /** Classifies a whole segment. */
    public static DatagramKind classify(MemorySegment segment) {
        return classify(segment, 0, (int) Math.min(segment.byteSize(), Integer.MAX_VALUE));
    }
}
