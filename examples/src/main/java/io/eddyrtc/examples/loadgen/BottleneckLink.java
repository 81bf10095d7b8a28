package io.eddyrtc.examples.loadgen;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The bottleneck on a held player's way in ({@code --held-players}), as a home link's downstream is: datagrams leave
 * it one after another at its rate (each takes its size over the rate), and wait in a queue of at most
 * {@link #QUEUE_NANOS}; one that would wait longer is dropped. The player's socket reads every datagram at once, and
 * each is handed to the player's {@code Rtc} with the time it left the link, so the arrival times the player reports
 * back (transport-wide feedback) are the link's, not those of the thread's wake-ups. With the rate lifted, datagrams
 * leave as they come. Times are the caller's; on the player's client thread.
 */
final class BottleneckLink {
    /** The longest a datagram waits in the queue; one that would wait longer is dropped. */
    static final long QUEUE_NANOS = 200_000_000L;

    /** A datagram, where it came from, and when it leaves the link. */
    record Datagram(byte[] bytes, InetSocketAddress source, long arrivedAt, long leavesAt) {}

    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private long rateBps;
    /** When the last datagram queued leaves: the link is busy until then. */
    private long busyUntil = Long.MIN_VALUE;
    private long dropped;

    /** A link at {@code bitsPerSecond}; 0: not limited. */
    BottleneckLink(long bitsPerSecond) {
        rateBps = bitsPerSecond;
    }

    /** The link's rate from {@code now} on; 0 lifts the limit. What waits leaves at the new rate, from now. */
    void setRate(long now, long bitsPerSecond) {
        rateBps = bitsPerSecond;
        busyUntil = Long.MIN_VALUE;
        int waiting = queue.size();
        for (int i = 0; i < waiting; i++) {
            Datagram d = queue.poll();
            queue.add(scheduled(Math.max(Math.max(now, d.arrivedAt()), busyUntil), d.bytes(), d.source(), d.arrivedAt()));
        }
    }

    /** A datagram arrives at the link at {@code now}: queued to leave in its turn, or dropped when it would wait too long. */
    void offer(long now, byte[] bytes, InetSocketAddress source) {
        long startsAt = Math.max(now, busyUntil);
        if (rateBps > 0 && startsAt - now > QUEUE_NANOS) {
            dropped++;
            return;
        }
        queue.add(scheduled(startsAt, bytes, source, now));
    }

    private Datagram scheduled(long startsAt, byte[] bytes, InetSocketAddress source, long arrivedAt) {
        long leavesAt = rateBps > 0 ? startsAt + bytes.length * 8L * 1_000_000_000L / rateBps : startsAt;
        busyUntil = leavesAt;
        return new Datagram(bytes, source, arrivedAt, leavesAt);
    }

    /** The next datagram that has left the link by {@code now} (they leave in order), or null. */
    Datagram poll(long now) {
        Datagram head = queue.peek();
        return head != null && head.leavesAt() <= now ? queue.poll() : null;
    }

    /** When the next datagram leaves, or {@link Long#MAX_VALUE} when none waits. */
    long nextAt() {
        Datagram head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.leavesAt();
    }

    /** Datagrams dropped because the queue was full. */
    long dropped() {
        return dropped;
    }
}
