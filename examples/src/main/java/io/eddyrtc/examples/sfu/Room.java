package io.eddyrtc.examples.sfu;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One room: at most one publisher and any number of players, each receiving the publisher's audio and one video layer.
 * Which layer: the one that carried the most bytes over the last second (the highest the publisher sends), chosen again
 * every second; each player moves to it at its next keyframe, asked for by PLI. Touched only on the loop thread, and
 * per packet it allocates nothing.
 */
final class Room {
    private static final long LAYER_WINDOW_NANOS = 1_000_000_000L;
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 500_000_000L;
    private static final int MAX_LAYERS = 8; // SdpLimits' default cap on a=rid lines per m-line

    final String name;
    Session publisher;
    final List<Session> players = new ArrayList<>();

    private final String[] layers = new String[MAX_LAYERS];
    private final long[] layerBytes = new long[MAX_LAYERS];
    private int layerCount;
    private String wantedLayer;
    private boolean layerChosen;
    private long windowStart = Long.MIN_VALUE;
    private long keyframeAskedAt = Long.MIN_VALUE;
    private long forwarded;

    Room(String name) {
        this.name = name;
    }

    /** A new publisher: the players move to it at its first keyframe, and the layer is chosen anew. */
    void publish(Session session) {
        publisher = session;
        layerCount = 0;
        layerChosen = false;
        wantedLayer = null;
        windowStart = Long.MIN_VALUE;
    }

    /** RTP packets sent to players so far. */
    long forwarded() {
        return forwarded;
    }

    /** Whether nobody is in the room. */
    boolean isEmpty() {
        return publisher == null && players.isEmpty();
    }

    /** Asks the publisher for a video keyframe (a player joined, or waits to change layer), at most twice a second. */
    void requestKeyframe(long now, boolean force) {
        Session p = publisher;
        if (p == null || !p.connected || p.videoMid == null) {
            return;
        }
        if (force || now - keyframeAskedAt >= KEYFRAME_REQUEST_INTERVAL_NANOS) {
            keyframeAskedAt = now;
            p.rtc.requestKeyframe(p.videoMid);
        }
    }

    /** One packet from the publisher to every connected player. */
    void forward(Event.RtpPacket p, long now) {
        Session from = publisher;
        MediaKind kind = p.mid().equals(from.videoMid) ? MediaKind.VIDEO : p.mid().equals(from.audioMid) ? MediaKind.AUDIO : null;
        if (kind == null) {
            return; // a third track: only one of each kind is forwarded
        }
        String rid = p.rid();
        if (kind == MediaKind.VIDEO) {
            countLayer(rid, p.length(), now);
        }
        List<PayloadParams> theirs = from.rtc.media(p.mid()).payloadParams();
        int publisherPt = p.header().payloadType();
        for (int i = 0; i < players.size(); i++) {
            Session to = players.get(i);
            Outbound out = kind == MediaKind.VIDEO ? to.video : to.audio;
            if (out == null || !to.connected) {
                continue;
            }
            int pt = out.payloadType(from.number, theirs, publisherPt);
            if (pt < 0) {
                continue;
            }
            if (!out.isOn(from.number, rid)) {
                if (kind == MediaKind.VIDEO && !Objects.equals(rid, wantedLayer)) {
                    continue; // another layer than the one chosen
                }
                if (kind == MediaKind.VIDEO && out.isVp8(pt)
                        && !Vp8Keyframe.starts(p.segment(), p.header().payloadOffset(), p.header().payloadLength())) {
                    requestKeyframe(now, false); // the decoder can only start or change source at a keyframe
                    continue;
                }
                out.switchTo(from.number, rid, p, now);
            }
            send(to, out, p, pt, now);
        }
    }

    /**
     * Sends the packet to the player with its SSRC, payload type, sequence number and timestamp: every player's
     * {@code Rtc} runs on the loop's thread, so they share the received slot (the player's NACKs are answered from it)
     * and each keeps only its rewrite.
     */
    private void send(Session to, Outbound out, Event.RtpPacket p, int pt, long now) {
        if (to.rtc.forwardRtp(p, out.ssrc, pt, out.sequenceOf(p, now), out.timestampOf(p))) {
            forwarded++;
        }
    }

    /** Counts a video packet towards its layer; once a second, the layer with the most bytes becomes the one forwarded. */
    private void countLayer(String rid, int bytes, long now) {
        if (windowStart == Long.MIN_VALUE) {
            windowStart = now;
        }
        int index = -1;
        for (int i = 0; i < layerCount; i++) {
            if (Objects.equals(layers[i], rid)) {
                index = i;
                break;
            }
        }
        if (index < 0 && layerCount < MAX_LAYERS) {
            index = layerCount++;
            layers[index] = rid;
            layerBytes[index] = 0;
        }
        if (index >= 0) {
            layerBytes[index] += bytes;
        }
        if (!layerChosen) { // until the first second is over, the first layer seen
            wantedLayer = rid;
            layerChosen = true;
        }
        if (now - windowStart >= LAYER_WINDOW_NANOS) {
            int best = 0;
            for (int i = 1; i < layerCount; i++) {
                if (layerBytes[i] > layerBytes[best]) {
                    best = i;
                }
            }
            if (!Objects.equals(wantedLayer, layers[best])) {
                wantedLayer = layers[best];
                requestKeyframe(now, true);
            }
            for (int i = 0; i < layerCount; i++) {
                layerBytes[i] = 0;
            }
            windowStart = now;
        }
    }
}
