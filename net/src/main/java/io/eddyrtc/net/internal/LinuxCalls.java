package io.eddyrtc.net.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc socket calls, bound once through the FFM linker. Pointers go in as raw {@code long} addresses. An
 * instance owns the memory {@code errno} is captured into and belongs to one thread at a time; {@link #errno()}
 * reads what the last call that captures it left.
 *
 * <p>Capturing {@code errno} costs an object per call: the JDK hands the downcall a slice of the capture memory
 * ({@code SharedUtils.checkCaptureSegment}), which only the optimizing compiler's escape analysis removes, so
 * until C2 has compiled the caller (tens of seconds on a busy machine, and again after each deoptimization) the
 * interpreter and C1 allocate it. The calls a packet or a wait makes are therefore bound twice or without it:
 * {@link #recvmmsgWithoutErrno} and {@link #sendmmsgWithoutErrno} beside the capturing {@link #recvmmsg} and
 * {@link #sendmmsg}, which a caller makes only when it needs to know why a call failed; {@link #ppoll},
 * {@link #read} and {@link #write}, whose callers never ask, capture nothing. Reading {@code errno} some other way
 * after a call is not safe: the JVM may change it on the same thread before the read.
 *
 * <p>{@code recvmmsg}, {@code sendmmsg} and {@code recvmsg} are only ever called non-blocking, so they are
 * bound as critical (no thread-state transition); {@code ppoll}, which waits, is not. A capturing handle takes
 * the captured-state segment first, then the C arguments.
 */
public final class LinuxCalls {
    private static final String UNAVAILABLE;
    private static final long ERRNO_OFFSET;
    private static final MethodHandle SOCKET;
    private static final MethodHandle SETSOCKOPT;
    private static final MethodHandle GETSOCKOPT;
    private static final MethodHandle BIND;
    private static final MethodHandle GETSOCKNAME;
    private static final MethodHandle CLOSE;
    private static final MethodHandle RECVMMSG;
    private static final MethodHandle SENDMMSG;
    private static final MethodHandle RECVMSG;
    private static final MethodHandle PPOLL;
    private static final MethodHandle EVENTFD;
    private static final MethodHandle WRITE;
    private static final MethodHandle READ;
    private static final MethodHandle RECVMMSG_WITHOUT_ERRNO;
    private static final MethodHandle SENDMMSG_WITHOUT_ERRNO;

    static {
        MethodHandle[] h = new MethodHandle[15];
        String why = LinuxAbi.unsupportedReason();
        long errnoOffset = 0;
        if (why == null) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                Linker.Option critical = Linker.Option.critical(false);
                errnoOffset = Linker.Option.captureStateLayout().byteOffset(PathElement.groupElement("errno"));
                h[0] = bind(linker, libc, "socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
                h[1] = bind(linker, libc, "setsockopt",
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT), errno);
                h[2] = bind(linker, libc, "getsockopt",
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
                h[3] = bind(linker, libc, "bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT), errno);
                h[4] = bind(linker, libc, "getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
                h[5] = bind(linker, libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
                FunctionDescriptor recvmmsg = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG);
                FunctionDescriptor sendmmsg = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
                h[6] = bind(linker, libc, "recvmmsg", recvmmsg, errno, critical);
                h[7] = bind(linker, libc, "sendmmsg", sendmmsg, errno, critical);
                h[8] = bind(linker, libc, "recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), errno, critical);
                h[9] = bind(linker, libc, "ppoll", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
                h[10] = bind(linker, libc, "eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
                h[11] = bind(linker, libc, "write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
                h[12] = bind(linker, libc, "read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
                h[13] = bind(linker, libc, "recvmmsg", recvmmsg, critical);
                h[14] = bind(linker, libc, "sendmmsg", sendmmsg, critical);
            } catch (RuntimeException | LinkageError e) {
                why = "the libc socket calls could not be linked: " + e;
            }
        }
        UNAVAILABLE = why;
        ERRNO_OFFSET = errnoOffset;
        SOCKET = h[0];
        SETSOCKOPT = h[1];
        GETSOCKOPT = h[2];
        BIND = h[3];
        GETSOCKNAME = h[4];
        CLOSE = h[5];
        RECVMMSG = h[6];
        SENDMMSG = h[7];
        RECVMSG = h[8];
        PPOLL = h[9];
        EVENTFD = h[10];
        WRITE = h[11];
        READ = h[12];
        RECVMMSG_WITHOUT_ERRNO = h[13];
        SENDMMSG_WITHOUT_ERRNO = h[14];
    }

    @SuppressWarnings("restricted") // binding native functions is this class's job; the JVM asks for native access
    private static MethodHandle bind(Linker linker, SymbolLookup libc, String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        MemorySegment symbol = libc.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return linker.downcallHandle(symbol, descriptor, options);
    }

    /** Why the calls cannot be used here, or {@code null} when they can. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    private final MemorySegment callState;

    /** Call state (the captured {@code errno}) allocated in {@code arena}. */
    public LinuxCalls(Arena arena) {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("Linux socket calls are not available: " + UNAVAILABLE);
        }
        this.callState = arena.allocate(Linker.Option.captureStateLayout());
    }

    /** The {@code errno} the last capturing call through this instance left. */
    public int errno() {
        return callState.get(JAVA_INT, ERRNO_OFFSET);
    }

    public int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(callState, domain, type, protocol);
        } catch (Throwable t) {
            throw unexpected("socket", t);
        }
    }

    public int setsockopt(int fd, int level, int name, long value, int length) {
        try {
            return (int) SETSOCKOPT.invokeExact(callState, fd, level, name, value, length);
        } catch (Throwable t) {
            throw unexpected("setsockopt", t);
        }
    }

    public int getsockopt(int fd, int level, int name, long value, long length) {
        try {
            return (int) GETSOCKOPT.invokeExact(callState, fd, level, name, value, length);
        } catch (Throwable t) {
            throw unexpected("getsockopt", t);
        }
    }

    public int bind(int fd, long address, int length) {
        try {
            return (int) BIND.invokeExact(callState, fd, address, length);
        } catch (Throwable t) {
            throw unexpected("bind", t);
        }
    }

    public int getsockname(int fd, long address, long length) {
        try {
            return (int) GETSOCKNAME.invokeExact(callState, fd, address, length);
        } catch (Throwable t) {
            throw unexpected("getsockname", t);
        }
    }

    public int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(callState, fd);
        } catch (Throwable t) {
            throw unexpected("close", t);
        }
    }

    public int recvmmsg(int fd, long messages, int count, int flags, long timeout) {
        try {
            return (int) RECVMMSG.invokeExact(callState, fd, messages, count, flags, timeout);
        } catch (Throwable t) {
            throw unexpected("recvmmsg", t);
        }
    }

    /** {@code recvmmsg} without {@code errno}: its result only, and no object made in any compiler tier. */
    public int recvmmsgWithoutErrno(int fd, long messages, int count, int flags, long timeout) {
        try {
            return (int) RECVMMSG_WITHOUT_ERRNO.invokeExact(fd, messages, count, flags, timeout);
        } catch (Throwable t) {
            throw unexpected("recvmmsg", t);
        }
    }

    public int sendmmsg(int fd, long messages, int count, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(callState, fd, messages, count, flags);
        } catch (Throwable t) {
            throw unexpected("sendmmsg", t);
        }
    }

    /** {@code sendmmsg} without {@code errno}: its result only, and no object made in any compiler tier. */
    public int sendmmsgWithoutErrno(int fd, long messages, int count, int flags) {
        try {
            return (int) SENDMMSG_WITHOUT_ERRNO.invokeExact(fd, messages, count, flags);
        } catch (Throwable t) {
            throw unexpected("sendmmsg", t);
        }
    }

    public long recvmsg(int fd, long message, int flags) {
        try {
            return (long) RECVMSG.invokeExact(callState, fd, message, flags);
        } catch (Throwable t) {
            throw unexpected("recvmsg", t);
        }
    }

    /** {@code ppoll}; {@code errno} is not captured (a failed wait is a wait that ended, to its callers). */
    public int ppoll(long fds, long count, long timeout, long signalMask) {
        try {
            return (int) PPOLL.invokeExact(fds, count, timeout, signalMask);
        } catch (Throwable t) {
            throw unexpected("ppoll", t);
        }
    }

    public int eventfd(int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(callState, initial, flags);
        } catch (Throwable t) {
            throw unexpected("eventfd", t);
        }
    }

    /** {@code write}; {@code errno} is not captured (its one use, waking a wait, cannot act on a failure). */
    public long write(int fd, long buffer, long length) {
        try {
            return (long) WRITE.invokeExact(fd, buffer, length);
        } catch (Throwable t) {
            throw unexpected("write", t);
        }
    }

    /** {@code read}; {@code errno} is not captured (its one use, resetting an eventfd, needs none). */
    public long read(int fd, long buffer, long length) {
        try {
            return (long) READ.invokeExact(fd, buffer, length);
        } catch (Throwable t) {
            throw unexpected("read", t);
        }
    }

    /** A downcall declares {@code Throwable}; only linkage bugs can surface here. */
    private static RuntimeException unexpected(String call, Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("the FFM downcall to " + call + " failed: " + t, t);
    }
}
