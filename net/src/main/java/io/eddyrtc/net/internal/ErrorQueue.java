package io.eddyrtc.net.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads a socket's error queue ({@code recvmsg} with {@code MSG_ERRQUEUE}), where {@code IP_RECVERR} makes
 * the kernel put each ICMP report about a datagram we sent: port, host or network unreachable. Reading
 * empties the queue, which otherwise keeps the socket signalling an error (and {@code poll} waking) until
 * its receive buffer fills with reports. Each report read names the destination of the datagram it is about
 * ({@link #lastDestination()}); its control message (the ICMP type) is not asked for.
 */
public final class ErrorQueue {
    /** Reports read per drain; a flood of more leaves the rest for the next drain, so the loop keeps moving. */
    private static final int MAX_PER_DRAIN = 64;
    private static final long DATA_BYTES = 64;

    private final MemorySegment header;
    private final MemorySegment name;
    private final long headerAddress;

    public ErrorQueue(Arena arena) {
        this.header = arena.allocate(LinuxAbi.MSGHDR, 8);
        MemorySegment iovec = arena.allocate(LinuxAbi.IOVEC, 8);
        MemorySegment data = arena.allocate(DATA_BYTES, 8);
        this.name = arena.allocate(SockAddr.SIZE, 8);
        this.headerAddress = header.address();
        iovec.set(JAVA_LONG, LinuxAbi.IOV_BASE, data.address());
        iovec.set(JAVA_LONG, LinuxAbi.IOV_LEN, DATA_BYTES);
        header.set(JAVA_LONG, LinuxAbi.MSG_NAME, name.address());
        header.set(JAVA_LONG, LinuxAbi.MSG_IOV, iovec.address());
        header.set(JAVA_LONG, LinuxAbi.MSG_IOVLEN, 1);
    }

    /** Reads queued reports until the queue is empty (or {@value #MAX_PER_DRAIN} were read); how many. */
    public int drain(LinuxCalls calls, int fd) {
        int reports = 0;
        while (reports < MAX_PER_DRAIN) {
            header.set(JAVA_INT, LinuxAbi.MSG_NAMELEN, SockAddr.SIZE);
            header.set(JAVA_INT, LinuxAbi.MSG_FLAGS, 0);
            long read = calls.recvmsg(fd, headerAddress, LinuxAbi.MSG_ERRQUEUE | LinuxAbi.MSG_DONTWAIT);
            if (read < 0) {
                if (calls.errno() == Errno.EINTR) {
                    continue;
                }
                break; // EAGAIN: the queue is empty
            }
            reports++;
        }
        return reports;
    }

    /** Where the datagram of the last report read was going. */
    public MemorySegment lastDestination() {
        return name;
    }
}
