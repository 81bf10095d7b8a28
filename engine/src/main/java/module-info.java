/**
 * The {@code Rtc} facade and what it is built of: SDP, RTP/RTCP, packetizers, streams, bandwidth estimation.
 * {@code engine.internal} and {@code engine.internal.media} stay inside.
 */
module io.eddyrtc.engine {
    requires transitive io.eddyrtc.buffers;
    requires transitive io.eddyrtc.crypto;
    requires transitive io.eddyrtc.ice;
    requires transitive io.eddyrtc.sctp;
    requires jdk.jfr; // the Rtc's events for a flight recording (engine.internal.jfr)

    exports io.eddyrtc.engine;
    exports io.eddyrtc.engine.bwe;
    exports io.eddyrtc.engine.demux;
    exports io.eddyrtc.engine.media;
    exports io.eddyrtc.engine.packet;
    exports io.eddyrtc.engine.rtcp;
    exports io.eddyrtc.engine.route;
    exports io.eddyrtc.engine.rtp;
    exports io.eddyrtc.engine.sdp;
    exports io.eddyrtc.engine.stream;
}
