package io.eddyrtc.net.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.eddyrtc.net.internal.LinuxAbi.CMSG_DATA;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads a socket's error queue ({@code recvmsg} with {@code MSG_ERRQUEUE}), where {@code IP_RECVERR} makes
 * the kernel put each ICMP report about a datagram we sent: port, host or network unreachable. Reading
 * empties the queue, which otherwise keeps the socket signalling an error (and {@code poll} waking) until
 * its receive buffer fills with reports. Each report read names the destination of the datagram it is about
 * ({@link #lastDestination()}) and the error ({@link #lastErrno()}).
 */
public final class ErrorQueue {
    /** Reports read per drain; a flood of more leaves the rest for the next drain, so the loop keeps moving. */
    private static final int MAX_PER_DRAIN = 64;
    private static final long DATA_BYTES = 64;
    private static final long CONTROL_BYTES = 128;

    private final MemorySegment header;
    private final MemorySegment control;
    private final MemorySegment name;
    private final long headerAddress;

    public ErrorQueue(Arena arena) {
        this.header = arena.allocate(LinuxAbi.MSGHDR, 8);
        MemorySegment iovec = arena.allocate(LinuxAbi.IOVEC, 8);
        MemorySegment data = arena.allocate(DATA_BYTES, 8);
        this.control = arena.allocate(CONTROL_BYTES, 8);
        this.name = arena.allocate(SockAddr.SIZE, 8);
        this.headerAddress = header.address();
        iovec.set(JAVA_LONG, LinuxAbi.IOV_BASE, data.address());
        iovec.set(JAVA_LONG, LinuxAbi.IOV_LEN, DATA_BYTES);
        header.set(JAVA_LONG, LinuxAbi.MSG_NAME, name.address());
        header.set(JAVA_LONG, LinuxAbi.MSG_IOV, iovec.address());
        header.set(JAVA_LONG, LinuxAbi.MSG_IOVLEN, 1);
        header.set(JAVA_LONG, LinuxAbi.MSG_CONTROL, control.address());
    }

    /** Reads queued reports until the queue is empty (or {@value #MAX_PER_DRAIN} were read); how many. */
    public int drain(LinuxCalls calls, int fd) {
        int reports = 0;
        while (reports < MAX_PER_DRAIN) {
            header.set(JAVA_INT, LinuxAbi.MSG_NAMELEN, SockAddr.SIZE);
            header.set(JAVA_LONG, LinuxAbi.MSG_CONTROLLEN, CONTROL_BYTES);
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

    /** The error of the last report read ({@code ee_errno}), or 0 if it carried none. */
    public int lastErrno() {
        long used = header.get(JAVA_LONG, LinuxAbi.MSG_CONTROLLEN);
        long at = 0;
        while (at + CMSG_DATA <= used) {
            long length = control.get(JAVA_LONG, at + LinuxAbi.CMSG_LEN);
            if (length < CMSG_DATA || at + length > used) {
                break;
            }
            int level = control.get(JAVA_INT, at + LinuxAbi.CMSG_LEVEL);
            int type = control.get(JAVA_INT, at + LinuxAbi.CMSG_TYPE);
            if (level == LinuxAbi.SOL_IP && type == LinuxAbi.IP_RECVERR
                    || level == LinuxAbi.SOL_IPV6 && type == LinuxAbi.IPV6_RECVERR) {
                return control.get(JAVA_INT, at + CMSG_DATA + LinuxAbi.EE_ERRNO);
            }
            at += LinuxAbi.cmsgAlign(length);
        }
        return 0;
    }
}
