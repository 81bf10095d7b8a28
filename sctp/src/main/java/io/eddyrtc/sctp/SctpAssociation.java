package io.eddyrtc.sctp;

import io.eddyrtc.buffers.SequenceNumbers;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * One SCTP association (RFC 9260) over DTLS as WebRTC uses it (RFC 8261), sans-I/O: SCTP packets (DTLS
 * application data) and time in, packets and events out. Four-way handshake with a signed, time-limited
 * state cookie (and INIT collision handled by one verification tag per side), DATA with fragmentation and
 * ordered/unordered reassembly, SACK with gap blocks and duplicates (delayed: every second packet or
 * 200 ms), retransmission with Karn's rule and RFC 6298 RTO, fast retransmit on three missing reports,
 * slow start and congestion avoidance, the peer's receive window, HEARTBEAT answers, ABORT and SHUTDOWN.
 *
 * <p>Input never throws: malformed or unauthentic packets are dropped and counted ({@link SctpDropReason}).
 * Not thread-safe. Not yet: partial reliability (FORWARD-TSN), stream reset (RE-CONFIG), sending
 * HEARTBEATs ourselves (ICE consent already watches the path).
 */
public final class SctpAssociation {
    private static final System.Logger LOG = System.getLogger(SctpAssociation.class.getName());

    static final int DATA = 0;
    static final int INIT = 1;
    static final int INIT_ACK = 2;
    static final int SACK = 3;
    static final int HEARTBEAT = 4;
    static final int HEARTBEAT_ACK = 5;
    static final int ABORT = 6;
    static final int SHUTDOWN = 7;
    static final int SHUTDOWN_ACK = 8;
    static final int ERROR = 9;
    static final int COOKIE_ECHO = 10;
    static final int COOKIE_ACK = 11;
    static final int SHUTDOWN_COMPLETE = 14;
    static final int RE_CONFIG = 130;
    static final int FORWARD_TSN = 192;
    static final int PARAM_FORWARD_TSN_SUPPORTED = 0xC000;
    static final int PARAM_STATE_COOKIE = 7;
    static final int PARAM_OUTGOING_RESET = 13;
    static final int PARAM_RECONFIG_RESPONSE = 16;
    static final int PARAM_SUPPORTED_EXTENSIONS = 0x8008;
    private static final int RESULT_PERFORMED = 1;
    private static final int RESULT_IN_PROGRESS = 6;

    private static final int COMMON_HEADER = 12;
    private static final int DATA_HEADER = 16;
    private static final int FLAG_END = 1;
    private static final int FLAG_BEGIN = 2;
    private static final int FLAG_UNORDERED = 4;
    private static final int COOKIE_LENGTH = 1 + 4 + 4 + 4 + 4 + 4 + 8 + 32;
    private static final long DELAYED_SACK_NANOS = 200_000_000L;

    private enum State { NEW, COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED, CLOSED }

    /** A user message's delivery policy (RFC 3758): reliable, or abandoned after retransmissions or a deadline. */
    private static final class Policy {
        static final Policy RELIABLE = new Policy(-1, Long.MAX_VALUE);
        final int maxRetransmits;
        final long expiresAt;
        boolean abandoned;

        Policy(int maxRetransmits, long expiresAt) {
            this.maxRetransmits = maxRetransmits;
            this.expiresAt = expiresAt;
        }

        boolean reliable() {
            return maxRetransmits < 0 && expiresAt == Long.MAX_VALUE;
        }

        boolean exhausted(long now, int transmissions) {
            return (maxRetransmits >= 0 && transmissions > maxRetransmits) || now >= expiresAt;
        }
    }

    /** A DATA chunk we sent or will send. */
    private static final class Outgoing {
        Policy policy = Policy.RELIABLE;
        long tsn;
        final int stream;
        final int ssn;
        final int ppid;
        final int flags;
        final byte[] data;
        long sentAt;
        int transmissions;
        int missingReports;
        boolean gapAcked;
        boolean retransmit;

        Outgoing(int stream, int ssn, int ppid, int flags, byte[] data) {
            this.stream = stream;
            this.ssn = ssn;
            this.ppid = ppid;
            this.flags = flags;
            this.data = data;
        }
    }

    /** A DATA chunk received and not yet delivered. */
    private record Fragment(int stream, int ssn, int ppid, int flags, byte[] data) {}

    private final SctpConfig config;
    private final java.util.random.RandomGenerator secure;
    private final byte[] cookieSecret = new byte[32];
    private final long myTag;
    private final long myInitialTsn;
    private final ArrayDeque<byte[]> transmits = new ArrayDeque<>();
    private final ArrayDeque<SctpEvent> events = new ArrayDeque<>();
    private final long[] drops = new long[SctpDropReason.values().length];

    private State state = State.NEW;
    private long peerTag;
    private long initSentAt;
    private int initTransmissions;
    private byte[] cookieToEcho;

    // receiving
    private long peerCumTsn;                       // extended: the last TSN received in order
    private final TreeSet<Long> receivedAbove = new TreeSet<>();
    private final TreeMap<Long, Fragment> pending = new TreeMap<>();
    private final Map<Integer, Integer> expectedSsn = new HashMap<>();
    private final List<Long> duplicates = new ArrayList<>();
    private int pendingBytes;
    private int packetsSinceSack;
    private long sackDueAt = Long.MAX_VALUE;

    // sending
    private long nextTsn;                          // extended
    private long cumAcked;                         // extended: the peer's cumulative ack
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private final TreeMap<Long, Outgoing> inFlight = new TreeMap<>();
    private final Map<Integer, Integer> nextSsn = new HashMap<>();
    private long peerRwnd;
    private long cwnd;
    private long ssthresh;
    private long partialBytesAcked;
    private long rto;
    private long srtt = -1;
    private long rttvar;
    private long t3At = Long.MAX_VALUE;
    private int timeoutsInARow;

    // graceful shutdown (RFC 9260 §9.2)
    private boolean shutdownRequested;
    private boolean shutdownSent;

    // per-stream bytes queued and not yet sent (the W3C bufferedAmount), and their low-water marks
    private final Map<Integer, Long> queuedBytes = new HashMap<>();
    private final Map<Integer, Long> lowThresholds = new HashMap<>();

    // partial reliability (RFC 3758)
    private boolean peerForwardTsn;
    private long abandonedChunks;
    private long forwardTsnSent = -1;              // the last new cumulative TSN we announced

    // stream reconfiguration (RFC 6525)
    private long myReconfigSeq;                    // our next request sequence number
    private long peerReconfigNext;                 // the peer's next request sequence number we expect
    private byte[] pendingReset;                   // our outstanding Outgoing SSN Reset Request, resent until answered
    private int[] pendingResetStreams;
    private long reconfigAt = Long.MAX_VALUE;
    private final java.util.ArrayDeque<int[]> queuedResets = new java.util.ArrayDeque<>();

    /**
     * {@code secure} draws the verification tag, initial TSN and cookie key: a {@code SecureRandom} for an
     * association on an open network; inside DTLS (WebRTC) a seeded generator is enough, and keeps
     * simulations reproducible.
     */
    public SctpAssociation(SctpConfig config, java.util.random.RandomGenerator secure) {
        this.config = Objects.requireNonNull(config, "config: use SctpConfig.defaults()");
        this.secure = Objects.requireNonNull(secure, "secure");
        secure.nextBytes(cookieSecret);
        long tag;
        do {
            tag = secure.nextInt() & 0xFFFF_FFFFL;
        } while (tag == 0);
        this.myTag = tag;
        this.myInitialTsn = secure.nextInt() & 0xFFFF_FFFFL;
        this.nextTsn = myInitialTsn;
        this.myReconfigSeq = myInitialTsn;
        this.cumAcked = myInitialTsn - 1;
        this.rto = config.rtoInitialNanos();
        this.cwnd = Math.min(4L * config.mtu(), Math.max(2L * config.mtu(), 4380));
    }

    // ------------------------------------------------------------------ API

    /** Sends INIT (the DTLS client usually does; both may, the collision is handled). */
    public void connect(long now) {
        if (state != State.NEW) {
            throw new IllegalStateException("connect() may be called once, before anything was received");
        }
        state = State.COOKIE_WAIT;
        initSentAt = now;
        sendInit(INIT, null, 0);
        t3At = now + rto;
    }

    public boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    /**
     * Whether {@link #send} would take a message on {@code stream} now: the association is up (or about to
     * be), not shutting down, and the stream exists. For answering the peer without risking an exception.
     */
    public boolean canSend(int stream) {
        return (state == State.ESTABLISHED || state == State.COOKIE_ECHOED) && !shutdownRequested
                && stream >= 0 && stream < config.streams();
    }

    public boolean isClosed() {
        return state == State.CLOSED;
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
     */
    public void send(long now, int stream, int ppid, byte[] message, boolean ordered, int maxRetransmits, long lifetimeNanos) {
        if (state != State.ESTABLISHED && state != State.COOKIE_ECHOED) {
            // COOKIE_ECHOED: the peer may already send (an INIT collision, a COOKIE ACK still on its way), and
            // an answer to it (a DCEP ACK) is queued until the association is up
            throw new IllegalStateException("the SCTP association is not established; wait for SctpEvent.Connected");
        }
        if (shutdownRequested) {
            throw new IllegalStateException("the association is shutting down; no new messages");
        }
        if (message.length > config.maxMessageSize()) {
            throw new IllegalArgumentException("message of " + message.length + " bytes exceeds the maximum of "
                    + config.maxMessageSize() + " (a=max-message-size); split it");
        }
        if (stream < 0 || stream >= config.streams()) {
            throw new IllegalArgumentException("stream " + stream + " is outside 0.." + (config.streams() - 1));
        }
        int ssn = ordered ? nextSsn.merge(stream, 1, Integer::sum) - 1 : 0;
        Policy policy = !peerForwardTsn || (maxRetransmits < 0 && lifetimeNanos < 0) ? Policy.RELIABLE
                : new Policy(maxRetransmits, lifetimeNanos < 0 ? Long.MAX_VALUE : now + lifetimeNanos);
        int room = (config.mtu() - COMMON_HEADER - DATA_HEADER) & ~3; // chunks are padded to 4 bytes
        int offset = 0;
        do {
            int n = Math.min(room, message.length - offset);
            int flags = (offset == 0 ? FLAG_BEGIN : 0) | (offset + n == message.length ? FLAG_END : 0) | (ordered ? 0 : FLAG_UNORDERED);
            Outgoing chunk = new Outgoing(stream, ssn & 0xFFFF, ppid, flags, Arrays.copyOfRange(message, offset, offset + n));
            chunk.policy = policy;
            queue.add(chunk);
            queuedBytes.merge(stream, (long) n, Long::sum);
            offset += n;
        } while (offset < message.length);
        transmitData(now);
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

    private void maybeSendShutdown(long now) {
        if (shutdownRequested && !shutdownSent && state == State.ESTABLISHED && queue.isEmpty() && inFlight.isEmpty()) {
            shutdownSent = true;
            sendShutdown();
            t3At = now + rto;
        }
    }

    private void sendShutdown() {
        byte[] v = new byte[4];
        put32(v, 0, peerCumTsn);
        transmits.add(packet(peerTag, chunk(SHUTDOWN, 0, v)));
    }

    /** Ends the association at once (ABORT), e.g. when the peer connection closes. */
    public void abort(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.ESTABLISHED) {
            transmits.add(packet(peerTag, chunk(ABORT, 0, new byte[0])));
        }
        close(reason);
    }

    public byte[] pollTransmit() {
        return transmits.poll();
    }

    public SctpEvent pollEvent() {
        return events.poll();
    }

    public long nextDeadline() {
        return Math.min(Math.min(t3At, sackDueAt), reconfigAt);
    }

    /** Bytes queued or in flight, not yet acknowledged (for bufferedAmount). */
    public long bufferedAmount() {
        long n = 0;
        for (Outgoing o : queue) {
            n += o.data.length;
        }
        for (Outgoing o : inFlight.values()) {
            if (!o.policy.abandoned) {
                n += o.data.length;
            }
        }
        return n;
    }

    /** DATA chunks given up under a partial-reliability policy. */
    public long abandonedChunks() {
        return abandonedChunks;
    }

    public long dropped(SctpDropReason reason) {
        return drops[reason.ordinal()];
    }

    public long droppedTotal() {
        long n = 0;
        for (long d : drops) {
            n += d;
        }
        return n;
    }

    // ------------------------------------------------------------------ timers

    public void handleTimeout(long now) {
        if (state == State.CLOSED) {
            return;
        }
        if (now >= sackDueAt) {
            sendSack();
        }
        if (now >= t3At) {
            onT3(now);
        }
        if (now >= reconfigAt && pendingReset != null) {
            transmits.add(packet(peerTag, chunk(RE_CONFIG, 0, pendingReset))); // unanswered: ask again
            reconfigAt = now + rto;
        }
    }

    /**
     * Resets our outgoing side of {@code streams} (RFC 6525), as closing a data channel does: the peer
     * resets its side in turn, after which the stream ids can be used again. One request at a time; later
     * ones wait.
     */
    public void resetStreams(long now, int... streams) {
        if (state != State.ESTABLISHED) {
            throw new IllegalStateException("streams can only be reset on an established association");
        }
        queuedResets.add(streams.clone());
        sendNextReset(now);
    }

    private void sendNextReset(long now) {
        if (pendingReset != null || queuedResets.isEmpty()) {
            return;
        }
        int[] streams = queuedResets.poll();
        byte[] v = new byte[(16 + 2 * streams.length + 3) & ~3];
        put16(v, 0, PARAM_OUTGOING_RESET);
        put16(v, 2, 16 + 2 * streams.length);
        put32(v, 4, myReconfigSeq);
        put32(v, 8, peerReconfigNext - 1);
        put32(v, 12, nextTsn - 1);  // the last TSN we assigned: the peer resets once it has everything up to it
        for (int i = 0; i < streams.length; i++) {
            put16(v, 16 + 2 * i, streams[i]);
        }
        pendingReset = v;
        pendingResetStreams = streams;
        transmits.add(packet(peerTag, chunk(RE_CONFIG, 0, v)));
        reconfigAt = now + rto;
    }

    private void onReconfig(long now, byte[] v) {
        if (state != State.ESTABLISHED) {
            drop(SctpDropReason.UNEXPECTED_CHUNK);
            return;
        }
        for (int at = 0; at + 4 <= v.length; ) {
            int type = u16(v, at);
            int length = u16(v, at + 2);
            if (length < 4 || at + length > v.length) {
                drop(SctpDropReason.MALFORMED);
                return;
            }
            if (type == PARAM_OUTGOING_RESET && length >= 16) {
                onOutgoingResetRequest(v, at, length);
            } else if (type == PARAM_RECONFIG_RESPONSE && length >= 12) {
                onReconfigResponse(now, u32(v, at + 4), u32(v, at + 8));
            } else {
                drop(SctpDropReason.UNEXPECTED_CHUNK); // other reconfiguration requests are not supported
            }
            at += (length + 3) & ~3;
        }
    }

    /** The peer resets its outgoing streams (our incoming ones): once we have all its DATA up to its last TSN. */
    private void onOutgoingResetRequest(byte[] v, int at, int length) {
        long requestSeq = u32(v, at + 4);
        long lastTsn = SequenceNumbers.extend32(peerCumTsn, u32(v, at + 12));
        int result;
        if (requestSeq == peerReconfigNext - 1) {
            result = RESULT_PERFORMED; // a retransmission of a request we already performed
        } else if (requestSeq != peerReconfigNext) {
            drop(SctpDropReason.UNEXPECTED_CHUNK);
            return;
        } else if (peerCumTsn < lastTsn) {
            result = RESULT_IN_PROGRESS; // DATA still missing: the peer asks again
        } else {
            int count = (length - 16) / 2;
            int[] streams = new int[count];
            for (int i = 0; i < count; i++) {
                streams[i] = u16(v, at + 16 + 2 * i);
                expectedSsn.remove(streams[i]);
            }
            peerReconfigNext++;
            events.add(new SctpEvent.StreamsReset(streams));
            result = RESULT_PERFORMED;
        }
        byte[] response = new byte[12];
        put16(response, 0, PARAM_RECONFIG_RESPONSE);
        put16(response, 2, 12);
        put32(response, 4, requestSeq);
        put32(response, 8, result);
        transmits.add(packet(peerTag, chunk(RE_CONFIG, 0, response)));
    }

    private void onReconfigResponse(long now, long responseSeq, long result) {
        if (pendingReset == null || responseSeq != myReconfigSeq) {
            drop(SctpDropReason.UNEXPECTED_CHUNK);
            return;
        }
        if (result == RESULT_IN_PROGRESS) {
            return; // the timer asks again
        }
        if (result == RESULT_PERFORMED) {
            for (int stream : pendingResetStreams) {
                nextSsn.remove(stream); // our side of the stream starts over at SSN 0
            }
            events.add(new SctpEvent.OutgoingStreamsReset(pendingResetStreams));
        }
        myReconfigSeq++;
        pendingReset = null;
        pendingResetStreams = null;
        reconfigAt = Long.MAX_VALUE;
        sendNextReset(now);
    }

    private void onT3(long now) {
        if (++timeoutsInARow > config.maxRetransmits()) {
            abort("the peer did not answer " + config.maxRetransmits() + " retransmissions");
            return;
        }
        rto = Math.min(rto * 2, config.rtoMaxNanos());
        switch (state) {
            case COOKIE_WAIT -> {
                sendInit(INIT, null, 0);
                t3At = now + rto;
            }
            case COOKIE_ECHOED -> {
                transmits.add(packet(peerTag, chunk(COOKIE_ECHO, 0, cookieToEcho)));
                t3At = now + rto;
            }
            case ESTABLISHED -> {
                if (shutdownSent) {
                    sendShutdown(); // the SHUTDOWN or its ACK was lost
                    t3At = now + rto;
                    return;
                }
                ssthresh = Math.max(cwnd / 2, 4L * config.mtu());
                cwnd = config.mtu();
                partialBytesAcked = 0;
                forwardTsnSent = -1; // a lost FORWARD-TSN is sent again
                for (Outgoing o : inFlight.values()) {
                    if (!o.gapAcked) {
                        o.retransmit = true;
                    }
                }
                t3At = Long.MAX_VALUE;
                transmitData(now);
            }
            default -> t3At = Long.MAX_VALUE;
        }
    }

    // ------------------------------------------------------------------ input

    /** One SCTP packet (a DTLS application data record). */
    public void handleReceive(long now, byte[] packet) {
        cookieClock = now;
        if (state == State.CLOSED) {
            drop(SctpDropReason.CLOSED);
            return;
        }
        if (packet.length < COMMON_HEADER + 4) {
            drop(SctpDropReason.MALFORMED);
            return;
        }
        if (!checksumValid(packet)) {
            drop(SctpDropReason.BAD_CHECKSUM);
            return;
        }
        if (u16(packet, 0) != config.port() || u16(packet, 2) != config.port()) {
            drop(SctpDropReason.WRONG_PORT);
            return;
        }
        long vtag = u32(packet, 4);
        int firstType = packet[COMMON_HEADER] & 0xFF;
        if (firstType == INIT ? vtag != 0 : vtag != myTag && !(firstType == ABORT && (packet[COMMON_HEADER + 1] & 1) != 0 && vtag == peerTag)) {
            drop(SctpDropReason.BAD_VERIFICATION_TAG);
            return;
        }
        boolean hadData = false;
        int at = COMMON_HEADER;
        while (at + 4 <= packet.length && state != State.CLOSED) {
            int type = packet[at] & 0xFF;
            int flags = packet[at + 1] & 0xFF;
            int length = u16(packet, at + 2);
            if (length < 4 || at + length > packet.length) {
                drop(SctpDropReason.MALFORMED);
                break;
            }
            byte[] value = Arrays.copyOfRange(packet, at + 4, at + length);
            at += (length + 3) & ~3;
            switch (type) {
                case DATA -> hadData |= onData(now, flags, value);
                case INIT -> onInit(value);
                case INIT_ACK -> onInitAck(now, value);
                case SACK -> onSack(now, value);
                case HEARTBEAT -> transmits.add(packet(peerTag, chunk(HEARTBEAT_ACK, 0, value)));
                case HEARTBEAT_ACK -> { }
                case ABORT -> close("the peer aborted the association");
                case SHUTDOWN -> {
                    transmits.add(packet(peerTag, chunk(SHUTDOWN_ACK, 0, new byte[0])));
                    close("the peer shut the association down");
                }
                case SHUTDOWN_ACK -> {
                    transmits.add(packet(peerTag, chunk(SHUTDOWN_COMPLETE, 0, new byte[0])));
                    close("shut down");
                }
                case SHUTDOWN_COMPLETE -> close("shut down");
                case ERROR -> onError(now, value);
                case COOKIE_ECHO -> onCookieEcho(now, value);
                case COOKIE_ACK -> onCookieAck(now);
                case RE_CONFIG -> onReconfig(now, value);
                case FORWARD_TSN -> onForwardTsn(now, value);
                default -> {
                    // RFC 9260 §3.2: the top two bits of an unknown type say whether to skip it or stop
                    drop(SctpDropReason.UNEXPECTED_CHUNK);
                    if ((type & 0x80) == 0) {
                        at = packet.length;
                    }
                }
            }
        }
        if (hadData) {
            afterData(now);
        }
        transmitData(now);
        maybeSendShutdown(now);
    }

    private void onInit(byte[] v) {
        if (v.length < 16) {
            drop(SctpDropReason.MALFORMED);
            return;
        }
        if (state == State.ESTABLISHED) {
            drop(SctpDropReason.UNEXPECTED_CHUNK); // a restart is not supported: keep the association
            return;
        }
        long theirTag = u32(v, 0);
        if (theirTag == 0) {
            drop(SctpDropReason.MALFORMED);
            return;
        }
        boolean theirForwardTsn = false;
        for (int at = 16; at + 4 <= v.length; ) {
            int length = u16(v, at + 2);
            if (length < 4) {
                break;
            }
            theirForwardTsn |= u16(v, at) == PARAM_FORWARD_TSN_SUPPORTED;
            at += (length + 3) & ~3;
        }
        // stateless: everything needed to build the association later travels in the signed cookie
        byte[] cookie = makeCookie(theirTag, u32(v, 12), u32(v, 4), theirForwardTsn);
        sendInit(INIT_ACK, cookie, theirTag);
    }

    private void onInitAck(long now, byte[] v) {
        if (state != State.COOKIE_WAIT) {
            drop(SctpDropReason.UNEXPECTED_CHUNK);
            return;
        }
        if (v.length < 16) {
            drop(SctpDropReason.MALFORMED);
            return;
        }
        peerTag = u32(v, 0);
        peerRwnd = u32(v, 4);
        ssthresh = peerRwnd;
        peerCumTsn = u32(v, 12) - 1;
        peerReconfigNext = u32(v, 12);
        byte[] cookie = null;
        for (int at = 16; at + 4 <= v.length; ) {
            int type = u16(v, at);
            int length = u16(v, at + 2);
            if (length < 4 || at + length > v.length) {
                drop(SctpDropReason.MALFORMED);
                return;
            }
            if (type == PARAM_STATE_COOKIE) {
                cookie = Arrays.copyOfRange(v, at + 4, at + length);
            } else if (type == PARAM_FORWARD_TSN_SUPPORTED) {
                peerForwardTsn = true;
            }
            at += (length + 3) & ~3;
        }
        if (cookie == null) {
            drop(SctpDropReason.MALFORMED);
            return;
        }
        cookieToEcho = cookie;
        state = State.COOKIE_ECHOED;
        transmits.add(packet(peerTag, chunk(COOKIE_ECHO, 0, cookie)));
        t3At = now + rto;
    }

    private void onCookieEcho(long now, byte[] cookie) {
        // a repeated COOKIE-ECHO for the association we already have (our COOKIE-ACK was lost) is answered
        // again however old its cookie is (RFC 9260 §5.2.4, case D), or the peer would wait forever
        boolean ours = state == State.ESTABLISHED && cookie.length == COOKIE_LENGTH && u32(cookie, 5) == peerTag
                && cookieAuthentic(cookie);
        if (!ours && !cookieValid(cookie, now)) {
            drop(SctpDropReason.BAD_COOKIE);
            if (cookieAuthentic(cookie)) {
                // ours but too old (its COOKIE-ECHOs kept getting lost): tell the peer to start over
                // (RFC 9260 §3.3.10.3 Stale Cookie Error)
                byte[] cause = new byte[8];
                put16(cause, 0, 3);
                put16(cause, 2, 8);
                put32(cause, 4, Math.min(0xFFFF_FFFFL, (now - u64(cookie, 21) - config.cookieLifetimeNanos()) / 1000));
                transmits.add(packet(u32(cookie, 5), chunk(ERROR, 0, cause)));
            }
            return;
        }
        if (state != State.ESTABLISHED) {
            peerTag = u32(cookie, 5);
            peerCumTsn = u32(cookie, 13) - 1;
            peerReconfigNext = u32(cookie, 13);
            peerForwardTsn = cookie[0] == 2;
            peerRwnd = u32(cookie, 17);
            ssthresh = peerRwnd;
            establish(now);
        }
        transmits.add(packet(peerTag, chunk(COOKIE_ACK, 0, new byte[0])));
    }

    /** A Stale Cookie error while we echo a cookie means our handshake took too long: start it again. */
    private void onError(long now, byte[] v) {
        if (state == State.COOKIE_ECHOED && v.length >= 4 && u16(v, 0) == 3) {
            state = State.COOKIE_WAIT;
            cookieToEcho = null;
            rto = config.rtoInitialNanos();
            sendInit(INIT, null, 0);
            t3At = now + rto;
            return;
        }
        drop(SctpDropReason.UNEXPECTED_CHUNK);
    }

    private void onCookieAck(long now) {
        if (state == State.COOKIE_ECHOED) {
            establish(now);
        }
    }

    private void establish(long now) {
        state = State.ESTABLISHED;
        t3At = Long.MAX_VALUE;
        timeoutsInARow = 0;
        rto = config.rtoInitialNanos();
        events.add(new SctpEvent.Connected());
    }

    private boolean onData(long now, int flags, byte[] v) {
        if (state != State.ESTABLISHED && state != State.COOKIE_ECHOED) {
            drop(SctpDropReason.UNEXPECTED_CHUNK);
            return false;
        }
        if (v.length < 12) {
            drop(SctpDropReason.MALFORMED);
            return false;
        }
        long tsn = SequenceNumbers.extend32(peerCumTsn, u32(v, 0));
        if (tsn <= peerCumTsn || receivedAbove.contains(tsn)) {
            duplicates.add(tsn);
            return true;
        }
        byte[] data = Arrays.copyOfRange(v, 12, v.length);
        if (pendingBytes + data.length > config.receiveWindow() || tsn > peerCumTsn + Math.min(config.receiveWindow() / 16, 32_768)) {
            drop(SctpDropReason.OUT_OF_WINDOW);
            return false;
        }
        pending.put(tsn, new Fragment(u16(v, 4), u16(v, 6), (int) u32(v, 8), flags, data));
        pendingBytes += data.length;
        if (tsn == peerCumTsn + 1) {
            peerCumTsn = tsn;
            while (!receivedAbove.isEmpty() && receivedAbove.first() == peerCumTsn + 1) {
                peerCumTsn = receivedAbove.pollFirst();
            }
        } else {
            receivedAbove.add(tsn);
        }
        deliver();
        return true;
    }

    /** Hands out every message that is whole and (for ordered streams) next in its stream's order. */
    private void deliver() {
        boolean progress = true;
        while (progress) {
            progress = false;
            Iterator<Map.Entry<Long, Fragment>> it = pending.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Fragment> first = it.next();
                Fragment f = first.getValue();
                if ((f.flags() & FLAG_BEGIN) == 0) {
                    continue;
                }
                boolean unordered = (f.flags() & FLAG_UNORDERED) != 0;
                if (!unordered && expectedSsn.getOrDefault(f.stream(), 0) != f.ssn()) {
                    continue;
                }
                List<Fragment> parts = new ArrayList<>();
                long tsn = first.getKey();
                Fragment part = f;
                int total = 0;
                while (part != null && part.stream() == f.stream() && (unordered || part.ssn() == f.ssn())) {
                    parts.add(part);
                    total += part.data().length;
                    if ((part.flags() & FLAG_END) != 0) {
                        break;
                    }
                    part = pending.get(++tsn);
                    if (part != null && (part.flags() & FLAG_BEGIN) != 0) {
                        part = null; // a new message began before this one ended: not whole yet
                    }
                }
                if (part == null || (part.flags() & FLAG_END) == 0) {
                    continue;
                }
                for (long t = first.getKey(); t <= tsn; t++) {
                    pending.remove(t);
                }
                pendingBytes -= total;
                if (!unordered) {
                    expectedSsn.put(f.stream(), (f.ssn() + 1) & 0xFFFF);
                }
                if (total > config.maxMessageSize()) {
                    drop(SctpDropReason.OUT_OF_WINDOW);
                } else {
                    byte[] message = new byte[total];
                    int at = 0;
                    for (Fragment p : parts) {
                        System.arraycopy(p.data(), 0, message, at, p.data().length);
                        at += p.data().length;
                    }
                    events.add(new SctpEvent.Message(f.stream(), f.ppid(), message));
                }
                progress = true;
                break; // the map changed: scan again
            }
        }
    }

    private void afterData(long now) {
        packetsSinceSack++;
        if (packetsSinceSack >= 2 || !receivedAbove.isEmpty() || !duplicates.isEmpty()) {
            sendSack();
        } else if (sackDueAt == Long.MAX_VALUE) {
            sackDueAt = now + DELAYED_SACK_NANOS;
        }
    }

    private void sendSack() {
        List<long[]> gaps = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (long t : receivedAbove) {
            if (start >= 0 && t == end + 1) {
                end = t;
            } else {
                if (start >= 0) {
                    gaps.add(new long[] {start, end});
                }
                start = t;
                end = t;
            }
        }
        if (start >= 0) {
            gaps.add(new long[] {start, end});
        }
        int gapCount = Math.min(gaps.size(), 64);
        int dupCount = Math.min(duplicates.size(), 32);
        byte[] v = new byte[12 + 4 * gapCount + 4 * dupCount];
        put32(v, 0, peerCumTsn);
        put32(v, 4, Math.max(0, config.receiveWindow() - pendingBytes));
        put16(v, 8, gapCount);
        put16(v, 10, dupCount);
        for (int i = 0; i < gapCount; i++) {
            put16(v, 12 + 4 * i, (int) (gaps.get(i)[0] - peerCumTsn));
            put16(v, 14 + 4 * i, (int) (gaps.get(i)[1] - peerCumTsn));
        }
        for (int i = 0; i < dupCount; i++) {
            put32(v, 12 + 4 * gapCount + 4 * i, duplicates.get(i));
        }
        duplicates.clear();
        packetsSinceSack = 0;
        sackDueAt = Long.MAX_VALUE;
        transmits.add(packet(peerTag, chunk(SACK, 0, v)));
    }

    private void onSack(long now, byte[] v) {
        if (state != State.ESTABLISHED || v.length < 12) {
            drop(v.length < 12 ? SctpDropReason.MALFORMED : SctpDropReason.UNEXPECTED_CHUNK);
            return;
        }
        long ack = SequenceNumbers.extend32(cumAcked, u32(v, 0));
        peerRwnd = u32(v, 4);
        int gapCount = u16(v, 8);
        if (v.length < 12 + 4 * gapCount) {
            drop(SctpDropReason.MALFORMED);
            return;
        }
        long bytesAcked = 0;
        boolean advanced = ack > cumAcked;
        if (advanced) {
            while (!inFlight.isEmpty() && inFlight.firstKey() <= ack) {
                Outgoing o = inFlight.pollFirstEntry().getValue();
                if (!o.gapAcked) {
                    bytesAcked += o.data.length;
                }
                if (o.transmissions == 1) {
                    measureRtt(now - o.sentAt); // Karn: only chunks sent once give an RTT sample
                }
            }
            cumAcked = ack;
            timeoutsInARow = 0;
        }
        long highestGapAcked = -1;
        for (int i = 0; i < gapCount; i++) {
            long from = ack + u16(v, 12 + 4 * i);
            long to = ack + u16(v, 14 + 4 * i);
            for (Map.Entry<Long, Outgoing> e : inFlight.subMap(from, true, to, true).entrySet()) {
                if (!e.getValue().gapAcked) {
                    e.getValue().gapAcked = true;
                    bytesAcked += e.getValue().data.length;
                }
            }
            highestGapAcked = Math.max(highestGapAcked, to);
        }
        boolean fastRetransmit = false;
        if (highestGapAcked >= 0) {
            for (Outgoing o : inFlight.headMap(highestGapAcked).values()) {
                if (!o.gapAcked && !o.retransmit && ++o.missingReports == 3) {
                    o.retransmit = true;
                    fastRetransmit = true;
                }
            }
        }
        if (fastRetransmit) {
            ssthresh = Math.max(cwnd / 2, 4L * config.mtu());
            cwnd = ssthresh;
            partialBytesAcked = 0;
        } else if (advanced && bytesAcked > 0) {
            if (cwnd <= ssthresh) {
                cwnd += Math.min(bytesAcked, config.mtu());
            } else {
                partialBytesAcked += bytesAcked;
                if (partialBytesAcked >= cwnd) {
                    partialBytesAcked -= cwnd;
                    cwnd += config.mtu();
                }
            }
        }
        if (inFlight.isEmpty()) {
            t3At = Long.MAX_VALUE;
        } else if (advanced) {
            t3At = now + rto;
        }
    }

    private void measureRtt(long r) {
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        rto = Math.max(config.rtoMinNanos(), Math.min(config.rtoMaxNanos(), srtt + 4 * rttvar));
    }

    // ------------------------------------------------------------------ sending DATA

    private long flightSize() {
        long n = 0;
        for (Outgoing o : inFlight.values()) {
            if (!o.gapAcked && !o.retransmit && !o.policy.abandoned) {
                n += o.data.length;
            }
        }
        return n;
    }

    /** Sends retransmissions first, then new chunks, bundled into MTU-sized packets within cwnd and the peer's window. */
    private void transmitData(long now) {
        if (state != State.ESTABLISHED) {
            return;
        }
        long flight = flightSize();
        List<byte[]> chunks = new ArrayList<>();
        int size = COMMON_HEADER;
        for (Outgoing o : inFlight.values()) {
            if (o.retransmit && !o.policy.reliable() && o.policy.exhausted(now, o.transmissions)) {
                abandon(o.policy);
            }
            if (o.retransmit && o.policy.abandoned) {
                o.retransmit = false;
            }
            if (o.retransmit) {
                if (flight > 0 && flight + o.data.length > cwnd) {
                    break; // the rest stay marked and go as acknowledgements open the window
                }
                byte[] c = dataChunk(o);
                if (size + c.length > config.mtu()) {
                    flush(chunks);
                    size = COMMON_HEADER;
                }
                chunks.add(c);
                size += c.length;
                o.retransmit = false;
                o.missingReports = 0;
                o.transmissions++;
                o.sentAt = now;
                flight += o.data.length;
            }
        }
        while (!queue.isEmpty()) {
            Outgoing o = queue.peek();
            if (o.policy.abandoned || (!o.policy.reliable() && now >= o.policy.expiresAt)) {
                abandon(o.policy); // never sent, or the rest of a message already given up: drop it
                queue.poll();
                leftQueue(o);
                continue;
            }
            boolean windowOpen = flight == 0 || (flight + o.data.length <= cwnd && flight + o.data.length <= peerRwnd);
            if (!windowOpen) {
                break;
            }
            queue.poll();
            leftQueue(o);
            o.tsn = nextTsn++;
            o.transmissions = 1;
            o.sentAt = now;
            inFlight.put(o.tsn, o);
            byte[] c = dataChunk(o);
            if (size + c.length > config.mtu()) {
                flush(chunks);
                size = COMMON_HEADER;
            }
            chunks.add(c);
            size += c.length;
            flight += o.data.length;
        }
        flush(chunks);
        sendForwardTsnIfNeeded();
        if (!inFlight.isEmpty() && t3At == Long.MAX_VALUE) {
            t3At = now + rto;
        }
    }

    /** A chunk left the send queue (sent, or given up): its stream's bufferedAmount shrinks, maybe below the mark. */
    private void leftQueue(Outgoing o) {
        long before = queuedBytes.getOrDefault(o.stream, 0L);
        long after = before - o.data.length;
        if (after <= 0) {
            queuedBytes.remove(o.stream);
        } else {
            queuedBytes.put(o.stream, after);
        }
        Long low = lowThresholds.get(o.stream);
        if (low != null && before > low && Math.max(0, after) <= low) {
            events.add(new SctpEvent.BufferedAmountLow(o.stream));
        }
    }

    /** Bytes queued on {@code stream} and not yet sent (a data channel's bufferedAmount). */
    public long bufferedAmount(int stream) {
        return queuedBytes.getOrDefault(stream, 0L);
    }

    /** {@link SctpEvent.BufferedAmountLow} for {@code stream} when its queued bytes fall to {@code bytes} or below. */
    public void setBufferedAmountLowThreshold(int stream, long bytes) {
        lowThresholds.put(stream, Math.max(0, bytes));
    }

    /** Gives up a partially reliable message: its sent chunks are skipped with FORWARD-TSN, the rest dropped. */
    private void abandon(Policy policy) {
        if (policy.abandoned) {
            return;
        }
        policy.abandoned = true;
        for (Outgoing o : inFlight.values()) {
            if (o.policy == policy && !o.gapAcked) {
                abandonedChunks++;
            }
        }
    }

    /**
     * RFC 3758 §3.5: the advanced peer ack point moves over abandoned chunks after the cumulative ack;
     * if it is ahead of it, FORWARD-TSN tells the peer to move its cumulative TSN there (and which ordered
     * stream sequence numbers it skipped).
     */
    private void sendForwardTsnIfNeeded() {
        if (!peerForwardTsn || state != State.ESTABLISHED) {
            return;
        }
        long advanced = cumAcked;
        Map<Integer, Integer> skipped = new HashMap<>();
        boolean any = false;
        for (Outgoing o : inFlight.values()) {
            // over abandoned chunks, and over chunks the peer already has (gap-acked) between them
            if (o.tsn != advanced + 1 || !(o.policy.abandoned || o.gapAcked)) {
                break;
            }
            advanced = o.tsn;
            if (o.policy.abandoned && !o.gapAcked) {
                any = true;
                if ((o.flags & FLAG_UNORDERED) == 0) {
                    skipped.merge(o.stream, o.ssn, (x, y) -> SequenceNumbers.isNewer16(y, x) ? y : x);
                }
            }
        }
        if (!any || advanced <= cumAcked || advanced <= forwardTsnSent) {
            return; // nothing to skip, or already announced (T3 clears this to announce it again)
        }
        forwardTsnSent = advanced;
        byte[] v = new byte[4 + 4 * skipped.size()];
        put32(v, 0, advanced);
        int at = 4;
        for (Map.Entry<Integer, Integer> e : skipped.entrySet()) {
            put16(v, at, e.getKey());
            put16(v, at + 2, e.getValue());
            at += 4;
        }
        transmits.add(packet(peerTag, chunk(FORWARD_TSN, 0, v)));
    }

    /** The peer gave up on DATA up to a new cumulative TSN: skip it, and the ordered messages it names. */
    private void onForwardTsn(long now, byte[] v) {
        if (state != State.ESTABLISHED || v.length < 4) {
            drop(v.length < 4 ? SctpDropReason.MALFORMED : SctpDropReason.UNEXPECTED_CHUNK);
            return;
        }
        long newCum = SequenceNumbers.extend32(peerCumTsn, u32(v, 0));
        if (newCum > peerCumTsn) {
            peerCumTsn = newCum;
            receivedAbove.headSet(newCum, true).clear();
            while (!receivedAbove.isEmpty() && receivedAbove.first() == peerCumTsn + 1) {
                peerCumTsn = receivedAbove.pollFirst();
            }
        }
        for (int at = 4; at + 4 <= v.length; at += 4) {
            int stream = u16(v, at);
            int ssn = u16(v, at + 2);
            int expected = expectedSsn.getOrDefault(stream, 0);
            if (!SequenceNumbers.isNewer16(expected, ssn)) {
                expectedSsn.put(stream, (ssn + 1) & 0xFFFF); // the skipped messages will not come
            }
        }
        deliver();
        Iterator<Map.Entry<Long, Fragment>> it = pending.headMap(peerCumTsn, true).entrySet().iterator();
        while (it.hasNext()) {
            pendingBytes -= it.next().getValue().data().length; // pieces of abandoned messages
            it.remove();
        }
        sendSack();
    }

    private void flush(List<byte[]> chunks) {
        if (!chunks.isEmpty()) {
            transmits.add(packet(peerTag, chunks.toArray(new byte[0][])));
            chunks.clear();
        }
    }

    private byte[] dataChunk(Outgoing o) {
        byte[] v = new byte[12 + o.data.length];
        put32(v, 0, o.tsn);
        put16(v, 4, o.stream);
        put16(v, 6, o.ssn);
        put32(v, 8, o.ppid & 0xFFFF_FFFFL);
        System.arraycopy(o.data, 0, v, 12, o.data.length);
        return chunk(DATA, o.flags, v);
    }

    // ------------------------------------------------------------------ handshake pieces

    private void sendInit(int type, byte[] cookie, long theirTag) {
        int cookieParam = cookie == null ? 0 : (4 + cookie.length + 3) & ~3;
        byte[] v = new byte[16 + 8 + 4 + cookieParam];
        put32(v, 0, myTag);
        put32(v, 4, config.receiveWindow());
        put16(v, 8, config.streams());
        put16(v, 10, config.streams());
        put32(v, 12, myInitialTsn);
        // Supported Extensions (RFC 5061): RE-CONFIG, so the peer may reset streams when channels close
        put16(v, 16, PARAM_SUPPORTED_EXTENSIONS);
        put16(v, 18, 6);
        v[20] = (byte) RE_CONFIG;
        v[21] = (byte) FORWARD_TSN;
        put16(v, 24, PARAM_FORWARD_TSN_SUPPORTED); // partial reliability (RFC 3758)
        put16(v, 26, 4);
        if (cookie != null) {
            put16(v, 28, PARAM_STATE_COOKIE);
            put16(v, 30, 4 + cookie.length);
            System.arraycopy(cookie, 0, v, 32, cookie.length);
        }
        transmits.add(packet(type == INIT ? 0 : theirTag, chunk(type, 0, v)));
    }

    /** The time of the input being handled: cookies made now carry it, so they can expire. */
    private long cookieClock;

    private byte[] makeCookie(long theirTag, long theirInitialTsn, long theirRwnd, boolean theirForwardTsn) {
        byte[] c = new byte[COOKIE_LENGTH];
        c[0] = (byte) (theirForwardTsn ? 2 : 1); // format 1, or 2 when the peer supports FORWARD-TSN
        put32(c, 1, myTag);
        put32(c, 5, theirTag);
        put32(c, 9, myInitialTsn);
        put32(c, 13, theirInitialTsn);
        put32(c, 17, theirRwnd);
        put64(c, 21, cookieClock);
        System.arraycopy(hmac(c, 29), 0, c, 29, 32);
        return c;
    }

    /** Signed by us for this association (not necessarily fresh). */
    private boolean cookieAuthentic(byte[] c) {
        return c.length == COOKIE_LENGTH && (c[0] == 1 || c[0] == 2) && u32(c, 1) == myTag
                && MessageDigest.isEqual(hmac(c, 29), Arrays.copyOfRange(c, 29, 61));
    }

    private boolean cookieValid(byte[] c, long now) {
        if (!cookieAuthentic(c)) {
            return false;
        }
        long created = u64(c, 21);
        return now - created <= config.cookieLifetimeNanos() && created <= now;
    }

    private byte[] hmac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cookieSecret, "HmacSHA256"));
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks HmacSHA256", e);
        }
    }

    // ------------------------------------------------------------------ packets

    private byte[] packet(long tag, byte[]... chunks) {
        int length = COMMON_HEADER;
        for (byte[] c : chunks) {
            length += c.length;
        }
        byte[] p = new byte[length];
        put16(p, 0, config.port());
        put16(p, 2, config.port());
        put32(p, 4, tag);
        int at = COMMON_HEADER;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, p, at, c.length);
            at += c.length;
        }
        CRC32C crc = new CRC32C();
        crc.update(p, 0, p.length);
        long sum = crc.getValue();
        p[8] = (byte) sum;                 // RFC 9260 Appendix A: the CRC32c goes in least significant byte first
        p[9] = (byte) (sum >>> 8);
        p[10] = (byte) (sum >>> 16);
        p[11] = (byte) (sum >>> 24);
        return p;
    }

    private static byte[] chunk(int type, int flags, byte[] value) {
        int length = 4 + value.length;
        byte[] c = new byte[(length + 3) & ~3];
        c[0] = (byte) type;
        c[1] = (byte) flags;
        put16(c, 2, length);
        System.arraycopy(value, 0, c, 4, value.length);
        return c;
    }

    private static boolean checksumValid(byte[] p) {
        long expected = (p[8] & 0xFFL) | (p[9] & 0xFFL) << 8 | (p[10] & 0xFFL) << 16 | (p[11] & 0xFFL) << 24;
        CRC32C crc = new CRC32C();
        crc.update(p, 0, 8);
        crc.update(new byte[4], 0, 4);
        crc.update(p, 12, p.length - 12);
        return crc.getValue() == expected;
    }

    private void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        t3At = Long.MAX_VALUE;
        sackDueAt = Long.MAX_VALUE;
        events.add(new SctpEvent.Closed(reason));
    }

    private void drop(SctpDropReason reason) {
        drops[reason.ordinal()]++;
        if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, "SCTP dropped: {0}", reason);
        }
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }

    static long u64(byte[] b, int at) {
        return u32(b, at) << 32 | u32(b, at + 4);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void put64(byte[] b, int at, long v) {
        put32(b, at, v >>> 32);
        put32(b, at + 4, v);
    }

    @Override
    public String toString() {
        return "SctpAssociation[" + state + ", cwnd=" + cwnd + ", inFlight=" + inFlight.size() + ", queued=" + queue.size()
                + ", cumAcked=" + cumAcked + ", nextTsn=" + nextTsn + ", t3At=" + t3At + ", forwardTsn=" + peerForwardTsn
                + ", abandoned=" + abandonedChunks + ", rto=" + rto + "]";
    }
}
