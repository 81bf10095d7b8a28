package io.eddyrtc.sctp;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.sctp.internal.AssociationListener;
import io.eddyrtc.sctp.internal.InboundData;
import io.eddyrtc.sctp.internal.InitChunk;
import io.eddyrtc.sctp.internal.OutboundData;
import io.eddyrtc.sctp.internal.OutgoingPackets;
import io.eddyrtc.sctp.internal.PayloadSlots;
import io.eddyrtc.sctp.internal.RetransmissionTimeout;
import io.eddyrtc.sctp.internal.SctpPacket;
import io.eddyrtc.sctp.internal.StateCookie;
import io.eddyrtc.sctp.internal.StreamReset;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32C;

import static io.eddyrtc.sctp.internal.SctpPacket.ABORT;
import static io.eddyrtc.sctp.internal.SctpPacket.CHUNK_HEADER;
import static io.eddyrtc.sctp.internal.SctpPacket.COMMON_HEADER;
import static io.eddyrtc.sctp.internal.SctpPacket.COOKIE_ACK;
import static io.eddyrtc.sctp.internal.SctpPacket.COOKIE_ECHO;
import static io.eddyrtc.sctp.internal.SctpPacket.DATA;
import static io.eddyrtc.sctp.internal.SctpPacket.ERROR;
import static io.eddyrtc.sctp.internal.SctpPacket.FORWARD_TSN;
import static io.eddyrtc.sctp.internal.SctpPacket.HEARTBEAT;
import static io.eddyrtc.sctp.internal.SctpPacket.HEARTBEAT_ACK;
import static io.eddyrtc.sctp.internal.SctpPacket.INIT;
import static io.eddyrtc.sctp.internal.SctpPacket.INIT_ACK;
import static io.eddyrtc.sctp.internal.SctpPacket.RE_CONFIG;
import static io.eddyrtc.sctp.internal.SctpPacket.SACK;
import static io.eddyrtc.sctp.internal.SctpPacket.SHUTDOWN;
import static io.eddyrtc.sctp.internal.SctpPacket.SHUTDOWN_ACK;
import static io.eddyrtc.sctp.internal.SctpPacket.SHUTDOWN_COMPLETE;

/**
 * One SCTP association (RFC 9260) over DTLS as WebRTC uses it (RFC 8261), sans-I/O: SCTP packets (DTLS
 * application data) and time in, packets and events out. This class runs the handshake (a signed,
 * time-limited state cookie; an INIT collision resolved by one verification tag per side), shutdown and
 * abort, and hands each chunk to the piece that owns it: {@link InboundData} (TSNs, reassembly, SACKs),
 * {@link OutboundData} (send queue, congestion control, retransmission, partial reliability with
 * FORWARD-TSN, RFC 3758) and {@link StreamReset} (RFC 6525). HEARTBEATs are answered, never sent: ICE
 * consent already watches the path.
 *
 * <p>Input never throws: malformed or unauthentic packets are dropped and counted ({@link SctpDropReason}).
 * A packet is checked whole before any chunk of it is applied, and what a peer can make us hold is
 * capped ({@link SctpConfig}). Not thread-safe.
 */
public final class SctpAssociation {
    private static final System.Logger LOG = System.getLogger(SctpAssociation.class.getName());
    /** Message views kept for reuse: enough for the messages of a few packets between polls. */
    private static final int SPARE_MESSAGES = 16;

    private enum State { NEW, COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED, CLOSED }

    private final SctpConfig config;
    private final StateCookie cookies;
    private final long myTag;
    private final long myInitialTsn;
    private final ArrayDeque<SctpEvent> events = new ArrayDeque<>();
    private final DropCounter<SctpDropReason> drops = new DropCounter<>(SctpDropReason.class, LOG, "SCTP");
    private final OutgoingPackets out;
    private final RetransmissionTimeout rto;
    private final PayloadSlots slots;
    private final InboundData inbound;
    private final OutboundData outbound;
    private final StreamReset reset;
    private final CRC32C crc = new CRC32C();
    private final SctpTransmit transmitView = new SctpTransmit();
    /** Message views to lend again, and the one the last {@link #pollEvent()} lent. */
    private final ArrayDeque<SctpEvent.Message> spareMessages = new ArrayDeque<>(4);
    private SctpEvent.Message lent;

    private State state = State.NEW;
    private byte[] cookieToEcho;
    private long handshakeAt = Long.MAX_VALUE;     // INIT, COOKIE-ECHO or SHUTDOWN is sent again then

    // graceful shutdown (RFC 9260 §9.2)
    private boolean shutdownRequested;
    private boolean shutdownSent;

    /**
     * An association that keeps message bytes in heap arrays of their own, for use on its own (tests, tools).
     * {@code random} draws the verification tag, the initial TSN and the cookie key. Production code passes
     * a {@code SecureRandom}: the tag is what keeps a stranger out of the association. A seeded generator
     * is for tests and simulations that must replay exactly.
     */
    public SctpAssociation(SctpConfig config, RandomGenerator random) {
        this(config, random, null, MemoryBudget.unlimited());
    }

    /**
     * An association that keeps the bytes of messages it holds — fragments, messages lent to the reader, chunks
     * queued or in flight — in slots of {@code pool} (shared, as a server's peers share one), each charged to
     * {@code budget}: past it, a write is refused and a chunk out of order dropped and counted. A message longer than
     * a slot lives on the heap. {@code pool}'s slots must hold a packet of the MTU.
     */
    public SctpAssociation(SctpConfig config, RandomGenerator random, PacketPool pool, MemoryBudget budget) {
        this.config = Objects.requireNonNull(config, "config: use SctpConfig.defaults()");
        Objects.requireNonNull(random, "random: pass a SecureRandom");
        Objects.requireNonNull(budget, "budget: MemoryBudget.unlimited() for none");
        if (pool != null && pool.slotSize() < config.mtu()) {
            throw new IllegalArgumentException("the pool's slots (" + pool.slotSize() + " bytes) are smaller than the SCTP MTU ("
                    + config.mtu() + "); use slots of at least the MTU");
        }
        this.slots = new PayloadSlots(pool, budget);
        this.cookies = new StateCookie(random);
        long tag;
        do {
            tag = random.nextInt() & 0xFFFF_FFFFL;
        } while (tag == 0);
        this.myTag = tag;
        this.myInitialTsn = random.nextInt() & 0xFFFF_FFFFL;
        AssociationListener listener = new Listener();
        this.out = new OutgoingPackets(config.port(), config.mtu());
        this.rto = new RetransmissionTimeout(config.rtoInitialNanos(), config.rtoMinNanos(), config.rtoMaxNanos(),
                config.maxRetransmits());
        this.inbound = new InboundData(config.receiveWindow(), config.maxMessageSize(), config.maxPendingFragments(),
                config.streams(), out, slots, listener);
        this.outbound = new OutboundData(myInitialTsn, out, rto, slots, listener);
        this.reset = new StreamReset(myInitialTsn, out, inbound, outbound, rto, listener);
    }

    // ------------------------------------------------------------------ API

    /** Sends INIT (the DTLS client usually does; both may, the collision is handled). */
    public void connect(long now) {
        if (state != State.NEW) {
            throw new IllegalStateException("connect() may be called once, before anything was received");
        }
        state = State.COOKIE_WAIT;
        out.sendTagged(0, initChunk(INIT, null));
        handshakeAt = now + rto.current();
    }

    public boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    public SctpConfig config() {
        return config;
    }

    /**
     * Whether {@link #send} would take a message on {@code stream} now: the association is up (or about to
     * be), not shutting down, and the stream exists. For answering the peer without risking an exception.
     */
    public boolean canSend(int stream) {
        return (state == State.ESTABLISHED || state == State.COOKIE_ECHOED) && !shutdownRequested
                && stream >= 0 && stream < config.streams();
    }

    /**
     * Queues one user message on {@code stream}; fragments it to the MTU. {@code ordered} false lets the
     * peer deliver it as soon as it is whole.
     */
    public void send(long now, int stream, int ppid, byte[] message, boolean ordered) {
        send(now, stream, ppid, message, ordered, -1, -1);
    }

    /**
     * Queues a partially reliable message (RFC 3758): given up after {@code maxRetransmits} retransmissions
     * (-1: no limit) or {@code lifetimeNanos} after now (-1: no limit), the peer told to skip it with
     * FORWARD-TSN. Sent reliably if the peer does not support FORWARD-TSN.
     *
     * @throws IllegalStateException also when the message's bytes would take the association's pool slots past the
     *     memory budget: wait for what is queued to go ({@link #bufferedAmount()}, {@link SctpEvent.BufferedAmountLow})
     */
    public void send(long now, int stream, int ppid, byte[] message, boolean ordered, int maxRetransmits, long lifetimeNanos) {
        send(now, stream, ppid, Objects.requireNonNull(message, "message"), 0, message.length, ordered, maxRetransmits,
                lifetimeNanos);
    }

    /** {@link #send(long, int, int, byte[], boolean, int, long)} of {@code length} bytes at {@code offset} of {@code message}. */
    public void send(long now, int stream, int ppid, byte[] message, int offset, int length, boolean ordered,
                     int maxRetransmits, long lifetimeNanos) {
        Objects.checkFromIndexSize(offset, length, message.length);
        if (!queue(now, stream, ppid, message, null, offset, length, ordered, maxRetransmits, lifetimeNanos, true)) {
            throw full(length);
        }
    }

    /** {@link #send(long, int, int, byte[], boolean, int, long)} of {@code length} bytes at {@code offset} of {@code message}. */
    public void send(long now, int stream, int ppid, MemorySegment message, long offset, int length, boolean ordered,
                     int maxRetransmits, long lifetimeNanos) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(message, "message").byteSize());
        if (!queue(now, stream, ppid, null, message, offset, length, ordered, maxRetransmits, lifetimeNanos, true)) {
            throw full(length);
        }
    }

    private IllegalStateException full(int length) {
        return new IllegalStateException("a message of " + length + " bytes does not fit the send buffer: " + bufferedAmount()
                + " bytes wait to be sent or acknowledged and their pool slots reach the memory budget; send more once"
                + " bufferedAmount falls (SctpEvent.BufferedAmountLow)");
    }

    /**
     * Queues an answer to the peer (a DCEP ACK) from its own input, which must not throw: false, queueing nothing,
     * when the association cannot take it or the memory budget has no room.
     */
    boolean offer(long now, int stream, int ppid, byte[] message) {
        return canSend(stream) && queue(now, stream, ppid, message, null, 0, message.length, true, -1, -1, false);
    }

    /** Queues a message (from {@code array}, or {@code segment} when it is null); false if its bytes do not fit the budget. */
    private boolean queue(long now, int stream, int ppid, byte[] array, MemorySegment segment, long offset, int length,
                          boolean ordered, int maxRetransmits, long lifetimeNanos, boolean checked) {
        if (checked) {
            checkSendable(stream, length);
        }
        if (!outbound.enqueue(now, stream, ppid, array, segment, offset, length, ordered, maxRetransmits, lifetimeNanos)) {
            return false;
        }
        if (state == State.ESTABLISHED) {
            transmit(now);
        }
        return true;
    }

    /** The misuse checks of {@link #send}, each with what to do instead. */
    private void checkSendable(int stream, int length) {
        if (state != State.ESTABLISHED && state != State.COOKIE_ECHOED) {
            // COOKIE_ECHOED: the peer may already send (an INIT collision, a COOKIE ACK still on its way), and
            // an answer to it (a DCEP ACK) is queued until the association is up
            throw new IllegalStateException("the SCTP association is not established; wait for SctpEvent.Connected");
        }
        if (shutdownRequested) {
            throw new IllegalStateException("the association is shutting down; no new messages");
        }
        if (length == 0) {
            throw new IllegalArgumentException("SCTP carries no empty message (RFC 9260 §6.2); data channels send one byte"
                    + " with PPID 56 or 57 instead");
        }
        if (length > config.maxMessageSize()) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the maximum of "
                    + config.maxMessageSize() + " (a=max-message-size); split it");
        }
        if (stream < 0 || stream >= config.streams()) {
            throw new IllegalArgumentException("stream " + stream + " is outside 0.." + (config.streams() - 1));
        }
    }

    /**
     * Resets our outgoing side of {@code streams} (RFC 6525), as closing a data channel does: the peer
     * resets its side in turn, after which the stream ids can be used again. Messages already queued on
     * them are sent first. One request at a time; later ones wait.
     */
    public void resetStreams(long now, int... streams) {
        if (state != State.ESTABLISHED) {
            throw new IllegalStateException("streams can only be reset on an established association; check isEstablished()");
        }
        int most = (config.mtu() - COMMON_HEADER - CHUNK_HEADER - 16) / 2;
        if (streams.length == 0 || streams.length > most) {
            throw new IllegalArgumentException("reset 1 to " + most + " streams at a time (one request fits the MTU); got " + streams.length);
        }
        for (int stream : streams) {
            if (stream < 0 || stream >= config.streams()) {
                throw new IllegalArgumentException("stream " + stream + " is outside 0.." + (config.streams() - 1));
            }
        }
        reset.request(now, streams);
    }

    /**
     * Ends the association gracefully (RFC 9260 §9.2): what is queued is still delivered, then SHUTDOWN,
     * SHUTDOWN-ACK and SHUTDOWN-COMPLETE; {@link SctpEvent.Closed} follows.
     */
    public void shutdown(long now) {
        if (state != State.ESTABLISHED) {
            abort("shut down before the association was established");
            return;
        }
        shutdownRequested = true;
        maybeSendShutdown(now);
    }

    /** Ends the association at once (ABORT), e.g. when the peer connection closes. */
    public void abort(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.ESTABLISHED) {
            out.send(SctpPacket.chunk(ABORT, 0, new byte[0]));
        }
        close(reason);
    }

    /** The next packet to send (inside a DTLS record), or null; a view valid until the next call on the association. */
    public SctpTransmit pollTransmit() {
        OutgoingPackets.Packet p = out.poll();
        return p == null ? null : transmitView.point(p.bytes(), p.length());
    }

    /**
     * The next event, or null. A {@link SctpEvent.Message} is lent: valid until the next {@code pollEvent},
     * {@code handleReceive} or {@code handleTimeout}.
     */
    public SctpEvent pollEvent() {
        endLoan();
        SctpEvent e = events.poll();
        if (e instanceof SctpEvent.Message m) {
            lent = m;
        }
        return e;
    }

    /** The message lent by the last poll goes back: its slot to the pool (unless someone retained it), the view for reuse. */
    private void endLoan() {
        if (lent != null) {
            PacketBuffer slot = lent.endLoan();
            if (!slot.isNone()) {
                slots.give(slot);
            }
            if (spareMessages.size() < SPARE_MESSAGES) {
                spareMessages.add(lent);
            }
            lent = null;
        }
    }

    public long nextDeadline() {
        if (state == State.CLOSED) {
            return Long.MAX_VALUE;
        }
        return Math.min(Math.min(handshakeAt, outbound.t3At()), Math.min(inbound.sackDueAt(), reset.deadline()));
    }

    /** Bytes queued or in flight, not yet acknowledged (for bufferedAmount). */
    public long bufferedAmount() {
        return outbound.bufferedAmount();
    }

    /** Bytes queued on {@code stream} and not yet sent (a data channel's bufferedAmount). */
    public long bufferedAmount(int stream) {
        return outbound.bufferedAmount(stream);
    }

    /** {@link SctpEvent.BufferedAmountLow} for {@code stream} when its queued bytes fall to {@code bytes} or below. */
    public void setBufferedAmountLowThreshold(int stream, long bytes) {
        outbound.setBufferedAmountLowThreshold(stream, bytes);
    }

    /** User data bytes the peer sent that are held until their messages are whole and next in order. */
    public long receiveBufferedBytes() {
        return inbound.heldBytes();
    }

    /** DATA fragments (and whole messages waiting for their turn) held for the same reason. */
    public int receiveBufferedFragments() {
        return inbound.heldFragments();
    }

    /** DATA chunks given up under a partial-reliability policy. */
    public long abandonedChunks() {
        return outbound.abandonedChunks();
    }

    public long dropped(SctpDropReason reason) {
        return drops.dropped(reason);
    }

    public long droppedTotal() {
        return drops.total();
    }

    // ------------------------------------------------------------------ timers

    public void handleTimeout(long now) {
        endLoan();
        if (state == State.CLOSED) {
            return;
        }
        inbound.onTimeout(now);
        if (now >= handshakeAt) {
            onHandshakeTimeout(now);
        } else if (state == State.ESTABLISHED && !outbound.onTimeout(now)) {
            abortUnanswered();
        }
        if (state != State.CLOSED) {
            reset.onTimeout(now);
        }
    }

    /** INIT, COOKIE-ECHO or SHUTDOWN (or its answer) was lost: send it again, backing off. */
    private void onHandshakeTimeout(long now) {
        if (!rto.backOff()) {
            abortUnanswered();
            return;
        }
        handshakeAt = now + rto.current();
        switch (state) {
            case COOKIE_WAIT -> out.sendTagged(0, initChunk(INIT, null));
            case COOKIE_ECHOED -> out.send(SctpPacket.chunk(COOKIE_ECHO, 0, cookieToEcho));
            case ESTABLISHED -> sendShutdown();
            default -> handshakeAt = Long.MAX_VALUE;
        }
    }

    private void abortUnanswered() {
        abort("the peer did not answer " + rto.maxTimeoutsInARow() + " retransmissions");
    }

    private void maybeSendShutdown(long now) {
        if (shutdownRequested && !shutdownSent && state == State.ESTABLISHED && outbound.idle()) {
            shutdownSent = true;
            sendShutdown();
            handshakeAt = now + rto.current();
        }
    }

    private void sendShutdown() {
        byte[] v = new byte[4];
        BigEndian.putU32(v, 0, inbound.cumulativeTsn());
        out.send(SctpPacket.chunk(SHUTDOWN, 0, v));
    }

    // ------------------------------------------------------------------ input

    /** One SCTP packet (a DTLS application data record). */
    public void handleReceive(long now, byte[] packet) {
        handleReceive(now, packet, packet.length);
    }

    /** One SCTP packet in the first {@code length} bytes of {@code packet}, read during this call only. */
    public void handleReceive(long now, byte[] packet, int length) {
        endLoan();
        Objects.checkFromIndexSize(0, length, packet.length);
        if (state == State.CLOSED) {
            drops.count(SctpDropReason.CLOSED);
            return;
        }
        if (length < COMMON_HEADER + SctpPacket.CHUNK_HEADER) {
            drops.count(SctpDropReason.MALFORMED);
            return;
        }
        if (!SctpPacket.checksumValid(packet, length, crc)) {
            drops.count(SctpDropReason.BAD_CHECKSUM);
            return;
        }
        if (BigEndian.u16(packet, 0) != config.port() || BigEndian.u16(packet, 2) != config.port()) {
            drops.count(SctpDropReason.WRONG_PORT);
            return;
        }
        long vtag = BigEndian.u32(packet, 4);
        int firstType = packet[COMMON_HEADER] & 0xFF;
        boolean abortWithPeerTag = firstType == ABORT && (packet[COMMON_HEADER + 1] & 1) != 0 && vtag == out.peerTag();
        if (firstType == INIT ? vtag != 0 : vtag != myTag && !abortWithPeerTag) {
            drops.count(SctpDropReason.BAD_VERIFICATION_TAG);
            return;
        }
        int end = SctpPacket.processableEnd(packet, length);
        if (end < 0) {
            drops.count(SctpDropReason.MALFORMED);
            return;
        }
        if (abortedBy(packet, end)) {
            return;
        }
        boolean hadData = false;
        for (int at = COMMON_HEADER; at < end && state != State.CLOSED; ) {
            int type = packet[at] & 0xFF;
            int flags = packet[at + 1] & 0xFF;
            int chunkLength = BigEndian.u16(packet, at + 2);
            hadData |= onChunk(now, type, flags, packet, at + CHUNK_HEADER, chunkLength - CHUNK_HEADER);
            at += SctpPacket.padded(chunkLength);
        }
        if (hadData && state != State.CLOSED) {
            inbound.afterPacket(now);
        }
        if (state == State.ESTABLISHED) {
            transmit(now);
        }
        maybeSendShutdown(now);
    }

    /** DATA as the windows allow, then a stream reset that waited for its streams' queued messages to go. */
    private void transmit(long now) {
        outbound.transmit(now);
        reset.sendNext(now);
    }

    /**
     * An ABORT ends the association: whatever it is bundled with is not applied (applying it first would
     * leave it half done, e.g. a stream reset reported and then never answered), only counted.
     */
    private boolean abortedBy(byte[] p, int end) {
        if ((p[SctpPacket.lastChunkBefore(p, end)] & 0xFF) != ABORT) {
            return false;
        }
        for (int i = SctpPacket.chunkCount(p, end); i > 1; i--) {
            drops.count(SctpDropReason.CLOSED);
        }
        close("the peer aborted the association");
        return true;
    }

    /** One chunk's value, {@code length} bytes at {@code at}; true if it was DATA that counts towards a SACK. */
    private boolean onChunk(long now, int type, int flags, byte[] p, int at, int length) {
        switch (type) {
            case DATA -> {
                return onData(flags, p, at, length);
            }
            case INIT -> onInit(now, p, at, length);
            case INIT_ACK -> onInitAck(now, p, at, length);
            case SACK -> {
                if (established()) {
                    outbound.onSack(now, p, at, length);
                }
            }
            case HEARTBEAT -> onHeartbeat(p, at, length);
            case HEARTBEAT_ACK -> { }
            case SHUTDOWN -> {
                out.send(SctpPacket.chunk(SHUTDOWN_ACK, 0, new byte[0]));
                close("the peer shut the association down");
            }
            case SHUTDOWN_ACK -> {
                out.send(SctpPacket.chunk(SHUTDOWN_COMPLETE, 0, new byte[0]));
                close("shut down");
            }
            case SHUTDOWN_COMPLETE -> close("shut down");
            case ERROR -> onError(now, p, at, length);
            case COOKIE_ECHO -> onCookieEcho(now, Arrays.copyOfRange(p, at, at + length));
            case COOKIE_ACK -> onCookieAck();
            case RE_CONFIG -> {
                if (established()) {
                    reset.onReconfig(now, p, at, length);
                }
            }
            case FORWARD_TSN -> {
                if (established()) {
                    inbound.onForwardTsn(p, at, length);
                }
            }
            default -> drops.count(SctpDropReason.UNEXPECTED_CHUNK); // unknown: skipped, or the last one processed
        }
        return false;
    }

    /** Whether the association is up, counting the chunk at hand as unexpected if not. */
    private boolean established() {
        if (state == State.ESTABLISHED) {
            return true;
        }
        drops.count(SctpDropReason.UNEXPECTED_CHUNK);
        return false;
    }

    private boolean onData(int flags, byte[] p, int at, int length) {
        if (state != State.ESTABLISHED && state != State.COOKIE_ECHOED) {
            drops.count(SctpDropReason.UNEXPECTED_CHUNK);
            return false;
        }
        if (length == 12) {
            abortNoUserData(BigEndian.u32(p, at));
            return false;
        }
        return inbound.onData(flags, p, at, length);
    }

    /** RFC 9260 §6.2: DATA without user data is answered with an ABORT, error cause No User Data (9) naming its TSN. */
    private void abortNoUserData(long tsn) {
        drops.count(SctpDropReason.NO_USER_DATA);
        byte[] cause = new byte[8];
        BigEndian.putU16(cause, 0, 9);
        BigEndian.putU16(cause, 2, 8);
        BigEndian.putU32(cause, 4, tsn);
        out.send(SctpPacket.chunk(ABORT, 0, cause));
        close("the peer sent DATA without user data");
    }

    /** A HEARTBEAT is echoed as it came, unless the echo would not fit the MTU. */
    private void onHeartbeat(byte[] p, int at, int length) {
        if (COMMON_HEADER + SctpPacket.chunkSize(length) > out.mtu()) {
            drops.count(SctpDropReason.OVERSIZED);
            return;
        }
        out.send(SctpPacket.chunk(HEARTBEAT_ACK, 0, Arrays.copyOfRange(p, at, at + length)));
    }

    // ------------------------------------------------------------------ handshake

    private void onInit(long now, byte[] p, int at, int length) {
        if (!InitChunk.wellFormed(p, at, length) || InitChunk.tag(p, at) == 0) {
            drops.count(SctpDropReason.MALFORMED);
            return;
        }
        if (state == State.ESTABLISHED) {
            drops.count(SctpDropReason.UNEXPECTED_CHUNK); // a restart is not supported: keep the association
            return;
        }
        boolean theirForwardTsn = InitChunk.parameter(p, at, length, SctpPacket.PARAM_FORWARD_TSN_SUPPORTED) != null;
        // stateless: everything needed to build the association later travels in the signed cookie
        byte[] cookie = cookies.make(myTag, InitChunk.tag(p, at), myInitialTsn, InitChunk.initialTsn(p, at),
                InitChunk.receiveWindow(p, at), theirForwardTsn, now);
        out.sendTagged(InitChunk.tag(p, at), initChunk(INIT_ACK, cookie));
    }

    private byte[] initChunk(int type, byte[] cookie) {
        return InitChunk.encode(type, myTag, config.receiveWindow(), config.streams(), myInitialTsn, cookie);
    }

    private void onInitAck(long now, byte[] p, int at, int length) {
        if (state != State.COOKIE_WAIT) {
            drops.count(SctpDropReason.UNEXPECTED_CHUNK);
            return;
        }
        byte[] cookie = InitChunk.wellFormed(p, at, length) ? InitChunk.parameter(p, at, length, SctpPacket.PARAM_STATE_COOKIE) : null;
        if (cookie == null) {
            drops.count(SctpDropReason.MALFORMED);
            return;
        }
        out.peerTag(InitChunk.tag(p, at));
        outbound.peer(InitChunk.receiveWindow(p, at), InitChunk.parameter(p, at, length, SctpPacket.PARAM_FORWARD_TSN_SUPPORTED) != null);
        inbound.start(InitChunk.initialTsn(p, at));
        reset.start(InitChunk.initialTsn(p, at));
        cookieToEcho = cookie;
        state = State.COOKIE_ECHOED;
        out.send(SctpPacket.chunk(COOKIE_ECHO, 0, cookie));
        handshakeAt = now + rto.current();
    }

    private void onCookieEcho(long now, byte[] cookie) {
        boolean authentic = cookies.authentic(cookie, myTag);
        // a repeated COOKIE-ECHO for the association we already have (our COOKIE-ACK was lost) is answered
        // again however old its cookie is (RFC 9260 §5.2.4, case D), or the peer would wait forever
        boolean repeated = state == State.ESTABLISHED && authentic && StateCookie.theirTag(cookie) == out.peerTag();
        if (!repeated && !(authentic && StateCookie.fresh(cookie, now, config.cookieLifetimeNanos()))) {
            drops.count(SctpDropReason.BAD_COOKIE);
            if (authentic) {
                // ours but too old (its COOKIE-ECHOs kept getting lost): tell the peer to start over
                // (RFC 9260 §3.3.10.3 Stale Cookie Error)
                byte[] cause = new byte[8];
                BigEndian.putU16(cause, 0, 3);
                BigEndian.putU16(cause, 2, 8);
                long staleness = (now - StateCookie.created(cookie) - config.cookieLifetimeNanos()) / 1000;
                BigEndian.putU32(cause, 4, Math.clamp(staleness, 0, 0xFFFF_FFFFL));
                out.sendTagged(StateCookie.theirTag(cookie), SctpPacket.chunk(ERROR, 0, cause));
            }
            return;
        }
        if (state != State.ESTABLISHED) {
            long theirInitialTsn = StateCookie.theirInitialTsn(cookie);
            out.peerTag(StateCookie.theirTag(cookie));
            outbound.peer(StateCookie.theirRwnd(cookie), StateCookie.theirForwardTsn(cookie));
            inbound.start(theirInitialTsn);
            reset.start(theirInitialTsn);
            establish();
        }
        out.send(SctpPacket.chunk(COOKIE_ACK, 0, new byte[0]));
    }

    /** A Stale Cookie error while we echo a cookie means our handshake took too long: start it again. */
    private void onError(long now, byte[] p, int at, int length) {
        if (state == State.COOKIE_ECHOED && length >= 4 && BigEndian.u16(p, at) == 3) {
            state = State.COOKIE_WAIT;
            cookieToEcho = null;
            rto.restart();
            out.sendTagged(0, initChunk(INIT, null));
            handshakeAt = now + rto.current();
            return;
        }
        drops.count(SctpDropReason.UNEXPECTED_CHUNK);
    }

    private void onCookieAck() {
        if (state == State.COOKIE_ECHOED) {
            establish();
        }
    }

    private void establish() {
        state = State.ESTABLISHED;
        handshakeAt = Long.MAX_VALUE;
        rto.answered();
        rto.restart();
        events.add(new SctpEvent.Connected());
    }

    private void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        handshakeAt = Long.MAX_VALUE;
        outbound.releaseAll(); // what waited to be sent or acknowledged, and what waited to be reassembled, goes back
        inbound.releaseAll();
        inbound.stopTimer();
        reset.stopTimer();
        events.add(new SctpEvent.Closed(reason));
    }

    /** The pieces' reports, turned into this association's events and drop counts. */
    private final class Listener implements AssociationListener {
        @Override
        public void message(int stream, int ppid, PacketBuffer slot, byte[] heap, int length) {
            SctpEvent.Message view = spareMessages.poll();
            events.add((view == null ? new SctpEvent.Message() : view).lend(stream, ppid, slot, heap, length));
        }

        @Override
        public void streamsReset(int[] streams) {
            events.add(new SctpEvent.StreamsReset(streams));
        }

        @Override
        public void outgoingStreamsReset(int[] streams) {
            events.add(new SctpEvent.OutgoingStreamsReset(streams));
        }

        @Override
        public void bufferedAmountLow(int stream) {
            events.add(new SctpEvent.BufferedAmountLow(stream));
        }

        @Override
        public void dropped(SctpDropReason reason) {
            drops.count(reason);
        }
    }

    @Override
    public String toString() {
        return "SctpAssociation[" + state + ", " + outbound + "]";
    }
}
