# ICE interop tests (ice): CoturnStunInteropTest starts Debian's coturn on loopback as a STUN server.
need_deb coturn
