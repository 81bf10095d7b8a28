package io.eddyrtc.net;

import io.eddyrtc.net.internal.LinuxAbi;
import io.eddyrtc.net.internal.LinuxCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One thread waiting on many {@link UdpTransport}s at once: where each peer needs a socket of its own (clients of one
 * server, which tells them apart by address, as a load generator runs them) but a thread serves many. {@link #await}
 * returns when one of them has a datagram (or an error report) or the time is up; {@link #isReady} says which, and the
 * thread then calls {@link UdpTransport#receive} with no wait on those. On the Linux backend it is one {@code ppoll}
 * over every socket; on the {@code DatagramChannel} backend a {@link Selector} of their channels. Nothing is allocated
 * per wait on Linux.
 *
 * <p>Like a transport, a poll set belongs to one thread. Close it before the transports in it.
 */
public final class UdpPollSet implements AutoCloseable {
    private static final long POLLFD = LinuxAbi.POLLFD.byteSize();

    private final List<UdpTransport> transports = new ArrayList<>();
    private final int capacity;
    private boolean[] ready;
    // the Linux backend: the pollfd array and ppoll
    private Arena arena;
    private LinuxCalls calls;
    private MemorySegment pollFds;
    private MemorySegment timeout;
    // the DatagramChannel backend
    private Selector selector;
    private final Consumer<SelectionKey> markReady = key -> ready[(Integer) key.attachment()] = true;
    private boolean closed;

    /** A set for up to {@code capacity} transports of one backend. */
    public UdpPollSet(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.ready = new boolean[capacity];
    }

    /** Adds {@code transport}; returns its index for {@link #isReady}. */
    public int add(UdpTransport transport) {
        ensureOpen();
        if (transports.size() == capacity) {
            throw new IllegalStateException("the poll set holds its " + capacity + " transports; make it larger or open another");
        }
        if (!transports.isEmpty() && transports.getFirst().backend() != transport.backend()) {
            throw new IllegalArgumentException("a poll set waits on one backend; this one holds " + transports.getFirst().backend()
                    + " transports, not " + transport.backend());
        }
        int index = transports.size();
        switch (transport) {
            case LinuxUdpTransport linux -> {
                if (arena == null) {
                    arena = Arena.ofShared();
                    calls = new LinuxCalls(arena);
                    pollFds = arena.allocate(POLLFD * capacity, 8);
                    timeout = arena.allocate(LinuxAbi.TIMESPEC, 8);
                }
                pollFds.set(JAVA_INT, index * POLLFD + LinuxAbi.POLL_FD, linux.fd());
                pollFds.set(JAVA_SHORT, index * POLLFD + LinuxAbi.POLL_EVENTS, LinuxAbi.POLLIN);
            }
            case ChannelUdpTransport channel -> {
                try {
                    if (selector == null) {
                        selector = Selector.open();
                    }
                    channel.channel().register(selector, SelectionKey.OP_READ, index);
                } catch (ClosedChannelException e) {
                    throw new IllegalStateException("the transport is closed; add an open one", e);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open a selector", e);
                }
            }
        }
        transports.add(transport);
        return index;
    }

    /** Transports in the set. */
    public int size() {
        return transports.size();
    }

    /**
     * Waits up to {@code timeoutNanos} (0: not at all) until one of the transports has something to receive. Returns
     * how many have; 0 on a timeout or a signal, after which the caller looks at its clock as after a receive.
     */
    public int await(long timeoutNanos) {
        ensureOpen();
        int n = transports.size();
        for (int i = 0; i < n; i++) {
            ready[i] = false;
        }
        if (n == 0) {
            return 0;
        }
        if (pollFds != null) {
            timeout.set(JAVA_LONG, LinuxAbi.TV_SEC, Math.max(0, timeoutNanos) / 1_000_000_000L);
            timeout.set(JAVA_LONG, LinuxAbi.TV_NSEC, Math.max(0, timeoutNanos) % 1_000_000_000L);
            for (int i = 0; i < n; i++) {
                pollFds.set(JAVA_SHORT, i * POLLFD + LinuxAbi.POLL_REVENTS, (short) 0);
            }
            if (calls.ppoll(pollFds.address(), n, timeout.address(), 0L) <= 0) {
                return 0;
            }
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (pollFds.get(JAVA_SHORT, i * POLLFD + LinuxAbi.POLL_REVENTS) != 0) {
                    ready[i] = true;
                    count++;
                }
            }
            return count;
        }
        try {
            long millis = timeoutNanos <= 0 ? 0 : Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
            return millis == 0 ? selector.selectNow(markReady) : selector.select(markReady, millis);
        } catch (IOException e) {
            throw new UncheckedIOException("waiting on the selector failed", e);
        }
    }

    /** Whether transport {@code index} had something to receive at the last {@link #await}. */
    public boolean isReady(int index) {
        return ready[index];
    }

    /** Gives back the set's memory and selector; the transports stay open. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (arena != null) {
            arena.close();
        }
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing the selector failed", e);
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the poll set is closed; open a new one");
        }
    }
}
