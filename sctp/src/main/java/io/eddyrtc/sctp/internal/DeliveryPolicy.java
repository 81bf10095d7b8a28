package io.eddyrtc.sctp.internal;

/** A user message's delivery policy (RFC 3758): reliable, or given up after retransmissions or a deadline. */
final class DeliveryPolicy {
    static final DeliveryPolicy RELIABLE = new DeliveryPolicy(-1, Long.MAX_VALUE);
    final int maxRetransmits;
    final long expiresAt;
    boolean abandoned;

    DeliveryPolicy(int maxRetransmits, long expiresAt) {
        this.maxRetransmits = maxRetransmits;
        this.expiresAt = expiresAt;
    }

    boolean reliable() {
        return maxRetransmits < 0 && expiresAt == Long.MAX_VALUE;
    }

    boolean exhausted(long now, int transmissions) {
        return (maxRetransmits >= 0 && transmissions > maxRetransmits) || now >= expiresAt;
    }
}
