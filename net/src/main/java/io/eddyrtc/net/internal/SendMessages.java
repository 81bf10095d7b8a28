package io.eddyrtc.net.internal;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.eddyrtc.net.internal.LinuxAbi.CMSG_DATA;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The native side of {@code sendmmsg}: one {@code iovec} per datagram, pointing at the caller's memory (no
 * copy), and messages over runs of them. A message of one datagram is a plain send; a message of several,
 * all of one size but the last, carries a {@code UDP_SEGMENT} control message and goes out as one GSO send
 * the kernel cuts into datagrams. A message may also carry the source address to send from
 * ({@code IP_PKTINFO}/{@code IPV6_PKTINFO}).
 */
public final class SendMessages {
    private static final long GSO_SPACE = LinuxAbi.cmsgSpace(2);
    private static final long CONTROL_BYTES = GSO_SPACE + LinuxAbi.cmsgSpace(LinuxAbi.IN6_PKTINFO.byteSize());
    private static final long HEADER = MessageArrays.HEADER;
    private static final long IOVEC = MessageArrays.IOVEC;

    private final MessageArrays arrays;
    private final MemorySegment headers;
    private final MemorySegment iovecs;
    private final MemorySegment controls;
    private final int[] firstDatagram;
    private final int[] datagrams;
    private int count;

    /** Room for {@code capacity} datagrams, and so for as many messages. */
    public SendMessages(Arena arena, int capacity) {
        this.arrays = new MessageArrays(arena, capacity, CONTROL_BYTES);
        this.headers = arrays.headers;
        this.iovecs = arrays.iovecs;
        this.controls = arrays.controls;
        this.firstDatagram = new int[capacity];
        this.datagrams = new int[capacity];
    }

    public int capacity() {
        return arrays.capacity;
    }

    /** Datagram {@code i} is {@code length} bytes at {@code address}. */
    public void setDatagram(int i, long address, int length) {
        long v = i * IOVEC;
        iovecs.set(JAVA_LONG, v + LinuxAbi.IOV_BASE, address);
        iovecs.set(JAVA_LONG, v + LinuxAbi.IOV_LEN, length);
    }

    /** Keeps the first {@code messages} messages and forgets the rest, so they can be built again. */
    public void truncate(int messages) {
        count = messages;
    }

    /** Messages built. */
    public int count() {
        return count;
    }

    public int firstDatagram(int message) {
        return firstDatagram[message];
    }

    public int datagrams(int message) {
        return datagrams[message];
    }

    /** Bytes the kernel took for a message that was sent. */
    public int sentBytes(int message) {
        return headers.get(JAVA_INT, message * HEADER + LinuxAbi.MMSG_LEN);
    }

    /**
     * Adds a message of datagrams {@code first .. first + datagramCount - 1} to the address at {@code name}.
     * With more than one datagram, {@code segmentSize} (the size of all but the last) makes it a GSO send.
     * {@code source}, when its family is set, says which local address to send from; {@code socketFamily}
     * picks how that is said ({@code IP_PKTINFO} on an IPv4 socket, {@code IPV6_PKTINFO} on an IPv6 one;
     * an IPv6 source on an IPv4 socket cannot be said and is left to the kernel).
     */
    public void addMessage(long name, int nameLength, int first, int datagramCount, int segmentSize,
            MemorySegment source, int socketFamily) {
        int m = count++;
        firstDatagram[m] = first;
        datagrams[m] = datagramCount;
        long h = m * HEADER;
        long control = m * CONTROL_BYTES;
        long used = 0;
        if (datagramCount > 1) {
            writeHeader(control, LinuxAbi.SOL_UDP, LinuxAbi.UDP_SEGMENT, 2);
            controls.set(JAVA_SHORT, control + CMSG_DATA, (short) segmentSize);
            used = GSO_SPACE;
        }
        used += writeSource(control + used, source, socketFamily);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_NAME, name);
        headers.set(JAVA_INT, h + LinuxAbi.MSG_NAMELEN, nameLength);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_IOV, arrays.iovecsAddress + first * IOVEC);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_IOVLEN, datagramCount);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_CONTROL, used == 0 ? 0L : arrays.controlsAddress + control);
        headers.set(JAVA_LONG, h + LinuxAbi.MSG_CONTROLLEN, used);
        headers.set(JAVA_INT, h + LinuxAbi.MSG_FLAGS, 0);
        headers.set(JAVA_INT, h + LinuxAbi.MMSG_LEN, 0);
    }

    /** {@code sendmmsg} of the messages from {@code from} on, without waiting and without {@code errno}; how many were sent, or -1. */
    public int send(LinuxCalls calls, int fd, int from) {
        return calls.sendmmsgWithoutErrno(fd, arrays.headersAddress + from * HEADER, count - from, LinuxAbi.MSG_DONTWAIT);
    }

    /** {@link #send}, with {@code errno} captured into {@code calls} for a caller that must know why it failed. */
    public int sendWithErrno(LinuxCalls calls, int fd, int from) {
        return calls.sendmmsg(fd, arrays.headersAddress + from * HEADER, count - from, LinuxAbi.MSG_DONTWAIT);
    }

    private long writeSource(long at, MemorySegment source, int socketFamily) {
        if (SockAddr.family(source) == 0) {
            return 0;
        }
        long data = at + CMSG_DATA;
        if (socketFamily == LinuxAbi.AF_INET6) {
            long high = SockAddr.isIpv4(source) ? 0L : SockAddr.ipv6High(source);
            long low = SockAddr.isIpv4(source) ? SockAddr.v4MappedLow(SockAddr.ipv4(source)) : SockAddr.ipv6Low(source);
            writeHeader(at, LinuxAbi.SOL_IPV6, LinuxAbi.IPV6_PKTINFO, LinuxAbi.IN6_PKTINFO.byteSize());
            BigEndian.putU64(controls, data + LinuxAbi.IPI6_ADDR, high);
            BigEndian.putU64(controls, data + LinuxAbi.IPI6_ADDR + 8, low);
            controls.set(JAVA_INT, data + LinuxAbi.IPI6_IFINDEX, SockAddr.isIpv4(source) ? 0 : SockAddr.scopeId(source));
            return LinuxAbi.cmsgSpace(LinuxAbi.IN6_PKTINFO.byteSize());
        }
        if (!SockAddr.isIpv4(source)) {
            return 0;
        }
        writeHeader(at, LinuxAbi.SOL_IP, LinuxAbi.IP_PKTINFO, LinuxAbi.IN_PKTINFO.byteSize());
        controls.set(JAVA_INT, data + LinuxAbi.IPI_IFINDEX, 0);
        BigEndian.putU32(controls, data + LinuxAbi.IPI_SPEC_DST, SockAddr.ipv4(source) & 0xFFFF_FFFFL);
        controls.set(JAVA_INT, data + LinuxAbi.IPI_ADDR, 0);
        return LinuxAbi.cmsgSpace(LinuxAbi.IN_PKTINFO.byteSize());
    }

    private void writeHeader(long at, int level, int type, long dataLength) {
        controls.set(JAVA_LONG, at + LinuxAbi.CMSG_LEN, LinuxAbi.cmsgLen(dataLength));
        controls.set(JAVA_INT, at + LinuxAbi.CMSG_LEVEL, level);
        controls.set(JAVA_INT, at + LinuxAbi.CMSG_TYPE, type);
    }
}
