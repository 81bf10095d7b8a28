package io.eddyrtc.examples.sfu;

import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.bwe.LayerForwarding;
import io.eddyrtc.engine.bwe.SubscriberBudget;
import io.eddyrtc.examples.sfu.WhipServer.Role;

/**
 * One WHIP or WHEP session: its peer connection, the room it is in, and (playing) the tracks it receives and the
 * budget its bandwidth estimate gives them. Touched only on the loop thread.
 */
final class Session {
    final String id;
    final int number;
    final Role role;
    final Room room;
    final Rtc rtc;
    /** The ICE ufrag of the client's offer: a trickled fragment naming another asks for an ICE restart. */
    final String remoteUfrag;
    boolean connected;
    /** Publishing: the m-lines its audio and video arrive on (the first of each kind). */
    String audioMid;
    String videoMid;
    /** Playing: the m-lines the room's audio and video go out on. */
    Outbound audio;
    Outbound video;
    /** Playing: its send-side estimate, shared between its audio and its video; null publishing. */
    final SubscriberBudget budget;

    Session(String id, int number, Role role, Room room, Rtc rtc, String remoteUfrag) {
        this.id = id;
        this.number = number;
        this.role = role;
        this.room = room;
        this.rtc = rtc;
        this.remoteUfrag = remoteUfrag;
        this.budget = role == Role.PLAY ? new SubscriberBudget(SfuServer.INITIAL_ESTIMATE_BPS) : null;
    }

    /**
     * Playing: gives its video what the estimate leaves after its audio, and tells its estimator what the next layer
     * up would need, so that probes go that far, and what it is sent now.
     */
    void shareBudget(long now) {
        int audioTracks = audio != null ? 1 : 0;
        LayerForwarding layers = video != null ? video.layers() : null;
        long wanted = 0;
        long forwarded = 0;
        if (layers != null) {
            layers.setBudget(now, budget.videoShare(audioTracks, 1));
            wanted = layers.wantedBitrate(now);
            forwarded = layers.forwardedBitrate(now);
        }
        rtc.bwe().setDesiredBitrate(budget.desired(wanted, audioTracks));
        long current = budget.current(forwarded, audioTracks);
        if (current > 0) {
            rtc.bwe().setCurrentBitrate(current); // what it is sent: the estimate does not grow past what probes found
        }
    }

    @Override
    public String toString() {
        return (role == Role.PUBLISH ? "publisher " : "player ") + number + " in room " + room.name;
    }
}
