/** The sans-I/O SCTP association and DCEP data channels; {@code sctp.internal} stays inside. */
module io.eddyrtc.sctp {
    requires transitive io.eddyrtc.buffers;

    exports io.eddyrtc.sctp;
}
