package io.eddyrtc.engine.stream;

/**
 * A snapshot of a {@link SendStream}'s counters, taken on request.
 *
 * @param packets         media packets sent
 * @param bytes           media payload bytes sent
 * @param rtxPackets      retransmissions sent
 * @param rtxBytes        bytes of those retransmissions (whole packets)
 * @param nacksReceived   sequence numbers asked for
 * @param nacksUnanswered asked for but not cached (or too old)
 * @param rtxOverBudget   asked for and cached, refused by the RTX budget
 * @param paddingPackets  probe packets sent (padding-only, or RTX copies of the newest packet)
 * @param rttNanos        the last round trip from a report block, -1 if none yet
 * @param remoteFractionLost the peer's last fraction lost (8-bit fixed point)
 * @param remoteJitter    the peer's last jitter, RTP units
 * @param bitrateBps      media payload bit rate since the previous snapshot
 */
public record SendStreamStats(long ssrc, long packets, long bytes, long rtxPackets, long rtxBytes, long nacksReceived,
                              long nacksUnanswered, long rtxOverBudget, long paddingPackets, long rttNanos,
                              int remoteFractionLost, long remoteJitter, double bitrateBps) {
}
