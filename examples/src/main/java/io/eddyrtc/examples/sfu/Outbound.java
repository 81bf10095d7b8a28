package io.eddyrtc.examples.sfu;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.bwe.LayerForwarding;
import io.eddyrtc.engine.bwe.LayerRates;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.rtp.ForwardedNumbering;
import java.util.Arrays;
import java.util.List;

/**
 * One track as one player receives it: the m-line it arrives on, its payload types for the publisher's, and the
 * numbering that keeps it one stream while its source changes. Video goes through a {@link LayerForwarding}: the
 * simulcast layer the player's budget holds, switched at a keyframe of the new layer, numbered on across switches and
 * across a change of publisher. Audio is never left out; its {@link ForwardedNumbering} numbers on across a change of
 * publisher. Allocates nothing per packet.
 */
final class Outbound {
    private static final int UNKNOWN = -2;

    final String mid;
    final MediaKind kind;
    final long ssrc;
    private final List<PayloadParams> payloads;
    /** The player's payload type per publisher payload type, learnt per publisher; -1 none, -2 not looked up. */
    private final int[] payloadTypes = new int[128];
    private int publisher = -1; // the number of the publisher the payload types were learnt for
    private int source = -1; // the number of the publisher the numbering follows
    /** Video's layer choice and numbering, made for the first publisher it forwards; null for audio. */
    private LayerForwarding layers;
    private final ForwardedNumbering audioNumbering;

    Outbound(Media media) {
        this.mid = media.mid();
        this.kind = media.kind();
        this.ssrc = media.sendStreams().getFirst().ssrc();
        this.payloads = List.copyOf(media.payloadParams());
        this.audioNumbering = kind == MediaKind.AUDIO ? new ForwardedNumbering() : null;
    }

    /**
     * The player's payload type for what {@code publisherPt} carries (same codec), or -1 when it has none (RTX, RED, or
     * a codec the player did not accept: not forwarded).
     */
    int payloadType(int number, List<PayloadParams> publisherPayloads, int publisherPt) {
        if (number != publisher) {
            Arrays.fill(payloadTypes, UNKNOWN);
            publisher = number;
        }
        int pt = payloadTypes[publisherPt & 0x7F];
        if (pt == UNKNOWN) {
            pt = PayloadParams.samePayloadType(publisherPayloads, publisherPt, payloads);
            payloadTypes[publisherPt & 0x7F] = pt;
        }
        return pt;
    }

    /**
     * Forwards publisher {@code number}'s track from now on: video's layers arrive at {@code rates}, and its budget
     * starts at {@code budgetBps} (the first publisher; the next keep the budget the player has). Once per publisher.
     */
    void follow(int number, LayerRates rates, long budgetBps) {
        if (number == source) {
            return;
        }
        source = number;
        if (audioNumbering != null) {
            audioNumbering.sourceChanged();
        } else if (layers == null) {
            layers = new LayerForwarding(rates, budgetBps);
        } else {
            layers.follow(rates);
        }
    }

    /** Whether it forwards publisher {@code number}'s track ({@link #follow} was called for it). */
    boolean follows(int number) {
        return source == number;
    }

    /**
     * Whether packet {@code p} of simulcast layer {@code layer} ({@code keyframe} when it starts one, of temporal
     * layer {@code temporalLayer} or -1, with VP8 {@code pictureId} and {@code tl0PicIdx} or -1) goes to the player at
     * {@code now}: audio always; video when it is of the layer chosen. If so, with {@link #sequence()},
     * {@link #timestamp()}, {@link #pictureId()} and {@link #tl0PicIdx()}.
     */
    boolean forward(long now, int layer, boolean keyframe, int temporalLayer, int pictureId, int tl0PicIdx, Event.RtpPacket p,
                    int clockRate) {
        if (layers == null) {
            audioNumbering.forward(now, 0, p.extendedSequence(), p.extendedTimestamp(), clockRate);
            return true;
        }
        return layers.forward(now, layer, keyframe, temporalLayer, p.extendedSequence(), p.extendedTimestamp(), clockRate, pictureId,
                tl0PicIdx);
    }

    /** The VP8 picture id the packet goes out with, or -1 (audio, or none in the packet: as received). */
    int pictureId() {
        return layers != null ? layers.pictureId() : -1;
    }

    /** The VP8 TL0PICIDX the packet goes out with, or -1 (audio, or none in the packet: as received). */
    int tl0PicIdx() {
        return layers != null ? layers.tl0PicIdx() : -1;
    }

    int sequence() {
        return layers != null ? layers.sequence() : audioNumbering.sequence();
    }

    long timestamp() {
        return layers != null ? layers.timestamp() : audioNumbering.timestamp();
    }

    /** Video's layer choice once it follows a publisher; null for audio and before. */
    LayerForwarding layers() {
        return layers;
    }
}
