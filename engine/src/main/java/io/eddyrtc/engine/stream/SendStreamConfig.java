package io.eddyrtc.engine.stream;

/**
 * Settings of a {@link SendStream}. {@link #audio} and {@link #video} give the defaults: with RTX negotiated,
 * a history of what was sent in the last second (libwebrtc's), at most 512 audio or 4096 video packets, and
 * RTX capped at 15 % of the sent bytes (str0m's).
 *
 * @param ssrc                   the media SSRC
 * @param payloadType            the media payload type
 * @param clockRate              RTP clock rate, Hz
 * @param rtxSsrc                the RTX SSRC, or -1 for no RTX (NACKs are then not answered)
 * @param rtxPayloadType         the RTX payload type ({@code apt} = payloadType)
 * @param historyMaxPackets      the most packets kept for retransmission, whatever the rate (0: none)
 * @param historyNanos           how long a sent packet is kept for retransmission (see {@link RtxHistory})
 * @param rtxShare               RTX bytes allowed per media byte sent
 * @param rtxFloorBytesPerSecond RTX credit earned with time alone, so a quiet stream can still repair
 * @param rtxBurstBytes          the most RTX credit saved up
 * @param initialSequence        first sequence number (RFC 3550 wants it random: the caller draws it)
 * @param initialTimestamp       first RTP timestamp (likewise)
 */
public record SendStreamConfig(long ssrc, int payloadType, int clockRate, long rtxSsrc, int rtxPayloadType,
                               int historyMaxPackets, long historyNanos, double rtxShare,
                               long rtxFloorBytesPerSecond, long rtxBurstBytes, int initialSequence,
                               long initialTimestamp) {
    public static final int AUDIO_HISTORY_PACKETS = 512;
    public static final int VIDEO_HISTORY_PACKETS = 4096;
    public static final long DEFAULT_HISTORY_NANOS = 1_000_000_000L;
    public static final double DEFAULT_RTX_SHARE = 0.15;

    public SendStreamConfig {
        if (clockRate <= 0 || payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("need a positive clock rate and a payload type 0–127");
        }
        if (historyMaxPackets < 0 || rtxShare < 0 || rtxFloorBytesPerSecond < 0 || rtxBurstBytes < 0) {
            throw new IllegalArgumentException("history size, RTX share, floor and burst cannot be negative");
        }
        if (historyNanos <= 0) {
            throw new IllegalArgumentException("the RTX history keeps packets for a positive time, got " + historyNanos + " ns");
        }
    }

    public static SendStreamConfig audio(long ssrc, int payloadType, int clockRate) {
        return new SendStreamConfig(ssrc, payloadType, clockRate, -1, 0, AUDIO_HISTORY_PACKETS, DEFAULT_HISTORY_NANOS,
                DEFAULT_RTX_SHARE, 4_000, 32_000, 0, 0);
    }

    public static SendStreamConfig video(long ssrc, int payloadType) {
        return new SendStreamConfig(ssrc, payloadType, 90_000, -1, 0, VIDEO_HISTORY_PACKETS, DEFAULT_HISTORY_NANOS,
                DEFAULT_RTX_SHARE, 8_000, 64_000, 0, 0);
    }

    public SendStreamConfig withRtx(long rtxSsrc, int rtxPayloadType) {
        return new SendStreamConfig(ssrc, payloadType, clockRate, rtxSsrc, rtxPayloadType, historyMaxPackets,
                historyNanos, rtxShare, rtxFloorBytesPerSecond, rtxBurstBytes, initialSequence,
                initialTimestamp);
    }

    public SendStreamConfig withInitial(int sequence, long timestamp) {
        return new SendStreamConfig(ssrc, payloadType, clockRate, rtxSsrc, rtxPayloadType, historyMaxPackets,
                historyNanos, rtxShare, rtxFloorBytesPerSecond, rtxBurstBytes, sequence & 0xFFFF,
                timestamp & 0xFFFF_FFFFL);
    }

    public SendStreamConfig withRtxBudget(double share, long floorBytesPerSecond, long burstBytes) {
        return new SendStreamConfig(ssrc, payloadType, clockRate, rtxSsrc, rtxPayloadType, historyMaxPackets,
                historyNanos, share, floorBytesPerSecond, burstBytes, initialSequence,
                initialTimestamp);
    }

    /** Keeps sent packets {@code nanos} for retransmission, at most {@code maxPackets} of them (0: none). */
    public SendStreamConfig withHistory(int maxPackets, long nanos) {
        return new SendStreamConfig(ssrc, payloadType, clockRate, rtxSsrc, rtxPayloadType, maxPackets, nanos,
                rtxShare, rtxFloorBytesPerSecond, rtxBurstBytes, initialSequence, initialTimestamp);
    }

    public boolean hasRtx() {
        return rtxSsrc >= 0;
    }
}
