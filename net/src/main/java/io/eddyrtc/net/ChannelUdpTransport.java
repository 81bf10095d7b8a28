package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * {@link UdpTransport} on {@link DatagramChannel}, for where the Linux backend is not available: a
 * non-blocking channel and a {@link Selector} to wait on. Each datagram is one system call and one copy (into
 * the slot on receive, out of the caller's memory on send) through a 64 KiB direct buffer, which also shows
 * which datagrams were longer than their slot. GSO and GRO do not exist here, every datagram's local address is
 * the socket's bound address, and unconnected channels never see ICMP reports.
 */
final class ChannelUdpTransport implements UdpTransport {
    private static final System.Logger LOG = System.getLogger(ChannelUdpTransport.class.getName());
    private static final AtomicBoolean BUFFER_WARNING_GIVEN = new AtomicBoolean();
    private static final AtomicBoolean OFFLOAD_NOTE_GIVEN = new AtomicBoolean();
    /** Larger than any UDP payload, so a datagram is never cut here and its true length is seen. */
    private static final int IO_BUFFER_BYTES = 65_536;
    private static final int ADDRESS_CACHE_ENTRIES = 4096;
    /** The channel is the only key; being woken is all a wait needs to know. */
    private static final java.util.function.Consumer<SelectionKey> IGNORE_KEY = key -> { };

    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress localAddress;
    private final UdpAddress local;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(IO_BUFFER_BYTES);
    private final MemorySegment receiveMemory = MemorySegment.ofBuffer(receiveBuffer);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(IO_BUFFER_BYTES);
    private final MemorySegment sendMemory = MemorySegment.ofBuffer(sendBuffer);
    private final InetSocketAddressCache destinations = new InetSocketAddressCache(ADDRESS_CACHE_ENTRIES);
    private final UdpStats stats = new UdpStats(LOG);
    private final int receiveBufferBytes;
    private final int sendBufferBytes;
    private InetSocketAddress lastSender;
    private final UdpAddress lastSenderAddress = new UdpAddress();
    private boolean closed;

    private ChannelUdpTransport(DatagramChannel channel, Selector selector, int receiveBufferBytes, int sendBufferBytes)
            throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.local = UdpAddress.of(localAddress);
        this.receiveBufferBytes = receiveBufferBytes;
        this.sendBufferBytes = sendBufferBytes;
    }

    static ChannelUdpTransport open(UdpConfig config) throws IOException {
        InetSocketAddress bind = config.bindAddress();
        DatagramChannel channel = DatagramChannel.open(bind.getAddress() instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        Selector selector = null;
        try {
            if (bind.getAddress() instanceof Inet6Address && !config.dualStack()) {
                throw new UnsupportedOperationException("the DatagramChannel backend cannot turn dual stack off "
                        + "(IPV6_V6ONLY is not a Java socket option); bind an IPv6 address with dualStack(true)");
            }
            if (config.reusePort()) {
                if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException("SO_REUSEPORT is not available on this platform; open the transport without reusePort");
                }
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            int receive = sizeBuffer(channel, StandardSocketOptions.SO_RCVBUF, config.receiveBufferBytes());
            int send = sizeBuffer(channel, StandardSocketOptions.SO_SNDBUF, config.sendBufferBytes());
            if ((config.gso() || config.gro()) && OFFLOAD_NOTE_GIVEN.compareAndSet(false, true)) {
                LOG.log(INFO, "GSO and GRO need the Linux batched backend; the DatagramChannel backend sends and receives datagram by datagram");
            }
            channel.bind(bind);
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new ChannelUdpTransport(channel, selector, receive, send);
        } catch (IOException | RuntimeException e) {
            if (selector != null) {
                selector.close();
            }
            channel.close();
            throw e;
        }
    }

    /** The channel, for a {@link UdpPollSet} to register with its own selector. */
    DatagramChannel channel() {
        ensureOpen();
        return channel;
    }

    private static int sizeBuffer(DatagramChannel channel, SocketOption<Integer> option, int requested) throws IOException {
        if (requested > 0) {
            channel.setOption(option, requested);
        }
        int effective = channel.getOption(option); // on Linux the JDK halves what the kernel reports, as LinuxUdpSocket does
        if (requested > 0 && effective < requested && BUFFER_WARNING_GIVEN.compareAndSet(false, true)) {
            LOG.log(WARNING, "{0} of {1} bytes asked for, the system gave {2}; raise its limit (on Linux net.core.rmem_max/wmem_max)",
                    option.name(), requested, effective);
        }
        return effective;
    }

    @Override
    public UdpBackend backend() {
        return UdpBackend.DATAGRAM_CHANNEL;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public int receive(RecvBatch batch, long timeoutNanos) {
        ensureOpen();
        int ready = batch.prepare();
        int kept = 0;
        boolean waited = timeoutNanos <= 0;
        try {
            while (kept < ready) {
                receiveBuffer.clear();
                InetSocketAddress sender;
                try {
                    sender = (InetSocketAddress) channel.receive(receiveBuffer);
                } catch (PortUnreachableException e) {
                    stats.receiveCalls++;
                    stats.drop(UdpDropReason.UNREACHABLE, 1, e.getMessage());
                    continue;
                }
                if (sender == null) {
                    if (kept > 0 || waited) {
                        break;
                    }
                    waited = true;
                    // the Consumer form adds nothing to the selected-key set, whose entries would be allocated per wait
                    if (selector.select(IGNORE_KEY, waitMillis(timeoutNanos)) == 0) {
                        break;
                    }
                    continue;
                }
                stats.receiveCalls++;
                if (keep(batch, kept, sender)) {
                    kept++;
                }
            }
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("the channel was closed under this UdpTransport; close only the transport", e);
        } catch (IOException e) {
            throw new UncheckedIOException("receiving from " + localAddress + " failed", e);
        }
        stats.datagramsReceived += kept;
        batch.filled(kept);
        return kept;
    }

    /** Copies the datagram in the receive buffer into entry {@code i}, or drops it if it does not fit. */
    private boolean keep(RecvBatch batch, int i, InetSocketAddress sender) {
        int length = receiveBuffer.position();
        PacketBuffer slot = batch.slot(i);
        if (length > slot.capacity()) {
            stats.drop(UdpDropReason.TRUNCATED, 1, sender);
            return false;
        }
        MemorySegment.copy(receiveMemory, 0, slot.segment(), 0, length);
        slot.length(length);
        // The channel hands back the same object while one peer keeps sending: encode it once.
        if (sender != lastSender) {
            lastSenderAddress.set(sender);
            lastSender = sender;
        }
        batch.sourceSlot(i).set(lastSenderAddress);
        batch.destinationSlot(i).set(local);
        batch.setSegmentSize(i, length);
        return true;
    }

    private static long waitMillis(long timeoutNanos) {
        // select(0) would wait for ever; a sub-millisecond wait becomes one millisecond.
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999));
    }

    @Override
    public int send(SendBatch batch) {
        ensureOpen();
        int count = batch.count();
        int sent = 0;
        try {
            for (int i = 0; i < count; i++) {
                MemorySegment segment = batch.segment(i);
                if (!segment.scope().isAlive()) {
                    throw new IllegalStateException("the memory of datagram " + i + " was freed before the send; "
                            + "send a batch before releasing the slots it points at");
                }
                int length = batch.length(i);
                MemorySegment.copy(segment, batch.offset(i), sendMemory, 0, length);
                sendBuffer.clear().limit(length);
                stats.sendCalls++;
                Outcome outcome = sendOne(batch.destination(i), length);
                if (outcome == Outcome.SENT) {
                    sent++;
                } else if (outcome == Outcome.BUFFER_FULL) {
                    stats.drop(UdpDropReason.SEND_BUFFER_FULL, count - i, null);
                    batch.markDropped(i, count);
                    break;
                } else {
                    batch.markDropped(i, i + 1);
                }
            }
        } finally {
            batch.clear();
        }
        stats.datagramsSent += sent;
        return sent;
    }

    private enum Outcome { SENT, BUFFER_FULL, REFUSED }

    /** One {@code send} of the send buffer; a refusal is counted here. */
    private Outcome sendOne(UdpAddress destination, int length) {
        try {
            // A non-blocking channel sends nothing, and says 0, when its buffer has no room.
            return channel.send(sendBuffer, destinations.get(destination)) > 0 || length == 0 ? Outcome.SENT : Outcome.BUFFER_FULL;
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("the channel was closed under this UdpTransport; close only the transport", e);
        } catch (PortUnreachableException e) { // an ICMP report, which only a connected channel hears
            stats.drop(UdpDropReason.UNREACHABLE, 1, e);
        } catch (IOException | IllegalArgumentException | SecurityException e) { // an unsupported address type is an IAE
            stats.drop(UdpDropReason.SEND_REFUSED, 1, e);
        }
        return Outcome.REFUSED;
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public UdpStats stats() {
        return stats;
    }

    @Override
    public boolean gsoEnabled() {
        return false;
    }

    @Override
    public boolean groEnabled() {
        return false;
    }

    @Override
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    @Override
    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            LOG.log(DEBUG, "closing {0}: {1}", localAddress, e.toString());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this UdpTransport is closed; open a new one");
        }
    }

    @Override
    public String toString() {
        return "UdpTransport[" + backend() + ", " + localAddress + "]";
    }
}
