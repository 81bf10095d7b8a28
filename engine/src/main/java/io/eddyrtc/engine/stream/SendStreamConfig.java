package io.eddyrtc.engine.stream;

/**
 * Settings of a {@link SendStream}. {@link #audio} and {@link #video} give str0m's defaults: an RTX cache of
 * 50 or 1000 packets, 3 s max age, RTX capped at 15 % of the sent bytes.
 *
 * @param ssrc                   the media SSRC
 * @param payloadType            the media payload type
 * @param clockRate              RTP clock rate, Hz
 * @param rtxSsrc                the RTX SSRC, or -1 for no RTX (NACKs are then not answered)
 * @param rtxPayloadType         the RTX payload type ({@code apt} = payloadType)
 * @param cacheCapacity          packets kept for retransmission (0: none)
 * @param cacheSlotBytes         largest packet kept
 * @param cacheMaxAgeNanos       oldest packet retransmitted
 * @param rtxShare               RTX bytes allowed per media byte sent
 * @param rtxFloorBytesPerSecond RTX credit earned with time alone, so a quiet stream can still repair
 * @param rtxBurstBytes          the most RTX credit saved up
 * @param initialSequence        first sequence number (RFC 3550 wants it random: the caller draws it)
 * @param initialTimestamp       first RTP timestamp (likewise)
 */
public record SendStreamConfig(long ssrc, int payloadType, int clockRate, long rtxSsrc, int rtxPayloadType,
                               int cacheCapacity, int cacheSlotBytes, long cacheMaxAgeNanos, double rtxShare,
                               long rtxFloorBytesPerSecond, long rtxBurstBytes, int initialSequence,
                               long initialTimestamp) {
    public static final int AUDIO_CACHE = 50;
    public static final int VIDEO_CACHE = 1000;
    public static final long DEFAULT_MAX_AGE_NANOS = 3_000_000_000L;
    public static final double DEFAULT_RTX_SHARE = 0.15;
    public static final int DEFAULT_SLOT_BYTES = 1500;

    public SendStreamConfig {
        if (clockRate <= 0 || payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("need a positive clock rate and a payload type 0–127");
        }
        if (cacheCapacity < 0 || rtxShare < 0 || rtxFloorBytesPerSecond < 0 || rtxBurstBytes < 0) {
            throw new IllegalArgumentException("cache size, RTX share, floor and burst cannot be negative");
        }
    }

    public static SendStreamConfig audio(long ssrc, int payloadType, int clockRate) {
        return new SendStreamConfig(ssrc, payloadType, clockRate, -1, 0, AUDIO_CACHE, DEFAULT_SLOT_BYTES,
                DEFAULT_MAX_AGE_NANOS, DEFAULT_RTX_SHARE, 4_000, 32_000, 0, 0);
    }

    public static SendStreamConfig video(long ssrc, int payloadType) {
        return new SendStreamConfig(ssrc, payloadType, 90_000, -1, 0, VIDEO_CACHE, DEFAULT_SLOT_BYTES,
                DEFAULT_MAX_AGE_NANOS, DEFAULT_RTX_SHARE, 8_000, 64_000, 0, 0);
    }

    public SendStreamConfig withRtx(long rtxSsrc, int rtxPayloadType) {
        return new SendStreamConfig(ssrc, payloadType, clockRate, rtxSsrc, rtxPayloadType, cacheCapacity,
                cacheSlotBytes, cacheMaxAgeNanos, rtxShare, rtxFloorBytesPerSecond, rtxBurstBytes, initialSequence,
                initialTimestamp);
    }

    public SendStreamConfig withInitial(int sequence, long timestamp) {
        return new SendStreamConfig(ssrc, payloadType, clockRate, rtxSsrc, rtxPayloadType, cacheCapacity,
                cacheSlotBytes, cacheMaxAgeNanos, rtxShare, rtxFloorBytesPerSecond, rtxBurstBytes, sequence & 0xFFFF,
                timestamp & 0xFFFF_FFFFL);
    }

    public SendStreamConfig withRtxBudget(double share, long floorBytesPerSecond, long burstBytes) {
        return new SendStreamConfig(ssrc, payloadType, clockRate, rtxSsrc, rtxPayloadType, cacheCapacity,
                cacheSlotBytes, cacheMaxAgeNanos, share, floorBytesPerSecond, burstBytes, initialSequence,
                initialTimestamp);
    }

    public SendStreamConfig withCache(int capacity, int slotBytes, long maxAgeNanos) {
        return new SendStreamConfig(ssrc, payloadType, clockRate, rtxSsrc, rtxPayloadType, capacity, slotBytes,
                maxAgeNanos, rtxShare, rtxFloorBytesPerSecond, rtxBurstBytes, initialSequence, initialTimestamp);
    }

    public boolean hasRtx() {
        return rtxSsrc >= 0;
    }
}
