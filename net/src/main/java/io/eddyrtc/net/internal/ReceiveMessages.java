package io.eddyrtc.net.internal;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.eddyrtc.net.internal.LinuxAbi.CMSG_DATA;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The native side of one {@code recvmmsg} call: an array of {@code mmsghdr}, one {@code iovec} and one
 * control buffer per message. Each call the caller points message {@code i} at the slot to fill and the
 * address to write the sender into ({@link #set}); the kernel writes the datagram straight into the slot.
 * After the call, {@link #readControl} turns the control messages into the datagram's local address
 * ({@code IP_PKTINFO}/{@code IPV6_PKTINFO}) and its GRO segment size ({@code UDP_GRO}).
 */
public final class ReceiveMessages {
    /** Room for {@code IPV6_PKTINFO} (40 bytes) and {@code UDP_GRO} (24) with margin: nothing is cut off. */
    private static final long CONTROL_BYTES = 128;
    private static final long HEADER = LinuxAbi.MMSGHDR.byteSize();
    private static final long IOVEC = LinuxAbi.IOVEC.byteSize();
    private static final long LINK_LOCAL_MASK = 0xFFC0_0000_0000_0000L;
    private static final long LINK_LOCAL_PREFIX = 0xFE80_0000_0000_0000L;

    private final int capacity;
    private final MemorySegment headers;
    private final MemorySegment iovecs;
    private final MemorySegment controls;
    private final long headersAddress;
    private final long iovecsAddress;
    private final long controlsAddress;

    public ReceiveMessages(Arena arena, int capacity) {
        this.capacity = capacity;
        this.headers = arena.allocate(HEADER * capacity, 8);
        this.iovecs = arena.allocate(IOVEC * capacity, 8);
        this.controls = arena.allocate(CONTROL_BYTES * capacity, 8);
        this.headersAddress = headers.address();
        this.iovecsAddress = iovecs.address();
        this.controlsAddress = controls.address();
    }

    public int capacity() {
        return capacity;
    }

    /** Message {@code i} reads into {@code bufferLength} bytes at {@code buffer}, its sender into {@code name}. */
    public void set(int i, long buffer, int bufferLength, long name) {
        long h = i * HEADER;
        long v = i * IOVEC;
        iovecs.set(JAVA_LONG, v + LinuxAbi.IOV_BASE, buffer);
        iovecs.set(JAVA_LONG, v + LinuxAbi.IOV_LEN, bufferLength);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_NAME, name);
        headers.set(JAVA_INT, h + LinuxAbi.MSG_NAMELEN, SockAddr.SIZE);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_IOV, iovecsAddress + v);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_IOVLEN, 1);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_CONTROL, controlsAddress + i * CONTROL_BYTES);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_CONTROLLEN, CONTROL_BYTES);
        headers.set(JAVA_INT, h + LinuxAbi.MSG_FLAGS, 0);
    }

    /** {@code recvmmsg} into the first {@code count} messages, without waiting. */
    public int receive(LinuxCalls calls, int fd, int count) {
        return calls.recvmmsg(fd, headersAddress, count, LinuxAbi.MSG_DONTWAIT, 0L);
    }

    /** Bytes the datagram of message {@code i} had (with {@code MSG_TRUNC}, more than the buffer held). */
    public int length(int i) {
        return headers.get(JAVA_INT, i * HEADER + LinuxAbi.MMSG_LEN);
    }

    public int flags(int i) {
        return headers.get(JAVA_INT, i * HEADER + LinuxAbi.MSG_FLAGS);
    }

    /** Bytes of sender address the kernel wrote for message {@code i}. */
    public int nameLength(int i) {
        return headers.get(JAVA_INT, i * HEADER + LinuxAbi.MSG_NAMELEN);
    }

    /**
     * Reads the control messages of message {@code i}: writes the address the datagram was sent to, with
     * {@code localPort}, into {@code destination} (family 0 when no packet info came), and returns the GRO
     * segment size, or 0 when the datagram was not coalesced.
     */
    public int readControl(int i, MemorySegment destination, int localPort) {
        SockAddr.clear(destination);
        long base = i * CONTROL_BYTES;
        long used = headers.get(JAVA_LONG, i * HEADER + LinuxAbi.MSG_CONTROLLEN);
        int groSize = 0;
        long at = 0;
        while (at + CMSG_DATA <= used) {
            long length = controls.get(JAVA_LONG, base + at + LinuxAbi.CMSG_LEN);
            if (length < CMSG_DATA || at + length > used) {
                break;
            }
            int level = controls.get(JAVA_INT, base + at + LinuxAbi.CMSG_LEVEL);
            int type = controls.get(JAVA_INT, base + at + LinuxAbi.CMSG_TYPE);
            long data = base + at + CMSG_DATA;
            if (level == LinuxAbi.SOL_IPV6 && type == LinuxAbi.IPV6_PKTINFO) {
                long high = BigEndian.u64(controls, data + LinuxAbi.IPI6_ADDR);
                long low = BigEndian.u64(controls, data + LinuxAbi.IPI6_ADDR + 8);
                // A scope id only means something for link-local addresses; elsewhere it would spoil equality.
                int scope = (high & LINK_LOCAL_MASK) == LINK_LOCAL_PREFIX ? controls.get(JAVA_INT, data + LinuxAbi.IPI6_IFINDEX) : 0;
                SockAddr.writeIpv6(destination, high, low, localPort, scope);
            } else if (level == LinuxAbi.SOL_IP && type == LinuxAbi.IP_PKTINFO) {
                SockAddr.writeIpv4(destination, BigEndian.i32(controls, data + LinuxAbi.IPI_ADDR), localPort);
            } else if (level == LinuxAbi.SOL_UDP && type == LinuxAbi.UDP_GRO) {
                groSize = controls.get(JAVA_INT, data);
            }
            at += LinuxAbi.cmsgAlign(length);
        }
        return groSize;
    }
}
