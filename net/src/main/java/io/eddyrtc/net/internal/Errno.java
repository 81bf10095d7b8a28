package io.eddyrtc.net.internal;

/**
 * The {@code errno} values the socket code tells apart ({@code <asm-generic/errno-base.h>} and
 * {@code <asm-generic/errno.h>}, shared by x86_64 and aarch64), and how each is grouped: an ICMP report
 * coming back, a full buffer, or a destination the kernel will not send to.
 */
public final class Errno {
    private Errno() {
    }

    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    public static final int EPROTO = 71;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;

    /**
     * Errors an ICMP report (queued by {@code IP_RECVERR}) raises on the socket's next call, whatever that
     * call was for: they say an earlier datagram was not delivered, never that this call failed for its own
     * reasons.
     */
    public static boolean isIcmpReport(int errno) {
        return switch (errno) {
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN, EPROTO, ECONNRESET -> true;
            default -> false;
        };
    }

    /** The send buffer (or the kernel's memory for it) is full: try later, or drop. */
    public static boolean isBufferFull(int errno) {
        return errno == EAGAIN || errno == ENOBUFS || errno == ENOMEM;
    }

    /** How a GSO send is refused where the device or kernel cannot segment it. */
    public static boolean mayBeGsoRefusal(int errno) {
        return errno == EIO || errno == EINVAL || errno == EMSGSIZE || errno == EOPNOTSUPP || errno == ENOPROTOOPT;
    }

    /** The symbolic name, for messages. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EINVAL -> "EINVAL";
            case ENOSYS -> "ENOSYS";
            case EPROTO -> "EPROTO";
            case EMSGSIZE -> "EMSGSIZE";
            case ENOPROTOOPT -> "ENOPROTOOPT";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            case EADDRINUSE -> "EADDRINUSE";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENETDOWN -> "ENETDOWN";
            case ENETUNREACH -> "ENETUNREACH";
            case ECONNRESET -> "ECONNRESET";
            case ENOBUFS -> "ENOBUFS";
            case ECONNREFUSED -> "ECONNREFUSED";
            case EHOSTDOWN -> "EHOSTDOWN";
            case EHOSTUNREACH -> "EHOSTUNREACH";
            default -> "errno " + errno;
        };
    }
}
