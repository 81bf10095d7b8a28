package io.eddyrtc.net.internal;

import io.eddyrtc.net.UdpConfig;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * One non-blocking UDP socket made and configured through libc, and the waiting around it: {@code ppoll}
 * on the socket and an {@code eventfd} another thread can {@link #wakeup()}. Opening sets every option the
 * batched transport relies on (local address per datagram, ICMP reports to the error queue, dual stack,
 * {@code SO_REUSEPORT}, buffer sizes, GRO) and finds out whether the kernel can do GSO on it.
 */
public final class LinuxUdpSocket implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LinuxUdpSocket.class.getName());
    private static final AtomicBoolean BUFFER_WARNING_GIVEN = new AtomicBoolean();
    private static final AtomicBoolean OFFLOAD_NOTE_GIVEN = new AtomicBoolean();
    private static final long POLLFD = LinuxAbi.POLLFD.byteSize();

    /** {@link #await} result bits: datagrams waiting, an error raised or queued (ICMP reports), the descriptor not open. */
    public static final int READABLE = 1;
    public static final int ERROR = 2;
    public static final int CLOSED = 4;

    private final LinuxCalls calls;
    private final LinuxCalls wakeupCalls;
    private final MemorySegment scratch;
    private final MemorySegment pollFds;
    private final MemorySegment timeout;
    private final MemorySegment counter;
    private final MemorySegment wakeValue;
    private final int fd;
    private final int eventFd;
    private final int family;
    private boolean gsoAvailable;
    private boolean groEnabled;
    private int receiveBufferBytes;
    private int sendBufferBytes;
    private InetSocketAddress localAddress;
    private boolean closed;

    private LinuxUdpSocket(Arena arena, int family, int fd, int eventFd, LinuxCalls calls) {
        this.family = family;
        this.fd = fd;
        this.eventFd = eventFd;
        this.calls = calls;
        this.wakeupCalls = new LinuxCalls(arena);
        this.scratch = arena.allocate(64, 8);
        this.pollFds = arena.allocate(POLLFD * 2, 8);
        this.timeout = arena.allocate(LinuxAbi.TIMESPEC, 8);
        this.counter = arena.allocate(8, 8);
        this.wakeValue = arena.allocate(8, 8);
        wakeValue.set(JAVA_LONG, 0, 1L);
        pollFds.set(JAVA_INT, LinuxAbi.POLL_FD, fd);
        pollFds.set(JAVA_SHORT, LinuxAbi.POLL_EVENTS, LinuxAbi.POLLIN);
        pollFds.set(JAVA_INT, POLLFD + LinuxAbi.POLL_FD, eventFd);
        pollFds.set(JAVA_SHORT, POLLFD + LinuxAbi.POLL_EVENTS, LinuxAbi.POLLIN);
    }

    /**
     * Makes, configures and binds a socket as {@code config} says, its memory in {@code arena} (which the
     * caller closes after {@link #close()}).
     */
    public static LinuxUdpSocket open(Arena arena, UdpConfig config) throws IOException {
        InetSocketAddress bind = config.bindAddress();
        int family = bind.getAddress() instanceof Inet4Address ? LinuxAbi.AF_INET : LinuxAbi.AF_INET6;
        LinuxCalls calls = new LinuxCalls(arena);
        int fd = calls.socket(family, LinuxAbi.SOCK_DGRAM | LinuxAbi.SOCK_NONBLOCK | LinuxAbi.SOCK_CLOEXEC, LinuxAbi.IPPROTO_UDP);
        if (fd < 0) {
            throw new SocketException("socket(" + (family == LinuxAbi.AF_INET ? "AF_INET" : "AF_INET6") + ") failed: "
                    + Errno.name(calls.errno()));
        }
        int eventFd = calls.eventfd(0, LinuxAbi.EFD_NONBLOCK | LinuxAbi.EFD_CLOEXEC);
        if (eventFd < 0) {
            int errno = calls.errno();
            calls.close(fd);
            throw new SocketException("eventfd failed: " + Errno.name(errno));
        }
        LinuxUdpSocket socket = new LinuxUdpSocket(arena, family, fd, eventFd, calls);
        try {
            socket.configure(config);
            socket.bind(bind);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    private void configure(UdpConfig config) throws SocketException {
        if (family == LinuxAbi.AF_INET6) {
            require(LinuxAbi.SOL_IPV6, LinuxAbi.IPV6_V6ONLY, config.dualStack() ? 0 : 1, "IPV6_V6ONLY");
            require(LinuxAbi.SOL_IPV6, LinuxAbi.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
            require(LinuxAbi.SOL_IPV6, LinuxAbi.IPV6_RECVERR, 1, "IPV6_RECVERR");
            // IPv4 peers of a dual-stack socket are reported through the IPv4 option.
            if (config.dualStack()) {
                setInt(LinuxAbi.SOL_IP, LinuxAbi.IP_RECVERR, 1);
            }
        } else {
            require(LinuxAbi.SOL_IP, LinuxAbi.IP_PKTINFO, 1, "IP_PKTINFO");
            require(LinuxAbi.SOL_IP, LinuxAbi.IP_RECVERR, 1, "IP_RECVERR");
        }
        if (config.reusePort()) {
            require(LinuxAbi.SOL_SOCKET, LinuxAbi.SO_REUSEPORT, 1, "SO_REUSEPORT");
        }
        receiveBufferBytes = sizeBuffer(LinuxAbi.SO_RCVBUF, "SO_RCVBUF", "net.core.rmem_max", config.receiveBufferBytes());
        sendBufferBytes = sizeBuffer(LinuxAbi.SO_SNDBUF, "SO_SNDBUF", "net.core.wmem_max", config.sendBufferBytes());
        if (config.gso()) {
            gsoAvailable = getInt(LinuxAbi.SOL_UDP, LinuxAbi.UDP_SEGMENT) >= 0;
            if (!gsoAvailable) {
                noteOffload("GSO (UDP_SEGMENT) is not available here (" + Errno.name(calls.errno()) + "); sending datagram by datagram");
            }
        }
        if (config.gro()) {
            groEnabled = setInt(LinuxAbi.SOL_UDP, LinuxAbi.UDP_GRO, 1);
            if (!groEnabled) {
                noteOffload("GRO (UDP_GRO) is not available here (" + Errno.name(calls.errno()) + "); receiving datagram by datagram");
            }
        }
    }

    private int sizeBuffer(int option, String name, String sysctl, int requested) throws SocketException {
        if (requested > 0) {
            require(LinuxAbi.SOL_SOCKET, option, requested, name);
        }
        // The kernel doubles what is asked (for its bookkeeping) and caps it at the sysctl; report what holds data.
        int effective = getInt(LinuxAbi.SOL_SOCKET, option) / 2;
        if (requested > 0 && effective < requested && BUFFER_WARNING_GIVEN.compareAndSet(false, true)) {
            LOG.log(WARNING, "{0} of {1} bytes asked for, the kernel gave {2}; raise the limit with sysctl -w {3}={4}",
                    name, requested, effective, sysctl, 2L * requested);
        }
        return effective;
    }

    private void bind(InetSocketAddress address) throws IOException {
        MemorySegment sockaddr = scratch.asSlice(0, SockAddr.SIZE);
        SockAddr.write(sockaddr, address);
        if (calls.bind(fd, sockaddr.address(), SockAddr.length(sockaddr)) < 0) {
            int errno = calls.errno();
            String message = "bind to " + address + " failed: " + Errno.name(errno);
            if (errno == Errno.EADDRINUSE || errno == Errno.EADDRNOTAVAIL || errno == Errno.EACCES) {
                throw new BindException(message);
            }
            throw new SocketException(message);
        }
        scratch.set(JAVA_INT, SockAddr.SIZE, SockAddr.SIZE);
        if (calls.getsockname(fd, sockaddr.address(), sockaddr.address() + SockAddr.SIZE) < 0) {
            throw new SocketException("getsockname failed: " + Errno.name(calls.errno()));
        }
        localAddress = SockAddr.toInetSocketAddress(sockaddr);
    }

    public LinuxCalls calls() {
        return calls;
    }

    public int fd() {
        return fd;
    }

    /** {@link LinuxAbi#AF_INET} or {@link LinuxAbi#AF_INET6}. */
    public int family() {
        return family;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public boolean gsoAvailable() {
        return gsoAvailable;
    }

    public boolean groEnabled() {
        return groEnabled;
    }

    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    /**
     * Waits up to {@code timeoutNanos} until the socket has a datagram or an error, or {@link #wakeup()} is
     * called. Returns {@link #READABLE}, {@link #ERROR} and/or {@link #CLOSED}, or 0 for a timeout, a wakeup or a
     * signal.
     */
    public int await(long timeoutNanos) {
        timeout.set(JAVA_LONG, LinuxAbi.TV_SEC, timeoutNanos / 1_000_000_000L);
        timeout.set(JAVA_LONG, LinuxAbi.TV_NSEC, timeoutNanos % 1_000_000_000L);
        pollFds.set(JAVA_SHORT, LinuxAbi.POLL_REVENTS, (short) 0);
        pollFds.set(JAVA_SHORT, POLLFD + LinuxAbi.POLL_REVENTS, (short) 0);
        int ready = calls.ppoll(pollFds.address(), 2, timeout.address(), 0L);
        if (ready <= 0) {
            return 0; // timed out, or EINTR: the caller's loop looks at its clock either way
        }
        if (pollFds.get(JAVA_SHORT, POLLFD + LinuxAbi.POLL_REVENTS) != 0) {
            calls.read(eventFd, counter.address(), 8); // resets the eventfd so the next wait sleeps
        }
        short events = pollFds.get(JAVA_SHORT, LinuxAbi.POLL_REVENTS);
        return ((events & LinuxAbi.POLLIN) != 0 ? READABLE : 0) | ((events & LinuxAbi.POLLERR) != 0 ? ERROR : 0)
                | ((events & LinuxAbi.POLLNVAL) != 0 ? CLOSED : 0);
    }

    /** Makes a wait in progress (or the next one) return at once. Safe from any thread. */
    public void wakeup() {
        synchronized (wakeupCalls) {
            if (closed) {
                return;
            }
            wakeupCalls.write(eventFd, wakeValue.address(), 8);
        }
    }

    @Override
    public void close() {
        synchronized (wakeupCalls) {
            if (closed) {
                return;
            }
            closed = true;
            wakeupCalls.close(fd);
            wakeupCalls.close(eventFd);
        }
    }

    private void require(int level, int option, int value, String name) throws SocketException {
        if (!setInt(level, option, value)) {
            throw new SocketException("setsockopt " + name + "=" + value + " failed: " + Errno.name(calls.errno()));
        }
    }

    /** Sets an int socket option; false (with {@code errno} set) when the kernel refuses it. */
    public boolean setInt(int level, int option, int value) {
        scratch.set(JAVA_INT, 0, value);
        return calls.setsockopt(fd, level, option, scratch.address(), 4) == 0;
    }

    /** The option's value, or -1 (with {@code errno} set) when the kernel does not know it. */
    private int getInt(int level, int option) {
        scratch.set(JAVA_INT, 0, 0);
        scratch.set(JAVA_INT, 4, 4);
        if (calls.getsockopt(fd, level, option, scratch.address(), scratch.address() + 4) < 0) {
            return -1;
        }
        return scratch.get(JAVA_INT, 0);
    }

    private static void noteOffload(String message) {
        if (OFFLOAD_NOTE_GIVEN.compareAndSet(false, true)) {
            LOG.log(INFO, message);
        }
    }
}
