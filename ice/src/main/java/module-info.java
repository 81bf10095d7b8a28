/** The ICE agent and the STUN codec. */
module io.eddyrtc.ice {
    requires transitive io.eddyrtc.buffers;

    exports io.eddyrtc.ice;
    exports io.eddyrtc.ice.stun;
}
