package io.eddyrtc.engine.media;

import java.util.List;
import java.util.Objects;

/**
 * One negotiated (or configured) payload type: its number, what it carries, the PT of its RTX
 * retransmission stream (-1 for none) and the RTCP feedback it uses ({@code nack}, {@code nack pli},
 * {@code ccm fir}, {@code transport-cc}, {@code goog-remb}).
 */
public record PayloadParams(int pt, CodecParams spec, int rtxPt, List<String> feedback) {
    public PayloadParams {
        Objects.requireNonNull(spec, "spec");
        feedback = List.copyOf(feedback);
        if (pt < 0 || pt > 127 || rtxPt > 127 || pt == rtxPt) {
            throw new IllegalArgumentException("payload types are 0 to 127 and the RTX PT differs from the media PT; got "
                    + pt + " and " + rtxPt);
        }
    }

    /**
     * The entry of {@code codecs} with payload type {@code pt}, or null; an indexed walk, so a forwarder may ask per
     * packet without allocating.
     */
    public static PayloadParams find(List<PayloadParams> codecs, int pt) {
        for (int i = 0; i < codecs.size(); i++) {
            if (codecs.get(i).pt == pt) {
                return codecs.get(i);
            }
        }
        return null;
    }

    /**
     * The payload type in {@code ours} for the codec that {@code theirs} carries as {@code theirPt}, or -1: how a
     * forwarder renumbers a packet for a peer that negotiated other numbers.
     */
    public static int samePayloadType(List<PayloadParams> theirs, int theirPt, List<PayloadParams> ours) {
        PayloadParams their = find(theirs, theirPt);
        if (their != null) {
            for (int i = 0; i < ours.size(); i++) {
                if (ours.get(i).codec() == their.codec()) {
                    return ours.get(i).pt;
                }
            }
        }
        return -1;
    }

    public Codec codec() {
        return spec.codec();
    }

    /** Audio or video; RED and RTX take it from their clock rate (90 kHz is video, RFC 6184 and kin). */
    public MediaKind kind() {
        if (spec.codec().kind() != null) {
            return spec.codec().kind();
        }
        return spec.clockRate() == 90_000 ? MediaKind.VIDEO : MediaKind.AUDIO;
    }

    public boolean hasRtx() {
        return rtxPt >= 0;
    }

    public PayloadParams withPt(int newPt, int newRtxPt) {
        return new PayloadParams(newPt, spec, newRtxPt, feedback);
    }

    public boolean hasFeedback(String fb) {
        return feedback.contains(fb);
    }
}
