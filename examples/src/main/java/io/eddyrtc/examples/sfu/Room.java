package io.eddyrtc.examples.sfu;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.bwe.LayerForwarding;
import io.eddyrtc.engine.bwe.LayerRates;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.packet.LayerInfo;
import io.eddyrtc.engine.rtp.RtpHeader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One room: at most one publisher and any number of players, each receiving the publisher's audio and the one video
 * layer that fits its own bandwidth estimate ({@link Outbound}'s {@link LayerForwarding}, budgeted by the player's
 * {@link Session#shareBudget}): a player behind a slow path gets a low simulcast layer, or only its base temporal
 * layer, while the others get the high one. A switch waits for a keyframe of the new layer, which the publisher is
 * asked for (PLI). Audio is never dropped. Touched only on the loop thread, and per packet it allocates nothing.
 */
final class Room {
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 500_000_000L;

    final String name;
    Session publisher;
    final List<Session> players = new ArrayList<>();

    /** The publisher's video layers (its rids, lowest first) and their rates, shared by every player's layer choice. */
    private LayerRates rates = new LayerRates(1);
    /** What the video packet being forwarded says of its frame, read once for every player. */
    private final LayerInfo layerInfo = new LayerInfo();
    /** When each layer's keyframe was last asked for. */
    private long[] keyframeAskedAt = neverAsked(1);
    private long forwarded;

    Room(String name) {
        this.name = name;
    }

    /** A new publisher: each player moves to it at its first keyframe. */
    void publish(Session session) {
        publisher = session;
    }

    /** The publisher's video m-line, with its simulcast rids lowest first (empty without simulcast). */
    void publishVideo(List<String> rids) {
        this.rates = LayerRates.of(rids);
        this.keyframeAskedAt = neverAsked(rates.layers());
    }

    private static long[] neverAsked(int layers) {
        long[] at = new long[layers];
        Arrays.fill(at, Long.MIN_VALUE);
        return at;
    }

    /** RTP packets sent to players so far. */
    long forwarded() {
        return forwarded;
    }

    /** Whether nobody is in the room. */
    boolean isEmpty() {
        return publisher == null && players.isEmpty();
    }

    /**
     * Asks the publisher for a keyframe of video layer {@code layer}, or of every layer when it is -1 (a player
     * joined and its layer is not chosen yet): a player asked for one, or waits for one to change layer. Only the
     * layer wanted is asked, so the others' bitrates do not jump for nobody; each at most twice a second unless
     * {@code force}.
     */
    void requestKeyframe(long now, int layer, boolean force) {
        Session p = publisher;
        if (p == null || !p.connected || p.videoMid == null) {
            return;
        }
        for (int l = 0; l < keyframeAskedAt.length; l++) {
            if ((layer < 0 || l == layer) && (force || keyframeAskedAt[l] == Long.MIN_VALUE
                    || now - keyframeAskedAt[l] >= KEYFRAME_REQUEST_INTERVAL_NANOS)) {
                keyframeAskedAt[l] = now;
                p.rtc.requestKeyframe(p.videoMid, rates.rid(l));
            }
        }
    }

    /** One packet from the publisher to every connected player: audio to all, video to those whose layer it is. */
    void forward(Event.RtpPacket p, long now) {
        Session from = publisher;
        boolean video = p.mid().equals(from.videoMid);
        if (!video && !p.mid().equals(from.audioMid)) {
            return; // a third track: only one of each kind is forwarded
        }
        List<PayloadParams> theirs = from.rtc.media(p.mid()).payloadParams();
        RtpHeader h = p.header();
        PayloadParams params = PayloadParams.find(theirs, h.payloadType());
        if (params == null) {
            return;
        }
        int layer = 0;
        boolean keyframe = false;
        int temporalLayer = -1;
        int pictureId = -1;
        int tl0PicIdx = -1;
        if (video) {
            layer = rates.layerOf(p.rid());
            if (layer < 0) {
                return; // a rid the publisher did not declare
            }
            rates.onPacket(now, layer, p.length());
            if (layerInfo.read(params.codec(), p.segment(), h.payloadOffset(), h.payloadLength())) {
                keyframe = layerInfo.keyframe();
                temporalLayer = layerInfo.temporalLayer();
                pictureId = layerInfo.pictureId();
                tl0PicIdx = layerInfo.tl0PicIdx();
            }
        }
        int clockRate = params.spec().clockRate();
        for (int i = 0; i < players.size(); i++) {
            Session to = players.get(i);
            Outbound out = video ? to.video : to.audio;
            if (out == null || !to.connected) {
                continue;
            }
            int pt = out.payloadType(from.number, theirs, h.payloadType());
            if (pt < 0) {
                continue;
            }
            if (!out.follows(from.number)) {
                out.follow(from.number, rates, to.budget.videoShare(to.audio != null ? 1 : 0, 1));
            }
            int target = video ? out.layers().target() : -1;
            int wanted = video ? out.layers().keyframeWanted(now) : -1;
            if (wanted >= 0) {
                requestKeyframe(now, wanted, false); // a switch waits for a keyframe of the new layer
            }
            if (out.forward(now, layer, keyframe, temporalLayer, pictureId, tl0PicIdx, p, clockRate)) {
                send(to, out, p, pt);
            }
            if (video && (out.layers().target() != target || to.budget.desiredDue(now))) {
                to.shareBudget(now); // a new layer wanted, or the layers' rates moved: what the next layer up needs changed
            }
        }
    }

    /**
     * Sends the packet to the player with its SSRC, payload type, sequence number, timestamp and VP8 picture numbers
     * (which go on across layer and publisher switches, or the player may drop the new frames): every player's
     * {@code Rtc} runs on the loop's thread, so they share the received slot (the player's NACKs are answered from it)
     * and each keeps only its rewrite.
     */
    private void send(Session to, Outbound out, Event.RtpPacket p, int pt) {
        if (to.rtc.forwardRtp(p, out.ssrc, pt, out.sequence(), out.timestamp(), out.pictureId(), out.tl0PicIdx())) {
            forwarded++;
        }
    }
}
