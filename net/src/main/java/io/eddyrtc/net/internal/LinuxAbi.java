package io.eddyrtc.net.internal;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.nio.ByteOrder;
import java.util.Locale;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The slice of the Linux user-space ABI the batched UDP socket speaks: constants from the kernel and glibc
 * headers, and the layouts of the structs passed to {@code recvmmsg}, {@code sendmmsg}, {@code recvmsg} and
 * {@code ppoll}. x86_64 and aarch64 share every value here (both use the generic socket and errno numbers and
 * the LP64 struct layouts), so one table serves both; {@link #unsupportedReason()} refuses anything else.
 *
 * <p>Pointers and {@code size_t} fields are 8-byte {@code long}s: the socket code passes raw addresses, so no
 * {@code MemorySegment} is made per call. Offsets are {@code static final} so the JIT folds them.
 */
public final class LinuxAbi {
    private LinuxAbi() {
    }

    // <bits/socket.h>, <bits/socket_type.h>
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;   // 04000, O_NONBLOCK on x86_64 and aarch64
    public static final int SOCK_CLOEXEC = 0x80000;  // 02000000

    // <netinet/in.h>, <bits/in.h>, <netinet/udp.h>, <asm-generic/socket.h>
    public static final int IPPROTO_UDP = 17;
    public static final int SOL_SOCKET = 1;
    public static final int SOL_IP = 0;
    public static final int SOL_IPV6 = 41;
    public static final int SOL_UDP = 17;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_REUSEPORT = 15;
    public static final int IP_PKTINFO = 8;
    public static final int IP_RECVERR = 11;
    public static final int IPV6_RECVERR = 25;
    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_RECVPKTINFO = 49;
    public static final int IPV6_PKTINFO = 50;
    public static final int UDP_SEGMENT = 103;
    public static final int UDP_GRO = 104;

    // <bits/socket.h> message flags
    public static final int MSG_CTRUNC = 0x08;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_ERRQUEUE = 0x2000;

    // <bits/poll.h>, <bits/eventfd.h>
    public static final short POLLIN = 0x001;
    public static final short POLLERR = 0x008;
    public static final short POLLNVAL = 0x020;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    /** The kernel's cap on segments in one GSO send ({@code UDP_MAX_SEGMENTS} in include/linux/udp.h). */
    public static final int UDP_MAX_SEGMENTS = 64;
    /** The largest UDP payload over IPv4 (65535 minus the IP and UDP headers); a GSO send stays under it. */
    public static final int MAX_UDP_PAYLOAD = 65_507;

    /** {@code struct iovec}. */
    public static final StructLayout IOVEC = structLayout(
            JAVA_LONG.withName("iov_base"),
            JAVA_LONG.withName("iov_len"));

    /** {@code struct msghdr}. */
    public static final StructLayout MSGHDR = structLayout(
            JAVA_LONG.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            paddingLayout(4),
            JAVA_LONG.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            JAVA_LONG.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            paddingLayout(4));

    /** {@code struct mmsghdr}: a {@code msghdr} and the byte count the kernel fills in. */
    public static final StructLayout MMSGHDR = structLayout(
            MSGHDR.withName("msg_hdr"),
            JAVA_INT.withName("msg_len"),
            paddingLayout(4));

    /** {@code struct cmsghdr}; its data starts at the next 8-byte boundary, {@link #CMSG_DATA}. */
    public static final StructLayout CMSGHDR = structLayout(
            JAVA_LONG.withName("cmsg_len"),
            JAVA_INT.withName("cmsg_level"),
            JAVA_INT.withName("cmsg_type"));

    /** {@code struct sockaddr_in}: family in host order, port and address in network order. */
    public static final StructLayout SOCKADDR_IN = structLayout(
            JAVA_SHORT.withName("sin_family"),
            JAVA_SHORT.withName("sin_port"),
            JAVA_INT.withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));

    /** {@code struct sockaddr_in6}. */
    public static final StructLayout SOCKADDR_IN6 = structLayout(
            JAVA_SHORT.withName("sin6_family"),
            JAVA_SHORT.withName("sin6_port"),
            JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT.withName("sin6_scope_id"));

    /** {@code struct in_pktinfo}: interface, local (routing) address, header destination address. */
    public static final StructLayout IN_PKTINFO = structLayout(
            JAVA_INT.withName("ipi_ifindex"),
            JAVA_INT.withName("ipi_spec_dst"),
            JAVA_INT.withName("ipi_addr"));

    /** {@code struct in6_pktinfo}. */
    public static final StructLayout IN6_PKTINFO = structLayout(
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("ipi6_addr"),
            JAVA_INT.withName("ipi6_ifindex"));

    /** {@code struct pollfd}. */
    public static final StructLayout POLLFD = structLayout(
            JAVA_INT.withName("fd"),
            JAVA_SHORT.withName("events"),
            JAVA_SHORT.withName("revents"));

    /** {@code struct timespec}. */
    public static final StructLayout TIMESPEC = structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec"));

    public static final long IOV_BASE = offset(IOVEC, "iov_base");
    public static final long IOV_LEN = offset(IOVEC, "iov_len");
    public static final long MSG_NAME = offset(MSGHDR, "msg_name");
    public static final long MSG_NAMELEN = offset(MSGHDR, "msg_namelen");
    public static final long MSG_IOV = offset(MSGHDR, "msg_iov");
    public static final long MSG_IOVLEN = offset(MSGHDR, "msg_iovlen");
    public static final long MSG_CONTROL = offset(MSGHDR, "msg_control");
    public static final long MSG_CONTROLLEN = offset(MSGHDR, "msg_controllen");
    public static final long MSG_FLAGS = offset(MSGHDR, "msg_flags");
    public static final long MMSG_LEN = offset(MMSGHDR, "msg_len");
    public static final long CMSG_LEN = offset(CMSGHDR, "cmsg_len");
    public static final long CMSG_LEVEL = offset(CMSGHDR, "cmsg_level");
    public static final long CMSG_TYPE = offset(CMSGHDR, "cmsg_type");
    public static final long CMSG_DATA = CMSGHDR.byteSize();
    public static final long SIN_PORT = offset(SOCKADDR_IN, "sin_port");
    public static final long SIN_ADDR = offset(SOCKADDR_IN, "sin_addr");
    public static final long SIN6_PORT = offset(SOCKADDR_IN6, "sin6_port");
    public static final long SIN6_FLOWINFO = offset(SOCKADDR_IN6, "sin6_flowinfo");
    public static final long SIN6_ADDR = offset(SOCKADDR_IN6, "sin6_addr");
    public static final long SIN6_SCOPE_ID = offset(SOCKADDR_IN6, "sin6_scope_id");
    public static final long IPI_IFINDEX = offset(IN_PKTINFO, "ipi_ifindex");
    public static final long IPI_SPEC_DST = offset(IN_PKTINFO, "ipi_spec_dst");
    public static final long IPI_ADDR = offset(IN_PKTINFO, "ipi_addr");
    public static final long IPI6_ADDR = offset(IN6_PKTINFO, "ipi6_addr");
    public static final long IPI6_IFINDEX = offset(IN6_PKTINFO, "ipi6_ifindex");
    public static final long POLL_FD = offset(POLLFD, "fd");
    public static final long POLL_EVENTS = offset(POLLFD, "events");
    public static final long POLL_REVENTS = offset(POLLFD, "revents");
    public static final long TV_SEC = offset(TIMESPEC, "tv_sec");
    public static final long TV_NSEC = offset(TIMESPEC, "tv_nsec");

    /** {@code CMSG_ALIGN}: control messages are padded to 8 bytes on LP64. */
    public static long cmsgAlign(long length) {
        return (length + 7) & ~7L;
    }

    /** {@code CMSG_SPACE}: the bytes one control message with {@code dataLength} bytes of data takes. */
    public static long cmsgSpace(long dataLength) {
        return CMSG_DATA + cmsgAlign(dataLength);
    }

    /** {@code CMSG_LEN}: the value of {@code cmsg_len} for {@code dataLength} bytes of data. */
    public static long cmsgLen(long dataLength) {
        return CMSG_DATA + dataLength;
    }

    /**
     * Why these tables do not describe this machine, or {@code null} when they do: Linux on x86_64 or
     * aarch64, little-endian, with the C types the layouts assume.
     */
    public static String unsupportedReason() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return "the operating system is " + System.getProperty("os.name") + ", not Linux";
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return "the CPU architecture is " + arch + "; the struct layouts are written for x86_64 and aarch64";
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return "the native byte order is big-endian";
        }
        var c = Linker.nativeLinker().canonicalLayouts();
        if (c.get("size_t").byteSize() != 8 || c.get("long").byteSize() != 8 || c.get("int").byteSize() != 4) {
            return "the C type sizes are not LP64";
        }
        if (MMSGHDR.byteSize() != 64 || MSGHDR.byteSize() != 56 || SOCKADDR_IN6.byteSize() != 28) {
            return "the struct layouts do not have their LP64 sizes";
        }
        return null;
    }

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(PathElement.groupElement(field));
    }
}
