package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.net.internal.Errno;
import io.eddyrtc.net.internal.ErrorQueue;
import io.eddyrtc.net.internal.LinuxAbi;
import io.eddyrtc.net.internal.LinuxCalls;
import io.eddyrtc.net.internal.LinuxUdpSocket;
import io.eddyrtc.net.internal.ReceiveMessages;
import io.eddyrtc.net.internal.SendMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketException;

import static java.lang.System.Logger.Level.WARNING;

/**
 * {@link UdpTransport} on Linux system calls through FFM. A receive is one {@code recvmmsg} into the batch's
 * slots (after a {@code ppoll} when nothing is waiting); a send is one {@code sendmmsg} whose messages point
 * at the caller's memory, runs to one destination coalesced into GSO sends. Nothing is allocated per
 * datagram: the message headers live in native memory sized once for the largest batch seen.
 *
 * <p>{@code IP_RECVERR} is on, so an ICMP report about a datagram we sent reaches us: the kernel raises it on
 * the socket's next call (whatever that call was for) and queues the details. Either way the report is read
 * off the error queue, counted as {@link UdpDropReason#UNREACHABLE}, and the call is made again.
 *
 * <p>The calls a receive, a send and a wait make capture no {@code errno} ({@link LinuxCalls} says why: the
 * capture makes an object per call until C2 has compiled the caller). A read that fails is taken as nothing
 * waiting (its usual meaning, {@code EAGAIN}); if it was something else, the wait that follows says so: a report
 * the read consumed is still on the error queue ({@code POLLERR}), a descriptor closed under us is
 * {@code POLLNVAL}, and a read that fails while the socket is readable is made again with {@code errno} captured.
 * A send that fails is made again with {@code errno} captured, to learn why. Its first message was not sent, so
 * that is also a second try: if it goes through (a full buffer drained meanwhile, or the failure was a report the
 * first call consumed, then read off the queue), the send goes on; if not, {@code errno} decides as for any send.
 */
final class LinuxUdpTransport implements UdpTransport {
    private static final System.Logger LOG = System.getLogger(LinuxUdpTransport.class.getName());
    /** GRO hands over up to 64 KiB in one read; a smaller slot would cut a coalesced run short. */
    private static final int GRO_SLOT_BYTES = 65_536;
    /** Calls made again after reading an ICMP report the kernel raised on them. */
    private static final int REPORT_RETRIES = 2;

    private final Arena arena;
    private final LinuxUdpSocket socket;
    private final LinuxCalls calls;
    private final int fd;
    private final int family;
    private final int localPort;
    private final ErrorQueue errors;
    private final UdpStats stats = new UdpStats(LOG);
    private final UdpAddress lastUnreachable;
    private final Refusal refusal = new Refusal();
    private ReceiveMessages receiveMessages;
    private SendMessages sendMessages;
    private boolean gso;
    private boolean closed;

    private LinuxUdpTransport(Arena arena, LinuxUdpSocket socket) {
        this.arena = arena;
        this.socket = socket;
        this.calls = socket.calls();
        this.fd = socket.fd();
        this.family = socket.family();
        this.localPort = socket.localAddress().getPort();
        this.errors = new ErrorQueue(arena);
        this.lastUnreachable = new UdpAddress(errors.lastDestination());
        this.gso = socket.gsoAvailable();
    }

    static LinuxUdpTransport open(UdpConfig config) throws IOException {
        String why = BackendChoice.linuxUnavailableReason();
        if (why != null) {
            throw new UnsupportedOperationException("the Linux batched UDP backend is not available here (" + why
                    + "); use UdpBackend.DATAGRAM_CHANNEL or leave the backend to the automatic choice");
        }
        Arena arena = Arena.ofShared();
        try {
            return new LinuxUdpTransport(arena, LinuxUdpSocket.open(arena, config));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public UdpBackend backend() {
        return UdpBackend.LINUX_BATCHED;
    }

    @Override
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    @Override
    public int receive(RecvBatch batch, long timeoutNanos) {
        ensureOpen();
        if (socket.groEnabled() && batch.pool().slotSize() < GRO_SLOT_BYTES) {
            throw new IllegalArgumentException("with GRO on, one read can hold 64 KiB of coalesced datagrams: give the RecvBatch "
                    + "a PacketPool with slotSize(65536), or open the transport with gro(false)");
        }
        int ready = batch.prepare();
        if (ready == 0) {
            return 0; // the pool is exhausted; the datagrams wait in the kernel until slots come back
        }
        ReceiveMessages messages = receiveMessages(batch.capacity());
        int got = read(batch, messages, ready);
        if (got >= 0 || timeoutNanos <= 0) {
            return Math.max(got, 0);
        }
        int events = socket.await(timeoutNanos);
        if ((events & LinuxUdpSocket.CLOSED) != 0) {
            throw closedUnderUs();
        }
        if ((events & LinuxUdpSocket.ERROR) != 0) {
            drainErrors();
        }
        if ((events & LinuxUdpSocket.READABLE) == 0) {
            return 0;
        }
        got = read(batch, messages, ready);
        return Math.max(got >= 0 ? got : readWithErrno(batch, messages, ready), 0);
    }

    /**
     * One {@code recvmmsg} into the first {@code ready} entries, {@code errno} not captured: how many were kept, or
     * -1 when it failed — nothing waiting, as a rule; a report it consumed instead stays on the error queue.
     */
    private int read(RecvBatch batch, ReceiveMessages messages, int ready) {
        pointAtSlots(batch, messages, ready);
        int received = messages.receive(calls, fd, ready);
        if (received <= 0) {
            return -1;
        }
        stats.receiveCalls++;
        return deliver(batch, messages, received);
    }

    /**
     * A read failed although the socket said it was readable: {@code recvmmsg} again with {@code errno} captured,
     * acting on why it fails. How many were kept, or -1 when none was waiting after all.
     */
    private int readWithErrno(RecvBatch batch, ReceiveMessages messages, int ready) {
        pointAtSlots(batch, messages, ready);
        int retries = 0;
        while (true) {
            int received = messages.receiveWithErrno(calls, fd, ready);
            if (received > 0) {
                stats.receiveCalls++;
                return deliver(batch, messages, received);
            }
            int errno = calls.errno();
            if (received == 0 || errno == Errno.EAGAIN) {
                return -1;
            }
            if (errno == Errno.EINTR) {
                continue;
            }
            stats.receiveCalls++;
            if (Errno.isIcmpReport(errno)) {
                drainErrors();
                if (retries++ < REPORT_RETRIES) {
                    continue;
                }
                return -1;
            }
            throw failure("recvmmsg", errno);
        }
    }

    private static void pointAtSlots(RecvBatch batch, ReceiveMessages messages, int ready) {
        for (int i = 0; i < ready; i++) {
            PacketBuffer slot = batch.slot(i);
            messages.set(i, slot.segment().address(), slot.capacity(), batch.sourceSlot(i).sockaddr.address());
        }
    }

    /** Moves the datagrams kept to the front of the batch, dropping and counting truncated ones. */
    private int deliver(RecvBatch batch, ReceiveMessages messages, int received) {
        int kept = 0;
        long datagrams = 0;
        for (int k = 0; k < received; k++) {
            int length = messages.length(k);
            if ((messages.flags(k) & LinuxAbi.MSG_TRUNC) != 0) {
                stats.drop(UdpDropReason.TRUNCATED, 1, batch.sourceSlot(k));
                continue;
            }
            int groSize = messages.readControl(k, batch.destinationSlot(k).sockaddr, localPort);
            int size = groSize > 0 && groSize < length ? groSize : length;
            batch.slot(k).length(length);
            batch.setSegmentSize(k, size);
            if (kept != k) {
                batch.swap(k, kept);
            }
            kept++;
            int inEntry = size == 0 ? 1 : (length + size - 1) / size;
            if (inEntry > 1) {
                stats.groReceives++;
            }
            datagrams += inEntry;
        }
        stats.datagramsReceived += datagrams;
        batch.filled(kept);
        return kept;
    }

    @Override
    public int send(SendBatch batch) {
        ensureOpen();
        int count = batch.count();
        if (count == 0) {
            return 0;
        }
        SendMessages messages = sendMessages(batch.capacity());
        for (int i = 0; i < count; i++) {
            MemorySegment segment = batch.segment(i);
            if (!segment.scope().isAlive()) {
                batch.clear();
                throw new IllegalStateException("the memory of datagram " + i + " was freed before the send; "
                        + "send a batch before releasing the slots it points at");
            }
            messages.setDatagram(i, segment.address() + batch.offset(i), batch.length(i));
        }
        messages.truncate(0);
        build(batch, messages, 0, gso);
        int sent = transmit(batch, messages);
        batch.clear();
        return sent;
    }

    /** Messages for datagrams {@code from ..}: GSO runs where {@code useGso}, else one datagram each. */
    private void build(SendBatch batch, SendMessages messages, int from, boolean useGso) {
        int count = batch.count();
        for (int i = from; i < count; ) {
            int run = useGso ? runLength(batch, i) : 1;
            UdpAddress destination = batch.destination(i);
            messages.addMessage(destination.sockaddr.address(), destination.sockaddrLength(), i, run, batch.length(i),
                    batch.source(i).sockaddr, family);
            i += run;
        }
    }

    /**
     * How many datagrams from {@code first} one GSO send can carry: same destination and source, the size of
     * the first (a shorter one ends the run), at most 64 of them and 64 KiB together.
     */
    private static int runLength(SendBatch batch, int first) {
        int size = batch.length(first);
        if (size == 0) {
            return 1;
        }
        UdpAddress destination = batch.destination(first);
        UdpAddress source = batch.source(first);
        int count = batch.count();
        int total = size;
        int i = first + 1;
        while (i < count && i - first < LinuxAbi.UDP_MAX_SEGMENTS) {
            int length = batch.length(i);
            if (length == 0 || length > size || total + length > LinuxAbi.MAX_UDP_PAYLOAD
                    || !batch.destination(i).sameAs(destination) || !batch.source(i).sameAs(source)) {
                break;
            }
            total += length;
            i++;
            if (length < size) {
                break;
            }
        }
        return i - first;
    }

    /** {@code sendmmsg} until every message went out or was dropped; the datagrams sent. */
    private int transmit(SendBatch batch, SendMessages messages) {
        int sent = 0;
        int m = 0;
        int retries = 0;
        int plainTrial = -1; // the first message sent plain after the kernel refused it as a GSO send
        while (m < messages.count()) {
            int accepted = messages.send(calls, fd, m);
            stats.sendCalls++;
            if (accepted <= 0) { // refused, and its first message not sent: the same call with errno captured says why
                accepted = messages.sendWithErrno(calls, fd, m);
                stats.sendCalls++;
                if (accepted > 0) {
                    drainErrors(); // what the first call met was gone: most likely a report it consumed, still queued
                }
            }
            if (accepted > 0) {
                for (int k = m; k < m + accepted; k++) {
                    sent += messages.datagrams(k);
                    if (messages.datagrams(k) > 1) {
                        stats.gsoSends++;
                    }
                }
                if (plainTrial >= m && plainTrial < m + accepted) {
                    disableGso();
                    plainTrial = -1;
                }
                m += accepted;
                retries = 0;
                continue;
            }
            int errno = calls.errno();
            if (errno == Errno.EINTR) {
                continue;
            }
            if (Errno.isBufferFull(errno)) {
                int dropped = 0;
                for (int k = m; k < messages.count(); k++) {
                    dropped += messages.datagrams(k);
                }
                batch.markDropped(messages.firstDatagram(m), batch.count());
                stats.drop(UdpDropReason.SEND_BUFFER_FULL, dropped, Errno.name(errno));
                break;
            }
            if (Errno.isIcmpReport(errno) && retries < REPORT_RETRIES) {
                retries++;
                drainErrors(); // a report about an earlier datagram failed this send; this one is still to go
                continue;
            }
            if (messages.datagrams(m) > 1 && Errno.mayBeGsoRefusal(errno)) {
                // Send the rest one datagram at a time; if the first of them goes, GSO was what the kernel refused.
                int first = messages.firstDatagram(m);
                messages.truncate(m);
                build(batch, messages, first, false);
                plainTrial = m;
                stats.gsoFallbacks++;
                continue;
            }
            if (errno == Errno.EBADF) {
                throw closedUnderUs();
            }
            if (plainTrial == m) {
                plainTrial = -1; // refused plain as well: the destination was the trouble, not GSO
            }
            stats.drop(UdpDropReason.SEND_REFUSED, messages.datagrams(m),
                    refusal.of(batch.destination(messages.firstDatagram(m)), errno));
            batch.markDropped(messages.firstDatagram(m), messages.firstDatagram(m) + messages.datagrams(m));
            m++;
        }
        stats.datagramsSent += sent;
        return sent;
    }

    private void disableGso() {
        gso = false;
        LOG.log(WARNING, "the kernel refused a GSO send on {0} but took the same datagrams one by one; sending without GSO from now on",
                socket.localAddress());
    }

    private void drainErrors() {
        int reports = errors.drain(calls, fd);
        if (reports == 0) {
            return;
        }
        stats.drop(UdpDropReason.UNREACHABLE, reports, lastUnreachable); // where the last report's datagram went
    }

    private ReceiveMessages receiveMessages(int capacity) {
        if (receiveMessages == null || receiveMessages.capacity() < capacity) {
            receiveMessages = new ReceiveMessages(arena, capacity);
        }
        return receiveMessages;
    }

    private SendMessages sendMessages(int capacity) {
        if (sendMessages == null || sendMessages.capacity() < capacity) {
            sendMessages = new SendMessages(arena, capacity);
        }
        return sendMessages;
    }

    private static RuntimeException failure(String call, int errno) {
        if (errno == Errno.EBADF) {
            return closedUnderUs();
        }
        return new UncheckedIOException(new SocketException(call + " failed: " + Errno.name(errno)));
    }

    private static IllegalStateException closedUnderUs() {
        return new IllegalStateException("the socket was closed under this UdpTransport; close only the transport");
    }

    @Override
    public void wakeup() {
        socket.wakeup();
    }

    @Override
    public UdpStats stats() {
        return stats;
    }

    @Override
    public boolean gsoEnabled() {
        return gso;
    }

    @Override
    public boolean groEnabled() {
        return socket.groEnabled();
    }

    /** The socket's file descriptor, for a {@link UdpPollSet} to wait on. */
    int fd() {
        ensureOpen();
        return fd;
    }

    @Override
    public int receiveBufferBytes() {
        return socket.receiveBufferBytes();
    }

    @Override
    public int sendBufferBytes() {
        return socket.sendBufferBytes();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        socket.close();
        arena.close();
    }

    /** The socket, for tests that set options the transport does not offer. */
    LinuxUdpSocket socket() {
        return socket;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this UdpTransport is closed; open a new one");
        }
    }

    /** The log detail of a refused send, reused so that counting one allocates nothing. */
    private static final class Refusal {
        private UdpAddress destination;
        private int errno;

        Refusal of(UdpAddress destination, int errno) {
            this.destination = destination;
            this.errno = errno;
            return this;
        }

        @Override
        public String toString() {
            return "to " + destination + ": " + Errno.name(errno);
        }
    }

    @Override
    public String toString() {
        return "UdpTransport[" + backend() + ", " + localAddress() + (gso ? ", GSO" : "") + (groEnabled() ? ", GRO" : "") + "]";
    }
}
