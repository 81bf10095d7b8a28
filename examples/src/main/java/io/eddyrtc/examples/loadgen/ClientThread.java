package io.eddyrtc.examples.loadgen;

import io.eddyrtc.net.InetSocketAddressCache;
import io.eddyrtc.net.UdpPollSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * One thread driving many {@link ClientPeer}s: it waits on all their sockets at once ({@link UdpPollSet}) until a
 * datagram comes, an {@code Rtc} wants time, a frame is due or a held player's bottleneck lets a datagram through;
 * then it writes the due frames, runs the timers, hands each datagram to its peer's {@code Rtc} (or bottleneck) with
 * the time it was read, and sends what the {@code Rtc}s give out. Work
 * from other threads (making a peer, its answer, its leaving) comes in through {@link #call}.
 */
final class ClientThread implements AutoCloseable {
    /** The longest wait, so that work handed over is picked up soon even with nothing due. */
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final RunTotals totals;
    private final UdpPollSet sockets;
    private final List<ClientPeer> peers = new ArrayList<>();
    private final InetSocketAddressCache addresses = new InetSocketAddressCache(256);
    private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean stopping;
    private boolean countedStart;
    private boolean countedEnd;

    ClientThread(String name, int capacity, RunTotals totals) {
        this.totals = totals;
        this.sockets = new UdpPollSet(capacity);
        this.thread = Thread.ofPlatform().name(name).unstarted(this::run);
        thread.start();
    }

    /** Runs {@code task} on this thread and returns its result (waits up to 10 s). */
    <T> T call(Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(task);
        tasks.add(future);
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Takes {@code peer} on; on this thread. */
    void adopt(ClientPeer peer) {
        sockets.add(peer.transport);
        peers.add(peer);
    }

    /** The peers this thread drives; read them on this thread ({@link #call}). */
    List<ClientPeer> peers() {
        return peers;
    }

    private void run() {
        try {
            while (!stopping) {
                turn();
            }
        } finally {
            for (FutureTask<?> task; (task = tasks.poll()) != null; ) {
                task.cancel(false);
            }
            for (ClientPeer p : peers) {
                p.leave();
                p.drain(System.nanoTime());
            }
            sockets.close();
            for (ClientPeer p : peers) {
                p.close();
            }
        }
    }

    private void turn() {
        for (FutureTask<?> task; (task = tasks.poll()) != null; ) {
            task.run();
        }
        long now = System.nanoTime();
        long next = now + MAX_WAIT_NANOS;
        for (int i = 0; i < peers.size(); i++) {
            ClientPeer p = peers.get(i);
            if (p.connected && !p.gone) {
                p.writeDue(now);
            }
            if (!p.gone) {
                p.passHeld(now);
            }
            if (now >= p.deadline) {
                p.rtc.handleTimeout(now);
            }
            p.drain(now);
            next = Math.min(next, Math.min(p.deadline, p.nextAt()));
        }
        countDatagrams(now);
        sockets.await(Math.max(0, next - System.nanoTime()));
        now = System.nanoTime(); // the time each datagram of this wake-up is handed over with: its arrival
        for (int i = 0; i < peers.size(); i++) {
            if (!sockets.isReady(i)) {
                continue;
            }
            ClientPeer p = peers.get(i);
            int n = p.transport.receive(p.in, 0);
            for (int j = 0; j < n; j++) {
                if (!p.gone) { // a peer that left still reads its socket, so the wait does not wake for it again
                    p.receive(now, addresses.get(p.in.source(j)), p.in.segment(j), p.in.length(j));
                }
            }
        }
    }

    /** The datagrams the players' sockets received, at the steady window's start and end: what the server forwarded. */
    private void countDatagrams(long now) {
        if (!countedStart && now >= totals.steadyStart()) {
            countedStart = true;
            totals.datagramsToPlayersAtStart.add(playerDatagrams());
        }
        if (!countedEnd && now >= totals.steadyEnd()) {
            countedEnd = true;
            totals.datagramsToPlayersAtEnd.add(playerDatagrams());
        }
    }

    private long playerDatagrams() {
        long sum = 0;
        for (ClientPeer p : peers) {
            if (p.role == ClientPeer.Role.PLAY) {
                sum += p.transport.stats().datagramsReceived();
            }
        }
        return sum;
    }

    /** Stops the thread: every peer leaves, its sockets close. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
