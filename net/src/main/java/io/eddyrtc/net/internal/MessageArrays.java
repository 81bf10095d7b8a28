package io.eddyrtc.net.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.eddyrtc.net.internal.LinuxAbi.CMSG_DATA;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The native memory of one {@code recvmmsg} or {@code sendmmsg}: {@code capacity} {@code mmsghdr}s, as many
 * {@code iovec}s, and a control buffer of {@code controlBytes} per message, with their addresses kept as
 * {@code long}s for the headers to point at. Also how control messages are found in such a buffer.
 */
final class MessageArrays {
    static final long HEADER = LinuxAbi.MMSGHDR.byteSize();
    static final long IOVEC = LinuxAbi.IOVEC.byteSize();

    final int capacity;
    final MemorySegment headers;
    final MemorySegment iovecs;
    final MemorySegment controls;
    final long headersAddress;
    final long iovecsAddress;
    final long controlsAddress;

    MessageArrays(Arena arena, int capacity, long controlBytes) {
        this.capacity = capacity;
        this.headers = arena.allocate(HEADER * capacity, 8);
        this.iovecs = arena.allocate(IOVEC * capacity, 8);
        this.controls = arena.allocate(controlBytes * capacity, 8);
        this.headersAddress = headers.address();
        this.iovecsAddress = iovecs.address();
        this.controlsAddress = controls.address();
    }

    /**
     * Where the data of the control message of {@code level} and {@code type} starts in {@code control},
     * among the {@code used} bytes from {@code base} the kernel filled ({@code CMSG_FIRSTHDR}/{@code CMSG_NXTHDR}),
     * or -1 when there is none. A malformed length ends the walk.
     */
    static long find(MemorySegment control, long base, long used, int level, int type) {
        long at = 0;
        while (at + CMSG_DATA <= used) {
            long length = control.get(JAVA_LONG, base + at + LinuxAbi.CMSG_LEN);
            if (length < CMSG_DATA || at + length > used) {
                return -1;
            }
            if (control.get(JAVA_INT, base + at + LinuxAbi.CMSG_LEVEL) == level
                    && control.get(JAVA_INT, base + at + LinuxAbi.CMSG_TYPE) == type) {
                return base + at + CMSG_DATA;
            }
            at += LinuxAbi.cmsgAlign(length);
        }
        return -1;
    }
}
