package io.eddyrtc.sctp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * usrsctp (Debian's {@code libusrsctp2}, the SCTP stack Firefox and formerly Chromium use) through the FFM
 * linker, in its "conn" mode without threads: packets go out through a callback into {@link #outbound},
 * come in through {@code usrsctp_conninput}, and timers run when the test calls {@link #advance}. One
 * usrsctp instance per JVM, so one endpoint at a time. Test code only.
 */
final class UsrSctp implements AutoCloseable {
    private static final int AF_CONN = 123;
    private static final int SOCK_STREAM = 1;
    private static final int IPPROTO_SCTP = 132;
    private static final int SCTP_RECVRCVINFO = 0x1f;
    private static final int SCTP_SENDV_SNDINFO = 1;
    private static final int SCTP_RECVV_RCVINFO = 1;
    private static final int MSG_NOTIFICATION = 0x2000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB;
    /** A packet usrsctp sent, and the address token (which association's peer) it is for. */
    private record Outbound(long address, byte[] packet) {}

    private static final ArrayDeque<Outbound> outbound = new ArrayDeque<>();
    private static boolean initialised;

    static {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup("libusrsctp.so.2", Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("libusrsctp.so.2 is not installed: the usrsctp interop test needs Debian's "
                    + "libusrsctp2 (ci/prereqs.sh installs it; or apt-get install libusrsctp2)", e);
        }
        LIB = lib;
    }

    private static MethodHandle handle(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LIB.find(name).orElseThrow(() -> new IllegalStateException("usrsctp has no " + name)), d);
    }

    /** usrsctp's output callback: a packet it wants sent. */
    static int output(MemorySegment addr, MemorySegment buffer, long length, byte tos, byte setDf) {
        outbound.add(new Outbound(addr.address(), buffer.reinterpret(length).toArray(JAVA_BYTE)));
        return 0;
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment token = arena.allocate(8);
    private MemorySegment socket;
    private MemorySegment connected;

    UsrSctp() throws Throwable {
        synchronized (UsrSctp.class) {
            if (!initialised) {
                MemorySegment callback = LINKER.upcallStub(MethodHandles.lookup().findStatic(UsrSctp.class, "output",
                                MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class, byte.class, byte.class)),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_BYTE, JAVA_BYTE), Arena.global());
                handle("usrsctp_init_nothreads", FunctionDescriptor.ofVoid(JAVA_SHORT, ADDRESS, ADDRESS))
                        .invokeExact((short) 0, callback, MemorySegment.NULL);
                initialised = true;
            }
        }
        handle("usrsctp_register_address", FunctionDescriptor.ofVoid(ADDRESS)).invokeExact(token);
        socket = (MemorySegment) handle("usrsctp_socket",
                FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS))
                .invokeExact(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, MemorySegment.NULL, MemorySegment.NULL, 0, MemorySegment.NULL);
        if (socket.address() == 0) {
            throw new IllegalStateException("usrsctp_socket failed");
        }
        int ok = (int) handle("usrsctp_set_non_blocking", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)).invokeExact(socket, 1);
        MemorySegment on = arena.allocate(JAVA_INT);
        on.set(JAVA_INT, 0, 1);
        ok |= setsockopt(socket, SCTP_RECVRCVINFO, on);
        ok |= (int) handle("usrsctp_bind", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)).invokeExact(socket, address(), 16);
        if (ok != 0) {
            throw new IllegalStateException("usrsctp socket set-up failed");
        }
    }

    private int setsockopt(MemorySegment so, int option, MemorySegment value) throws Throwable {
        return (int) handle("usrsctp_setsockopt", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT))
                .invokeExact(so, IPPROTO_SCTP, option, value, (int) value.byteSize());
    }

    /** struct sockaddr_conn { uint16 family; uint16 port (network order); void *addr; } for port 5000. */
    private MemorySegment address() {
        MemorySegment a = arena.allocate(16, 8);
        a.set(JAVA_SHORT, 0, (short) AF_CONN);
        a.set(JAVA_BYTE, 2, (byte) 0x13);
        a.set(JAVA_BYTE, 3, (byte) 0x88);
        a.set(ADDRESS, 8, token);
        return a;
    }

    void connect() throws Throwable {
        int result = (int) handle("usrsctp_connect", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT))
                .invokeExact(socket, address(), 16);
        connected = socket; // non-blocking: -1 with EINPROGRESS until the handshake completes
    }

    void listen() throws Throwable {
        int result = (int) handle("usrsctp_listen", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)).invokeExact(socket, 1);
        if (result != 0) {
            throw new IllegalStateException("usrsctp_listen failed");
        }
    }

    /** The accepted association's socket once the peer connected (listen side), or null. */
    boolean accept() throws Throwable {
        if (connected != null) {
            return true;
        }
        MemorySegment s = (MemorySegment) handle("usrsctp_accept", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS))
                .invokeExact(socket, MemorySegment.NULL, MemorySegment.NULL);
        if (s.address() != 0) {
            int nonBlocking = (int) handle("usrsctp_set_non_blocking", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)).invokeExact(s, 1);
            MemorySegment on = arena.allocate(JAVA_INT);
            on.set(JAVA_INT, 0, 1);
            int rcvInfo = setsockopt(s, SCTP_RECVRCVINFO, on);
            connected = s;
        }
        return connected != null;
    }

    /**
     * The next packet usrsctp sent to this instance's peer, or null. Packets for an earlier instance's
     * association (usrsctp is one per JVM, and a closed socket may still send a SHUTDOWN) are discarded.
     */
    byte[] pollOutbound() {
        for (Outbound o; (o = outbound.poll()) != null; ) {
            if (o.address() == token.address()) {
                return o.packet();
            }
        }
        return null;
    }

    /** A packet from the peer (eddy). */
    void input(byte[] packet) throws Throwable {
        MemorySegment buffer = arena.allocate(packet.length);
        MemorySegment.copy(packet, 0, buffer, JAVA_BYTE, 0, packet.length);
        handle("usrsctp_conninput", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_LONG, JAVA_BYTE))
                .invokeExact(token, buffer, (long) packet.length, (byte) 0);
    }

    void advance(int milliseconds) throws Throwable {
        handle("usrsctp_handle_timers", FunctionDescriptor.ofVoid(JAVA_INT)).invokeExact(milliseconds);
    }

    /** Sends one message on {@code stream} with {@code ppid}; false if usrsctp cannot take it now. */
    boolean send(int stream, int ppid, byte[] data) throws Throwable {
        MemorySegment buffer = arena.allocate(Math.max(1, data.length));
        MemorySegment.copy(data, 0, buffer, JAVA_BYTE, 0, data.length);
        MemorySegment info = arena.allocate(16, 4);
        info.set(JAVA_SHORT, 0, (short) stream);
        info.set(JAVA_INT, 4, Integer.reverseBytes(ppid)); // network byte order
        long n = (long) handle("usrsctp_sendv",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT))
                .invokeExact(connected, buffer, (long) data.length, MemorySegment.NULL, 0, info, 16, SCTP_SENDV_SNDINFO, 0);
        return n == data.length;
    }

    /** A received message: its stream, PPID and bytes. */
    record Received(int stream, int ppid, byte[] data) {}

    /** The next whole message, or null (notifications are skipped). */
    Received receive() throws Throwable {
        MethodHandle recvv = handle("usrsctp_recvv", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MemorySegment buffer = arena.allocate(300_000);
        MemorySegment info = arena.allocate(28, 4);
        MemorySegment infoLength = arena.allocate(JAVA_INT);
        MemorySegment infoType = arena.allocate(JAVA_INT);
        MemorySegment flags = arena.allocate(JAVA_INT);
        while (true) {
            infoLength.set(JAVA_INT, 0, 28);
            flags.set(JAVA_INT, 0, 0);
            long n = (long) recvv.invokeExact(connected, buffer, buffer.byteSize(), MemorySegment.NULL, MemorySegment.NULL,
                    info, infoLength, infoType, flags);
            if (n < 0) {
                return null;
            }
            if ((flags.get(JAVA_INT, 0) & MSG_NOTIFICATION) != 0) {
                continue;
            }
            int stream = Short.toUnsignedInt(info.get(JAVA_SHORT, 0));
            int ppid = Integer.reverseBytes(info.get(JAVA_INT, 8));
            return new Received(stream, ppid, buffer.asSlice(0, n).toArray(JAVA_BYTE));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (connected != null && connected != socket) {
                handle("usrsctp_close", FunctionDescriptor.ofVoid(ADDRESS)).invokeExact(connected);
            }
            handle("usrsctp_close", FunctionDescriptor.ofVoid(ADDRESS)).invokeExact(socket);
            handle("usrsctp_deregister_address", FunctionDescriptor.ofVoid(ADDRESS)).invokeExact(token);
        } catch (Throwable t) {
            throw new Exception(t);
        }
        outbound.clear();
        arena.close();
    }
}
