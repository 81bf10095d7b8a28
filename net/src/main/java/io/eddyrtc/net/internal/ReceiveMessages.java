package io.eddyrtc.net.internal;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

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
    private static final long HEADER = MessageArrays.HEADER;
    private static final long IOVEC = MessageArrays.IOVEC;
    private static final long LINK_LOCAL_MASK = 0xFFC0_0000_0000_0000L;
    private static final long LINK_LOCAL_PREFIX = 0xFE80_0000_0000_0000L;

    private final MessageArrays arrays;
    private final MemorySegment headers;
    private final MemorySegment iovecs;
    private final MemorySegment controls;

    public ReceiveMessages(Arena arena, int capacity) {
        this.arrays = new MessageArrays(arena, capacity, CONTROL_BYTES);
        this.headers = arrays.headers;
        this.iovecs = arrays.iovecs;
        this.controls = arrays.controls;
    }

    public int capacity() {
        return arrays.capacity;
    }

    /** Message {@code i} reads into {@code bufferLength} bytes at {@code buffer}, its sender into {@code name}. */
    public void set(int i, long buffer, int bufferLength, long name) {
        long h = i * HEADER;
        long v = i * IOVEC;
        iovecs.set(JAVA_LONG, v + LinuxAbi.IOV_BASE, buffer);
        iovecs.set(JAVA_LONG, v + LinuxAbi.IOV_LEN, bufferLength);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_NAME, name);
        headers.set(JAVA_INT, h + LinuxAbi.MSG_NAMELEN, SockAddr.SIZE);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_IOV, arrays.iovecsAddress + v);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_IOVLEN, 1);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_CONTROL, arrays.controlsAddress + i * CONTROL_BYTES);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_CONTROLLEN, CONTROL_BYTES);
        headers.set(JAVA_INT, h + LinuxAbi.MSG_FLAGS, 0);
    }

    /** {@code recvmmsg} into the first {@code count} messages, without waiting and without {@code errno}. */
    public int receive(LinuxCalls calls, int fd, int count) {
        return calls.recvmmsgWithoutErrno(fd, arrays.headersAddress, count, LinuxAbi.MSG_DONTWAIT, 0L);
    }

    /** {@link #receive}, with {@code errno} captured into {@code calls} for a caller that must know why it failed. */
    public int receiveWithErrno(LinuxCalls calls, int fd, int count) {
        return calls.recvmmsg(fd, arrays.headersAddress, count, LinuxAbi.MSG_DONTWAIT, 0L);
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
        long base = i * CONTROL_BYTES;
        long used = headers.get(JAVA_LONG, i * HEADER + LinuxAbi.MSG_CONTROLLEN);
        long v6 = MessageArrays.find(controls, base, used, LinuxAbi.SOL_IPV6, LinuxAbi.IPV6_PKTINFO);
        long v4 = v6 >= 0 ? -1 : MessageArrays.find(controls, base, used, LinuxAbi.SOL_IP, LinuxAbi.IP_PKTINFO);
        if (v6 >= 0) {
            long high = BigEndian.u64(controls, v6 + LinuxAbi.IPI6_ADDR);
            long low = BigEndian.u64(controls, v6 + LinuxAbi.IPI6_ADDR + 8);
            // A scope id only means something for link-local addresses; elsewhere it would spoil equality.
            int scope = (high & LINK_LOCAL_MASK) == LINK_LOCAL_PREFIX ? controls.get(JAVA_INT, v6 + LinuxAbi.IPI6_IFINDEX) : 0;
            SockAddr.writeIpv6(destination, high, low, localPort, scope);
        } else if (v4 >= 0) {
            SockAddr.writeIpv4(destination, BigEndian.i32(controls, v4 + LinuxAbi.IPI_ADDR), localPort);
        } else {
            SockAddr.clear(destination);
        }
        long gro = MessageArrays.find(controls, base, used, LinuxAbi.SOL_UDP, LinuxAbi.UDP_GRO);
        return gro >= 0 ? controls.get(JAVA_INT, gro) : 0;
    }
}
