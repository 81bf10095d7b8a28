package io.eddyrtc.engine.media;

import java.util.Locale;

/**
 * The codecs eddy knows by their {@code a=rtpmap} encoding name, with their media kind and the RTP
 * clock rate WebRTC uses for them. RTX, RED and ULPFEC are the "repair" formats: recognised, and
 * negotiated only where configured.
 */
public enum Codec {
    OPUS("opus", MediaKind.AUDIO, 48_000),
    PCMU("PCMU", MediaKind.AUDIO, 8_000),
    PCMA("PCMA", MediaKind.AUDIO, 8_000),
    /** G.722's RTP clock is 8 kHz although it samples at 16 kHz (RFC 3551 §4.5.2). */
    G722("G722", MediaKind.AUDIO, 8_000),
    TELEPHONE_EVENT("telephone-event", MediaKind.AUDIO, 8_000),
    CN("CN", MediaKind.AUDIO, 8_000),
    VP8("VP8", MediaKind.VIDEO, 90_000),
    VP9("VP9", MediaKind.VIDEO, 90_000),
    H264("H264", MediaKind.VIDEO, 90_000),
    H265("H265", MediaKind.VIDEO, 90_000),
    AV1("AV1", MediaKind.VIDEO, 90_000),
    H266("H266", MediaKind.VIDEO, 90_000),
    RTX("rtx", null, 0),
    RED("red", null, 0),
    ULPFEC("ulpfec", MediaKind.VIDEO, 90_000);

    private final String encodingName;
    private final MediaKind kind;
    private final int clockRate;

    Codec(String encodingName, MediaKind kind, int clockRate) {
        this.encodingName = encodingName;
        this.kind = kind;
        this.clockRate = clockRate;
    }

    /** The rtpmap encoding name as browsers write it. */
    public String encodingName() {
        return encodingName;
    }

    /** Audio or video; {@code null} for RTX and RED, which take the kind of what they carry. */
    public MediaKind kind() {
        return kind;
    }

    /** The usual RTP clock rate; 0 for RTX and RED, which take the rate of what they carry. */
    public int clockRate() {
        return clockRate;
    }

    /** True for the formats that repair or protect another: RTX, RED, ULPFEC. */
    public boolean isRepair() {
        return this == RTX || this == RED || this == ULPFEC;
    }

    /** The codec for an rtpmap encoding name (case-insensitive), or {@code null} if unknown. */
    public static Codec fromEncodingName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Codec c : values()) {
            if (c.encodingName.toLowerCase(Locale.ROOT).equals(lower)) {
                return c;
            }
        }
        return null;
    }
}
