package io.eddyrtc.sctp;

/**
 * How a data channel delivers its messages: in order or as they complete, and reliably or giving each
 * up after a number of retransmissions or after a lifetime (RFC 8831 §6.4: one limit or none, never
 * both). -1 means no limit.
 */
public record ChannelReliability(boolean ordered, int maxRetransmits, long maxLifetimeMillis) {

    public ChannelReliability {
        if (maxRetransmits < -1 || maxLifetimeMillis < -1) {
            throw new IllegalArgumentException("maxRetransmits and maxLifetimeMillis are -1 for no limit or a limit of 0 or more; got "
                    + maxRetransmits + " and " + maxLifetimeMillis);
        }
        if (maxRetransmits >= 0 && maxLifetimeMillis >= 0) {
            throw new IllegalArgumentException("a data channel limits retransmissions or lifetime, not both (RFC 8831 §6.4); pass -1 for the other");
        }
    }

    /** Every message arrives. */
    public static ChannelReliability reliable(boolean ordered) {
        return new ChannelReliability(ordered, -1, -1);
    }

    /** A message is given up after {@code count} retransmissions (0: sent once). */
    public static ChannelReliability maxRetransmits(boolean ordered, int count) {
        return new ChannelReliability(ordered, count, -1);
    }

    /** A message is given up {@code millis} after it was sent. */
    public static ChannelReliability maxLifetime(boolean ordered, long millis) {
        return new ChannelReliability(ordered, -1, millis);
    }

    public boolean isReliable() {
        return maxRetransmits < 0 && maxLifetimeMillis < 0;
    }

    /** The lifetime as SCTP takes it, or -1. */
    public long maxLifetimeNanos() {
        return maxLifetimeMillis < 0 ? -1 : Math.min(maxLifetimeMillis, Long.MAX_VALUE / 1_000_000L) * 1_000_000L;
    }
}
