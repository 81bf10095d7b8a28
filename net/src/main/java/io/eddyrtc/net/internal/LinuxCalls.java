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
 * The libc socket calls, bound once through the FFM linker, each capturing {@code errno}. Pointers go in as
 * raw {@code long} addresses, so a call makes no objects. An instance owns the memory {@code errno} is
 * captured into and belongs to one thread at a time; {@link #errno()} reads what the last call left.
 *
 * <p>{@code recvmmsg}, {@code sendmmsg} and {@code recvmsg} are only ever called non-blocking, so they are
 * bound as critical (no thread-state transition); {@code ppoll}, which waits, is not. Every handle takes the
 * captured-state segment first, then the C arguments.
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

    static {
        MethodHandle[] h = new MethodHandle[13];
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
                h[6] = bind(linker, libc, "recvmmsg",
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG), errno, critical);
                h[7] = bind(linker, libc, "sendmmsg",
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), errno, critical);
                h[8] = bind(linker, libc, "recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), errno, critical);
                h[9] = bind(linker, libc, "ppoll", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), errno);
                h[10] = bind(linker, libc, "eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
                h[11] = bind(linker, libc, "write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
                h[12] = bind(linker, libc, "read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
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

    /** The {@code errno} the last call through this instance left. */
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

    public int sendmmsg(int fd, long messages, int count, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(callState, fd, messages, count, flags);
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

    public int ppoll(long fds, long count, long timeout, long signalMask) {
        try {
            return (int) PPOLL.invokeExact(callState, fds, count, timeout, signalMask);
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

    public long write(int fd, long buffer, long length) {
        try {
            return (long) WRITE.invokeExact(callState, fd, buffer, length);
        } catch (Throwable t) {
            throw unexpected("write", t);
        }
    }

    public long read(int fd, long buffer, long length) {
        try {
            return (long) READ.invokeExact(callState, fd, buffer, length);
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
