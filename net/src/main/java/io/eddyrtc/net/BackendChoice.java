package io.eddyrtc.net;

import io.eddyrtc.net.internal.Errno;
import io.eddyrtc.net.internal.LinuxAbi;
import io.eddyrtc.net.internal.LinuxCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.System.Logger.Level.INFO;

/**
 * Whether the Linux batched backend works in this JVM, found out once: the platform, the FFM bindings, and
 * a probe of {@code recvmmsg}/{@code sendmmsg} on a scratch socket (a seccomp profile may refuse them even
 * where libc has them). The first automatic choice is logged.
 */
final class BackendChoice {
    private static final System.Logger LOG = System.getLogger(BackendChoice.class.getName());

    private BackendChoice() {
    }

    /** Why the Linux backend cannot be used here, or {@code null} when it can. */
    static String linuxUnavailableReason() {
        return Probe.REASON;
    }

    /** The backend {@link UdpTransport#open} uses when the configuration names none. */
    static UdpBackend automatic() {
        return Logged.CHOICE;
    }

    private static final class Probe {
        static final String REASON = probe();

        private static String probe() {
            String why = LinuxCalls.unavailableReason();
            if (why != null) {
                return why;
            }
            try (Arena arena = Arena.ofConfined()) {
                LinuxCalls calls = new LinuxCalls(arena);
                int fd = calls.socket(LinuxAbi.AF_INET, LinuxAbi.SOCK_DGRAM | LinuxAbi.SOCK_NONBLOCK | LinuxAbi.SOCK_CLOEXEC,
                        LinuxAbi.IPPROTO_UDP);
                if (fd < 0) {
                    return "a UDP socket could not be made: " + Errno.name(calls.errno());
                }
                try {
                    MemorySegment message = arena.allocate(LinuxAbi.MMSGHDR); // zeroed: no name, no data
                    if (calls.sendmmsg(fd, message.address(), 0, LinuxAbi.MSG_DONTWAIT) < 0) {
                        return "sendmmsg is refused: " + Errno.name(calls.errno());
                    }
                    // Unbound, the socket has nothing to read: EAGAIN is the healthy answer.
                    if (calls.recvmmsg(fd, message.address(), 1, LinuxAbi.MSG_DONTWAIT, 0L) < 0 && calls.errno() != Errno.EAGAIN) {
                        return "recvmmsg is refused: " + Errno.name(calls.errno());
                    }
                } finally {
                    calls.close(fd);
                }
            } catch (RuntimeException | LinkageError e) {
                return "the FFM calls failed: " + e;
            }
            return null;
        }
    }

    private static final class Logged {
        static final UdpBackend CHOICE = choose();

        private static UdpBackend choose() {
            String why = Probe.REASON;
            if (why == null) {
                LOG.log(INFO, "UDP transports use recvmmsg/sendmmsg through FFM (batched, GSO/GRO where the kernel has them)");
                return UdpBackend.LINUX_BATCHED;
            }
            LOG.log(INFO, "UDP transports use DatagramChannel, one datagram per system call: {0}", why);
            return UdpBackend.DATAGRAM_CHANNEL;
        }
    }
}
