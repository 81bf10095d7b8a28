package io.eddyrtc.examples.sfu;

import io.eddyrtc.engine.Rtc;
import io.eddyrtc.examples.sfu.WhipServer.Role;

/**
 * One WHIP or WHEP session: its peer connection, the room it is in, and (playing) the tracks it receives. Touched only
 * on the loop thread.
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

    Session(String id, int number, Role role, Room room, Rtc rtc, String remoteUfrag) {
        this.id = id;
        this.number = number;
        this.role = role;
        this.room = room;
        this.rtc = rtc;
        this.remoteUfrag = remoteUfrag;
    }

    @Override
    public String toString() {
        return (role == Role.PUBLISH ? "publisher " : "player ") + number + " in room " + room.name;
    }
}
