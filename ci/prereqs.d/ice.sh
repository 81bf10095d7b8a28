# ICE interop tests (ice): CoturnStunInteropTest starts Debian's coturn on loopback as a STUN server.
need_deb coturn
# IcePeerInteropTest runs a full ICE exchange against aioice (aiortc's ICE stack) over loopback UDP.
need_deb python3-aioice
# IcePeerInteropTest also runs the exchange against libnice, through GObject introspection and GStreamer's nicesrc.
need_deb gir1.2-nice-0.1 gstreamer1.0-nice gir1.2-gstreamer-1.0
