package io.eddyrtc.engine.stream;

/**
 * A snapshot of a {@link ReceiveStream}'s counters, taken on request (not per packet).
 *
 * @param packets         packets accepted (new or late, repairs included)
 * @param bytes           payload bytes of those packets
 * @param duplicates      packets dropped as already received
 * @param dropped         packets dropped for other reasons (too old, sequence jump, malformed RTX)
 * @param expected        packets expected from the sequence numbers (RFC 3550 A.3)
 * @param cumulativeLost  expected minus received
 * @param jitterNanos     interarrival jitter
 * @param nacksSent       sequence numbers asked for in NACKs (each try counts)
 * @param repaired        packets that arrived by RTX and filled a gap
 * @param bitrateBps      payload bit rate since the previous snapshot
 * @param packetRate      packets per second since the previous snapshot
 */
public record ReceiveStreamStats(long ssrc, long packets, long bytes, long duplicates, long dropped, long expected,
                                 long cumulativeLost, long jitterNanos, long nacksSent, long repaired,
                                 double bitrateBps, double packetRate) {
}
