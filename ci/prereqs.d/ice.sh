# ICE interop tests (ice): CoturnStunInteropTest starts Debian's coturn on loopback as a STUN server.
need_deb coturn
# AioiceInteropTest runs a full ICE exchange against aioice (aiortc's ICE stack) over loopback UDP.
need_deb python3-aioice
