package io.eddyrtc.examples.sfu;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * A bottleneck in a test's path for one peer's incoming datagrams, as a home link's downstream is: a token bucket
 * at a rate with a burst of about one packet (or 4 ms at the rate), and a queue of at most {@link #QUEUE_NANOS} at
 * that rate, past which datagrams are dropped (the same shape as {@code RateLimitedNamespace}'s {@code tc tbf}).
 * Without a rate, datagrams pass at once. Times are the caller's.
 */
final class TokenBucketLink {
    /** How long a datagram may wait in the queue, at the rate, before one more is dropped. */
    static final long QUEUE_NANOS = 200_000_000L;

    /** A datagram that passed: its bytes and where it came from. */
    record Datagram(byte[] bytes, InetSocketAddress source) {}

    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private long rateBps;
    private double tokens = Double.MAX_VALUE; // a bucket starts full: the first setRate leaves it the burst
    private long refilledAt = Long.MIN_VALUE;
    private long queuedBytes;
    private long dropped;

    /** Holds the link to {@code bitsPerSecond} from {@code now} on; 0 lifts the limit. */
    void setRate(long now, long bitsPerSecond) {
        refill(now);
        rateBps = bitsPerSecond;
        tokens = Math.min(tokens, burstBytes());
    }

    /** A datagram arrives at the link's far end at {@code now}: queued, or dropped when the queue is full. */
    void offer(long now, byte[] bytes, InetSocketAddress source) {
        refill(now);
        if (rateBps > 0 && queuedBytes + bytes.length > rateBps / 8 * QUEUE_NANOS / 1_000_000_000L) {
            dropped++;
            return;
        }
        queue.add(new Datagram(bytes, source));
        queuedBytes += bytes.length;
    }

    /** The next datagram through the link by {@code now}, or null. */
    Datagram poll(long now) {
        refill(now);
        Datagram head = queue.peek();
        if (head == null) {
            return null;
        }
        if (rateBps > 0) {
            if (tokens < head.bytes().length) {
                return null;
            }
            tokens -= head.bytes().length;
        }
        queuedBytes -= head.bytes().length;
        return queue.poll();
    }

    /** When the next queued datagram can pass (at the earliest {@code now}), or {@link Long#MAX_VALUE} when none waits. */
    long nextAt(long now) {
        Datagram head = queue.peek();
        if (head == null) {
            return Long.MAX_VALUE;
        }
        if (rateBps == 0 || tokens >= head.bytes().length) {
            return now;
        }
        return now + (long) ((head.bytes().length - tokens) * 8 * 1_000_000_000L / rateBps) + 1;
    }

    /** Datagrams dropped because the queue was full. */
    long dropped() {
        return dropped;
    }

    private void refill(long now) {
        if (refilledAt != Long.MIN_VALUE && rateBps > 0) {
            tokens = Math.min(burstBytes(), tokens + (double) (now - refilledAt) * rateBps / 8 / 1_000_000_000L);
        }
        refilledAt = now;
    }

    private long burstBytes() {
        return Math.max(1_600, rateBps / 8 / 250);
    }
}
