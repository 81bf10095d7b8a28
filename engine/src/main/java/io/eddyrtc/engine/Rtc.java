package io.eddyrtc.engine;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import io.eddyrtc.crypto.dtls.DtlsVersion;
import io.eddyrtc.crypto.dtls.NamedGroup;
import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.crypto.srtp.SrtpProfile;
import io.eddyrtc.engine.demux.DatagramKind;
import io.eddyrtc.engine.internal.ChannelLayer;
import io.eddyrtc.engine.internal.DtlsLayer;
import io.eddyrtc.engine.internal.InternalErrors;
import io.eddyrtc.engine.internal.LayerDeadlines;
import io.eddyrtc.engine.internal.PeerCounters;
import io.eddyrtc.engine.internal.ProcessCertificate;
import io.eddyrtc.engine.internal.RandomSources;
import io.eddyrtc.engine.internal.RtcDrops;
import io.eddyrtc.engine.internal.SdpChanges;
import io.eddyrtc.engine.internal.jfr.DropTally;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import io.eddyrtc.engine.internal.media.MediaLayer;
import io.eddyrtc.engine.internal.media.MediaSection;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.sdp.NegotiatedMedia;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.engine.sdp.SdpPendingOffer;
import io.eddyrtc.engine.sdp.SdpSession;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.CandidateType;
import io.eddyrtc.ice.IceAgent;
import io.eddyrtc.ice.IceConnectionState;
import io.eddyrtc.ice.IceDropReason;
import io.eddyrtc.ice.IceEvent;
import io.eddyrtc.ice.RelayedDatagram;
import io.eddyrtc.ice.RouteKeys;
import io.eddyrtc.ice.StunTransmit;
import io.eddyrtc.ice.Transport;
import io.eddyrtc.ice.stun.StunMessage;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * One WebRTC peer connection, sans-I/O: datagrams and time go in through {@link #handleInput} (or
 * {@link #handleReceive}/{@link #handleTimeout}), datagrams and events come out of {@link #pollOutput()}.
 * No threads, sockets or clocks; one thread drives an {@code Rtc} at a time.
 *
 * <p>This file is long because it is the whole public face of a peer connection (every call a user makes, each with
 * the documentation that says when to make it) and the loop that routes one datagram or timeout to ICE, DTLS, SCTP
 * or the media layer and collects what they produced. The protocol work lives in those layers
 * ({@code engine.internal}); splitting the facade itself would scatter one API across classes the user never sees.
 *
 * <pre>{@code
 * Rtc rtc = Rtc.builder().build();
 * rtc.addLocalCandidate(Candidate.host(socketAddress));
 * // ... signal, then loop:
 * while (true) {
 *     long deadline;
 *     while (true) {
 *         Output out = rtc.pollOutput();
 *         if (out instanceof Output.Timeout t) { deadline = t.atNanos(); break; }
 *         if (out instanceof Output.Transmit x) send(x);
 *         else if (out instanceof Event e) handle(e);
 *     }
 *     // wait for a datagram until deadline, then rtc.handleReceive(...) or rtc.handleTimeout(now)
 * }
 * }</pre>
 *
 * <p>Set-up is by SDP ({@link #sdpApi()}, {@link #acceptOffer}, {@link #acceptAnswer}) or without it
 * ({@link #directApi()}). Inside: demultiplexing (RFC 7983), the ICE agent, DTLS (started once ICE connects),
 * SRTP keyed from DTLS, the media layer ({@link #media(String)}: samples out through {@link MediaWriter},
 * {@link Event.MediaData} or, in RTP mode, {@link Event.RtpPacket} in; RTCP reports, NACK/RTX, keyframe
 * requests) and data channels over SCTP ({@link #channel(int)}). Whatever cannot be used is dropped and
 * counted by {@link RtcDropReason}; network input never throws.
 *
 * <p>This class keeps the path of a datagram, a timer and an output in one place: the demultiplexer, the
 * clock, ICE and the output order. Each layer's own work lives in {@code engine.internal}: DTLS and what its
 * events mean ({@code DtlsLayer}), SDP changes applied ({@code SdpChanges}), media, data channels.
 */
public final class Rtc {
    private static final System.Logger LOG = System.getLogger(Rtc.class.getName());

    private final RtcConfig config;
    private final IceAgent ice;
    private final DirectApi directApi;
    /** The handle of send-side bandwidth estimation, or null when it is off. */
    private final Bwe bwe;
    private final StunMessage stun = new StunMessage();
    private final Output.Timeout timeoutView = new Output.Timeout();
    private final Output.Transmit transmitView = new Output.Transmit();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final RtcDrops drops = new RtcDrops();
    private final DtlsCertificate certificate;
    private final DtlsLayer dtls;
    private final PacketPool pool;
    private final boolean ownsPool;
    private long nextPoolTrimAt;
    private final MemoryBudget memory;
    private final MediaLayer media;
    private final SdpSession sdp;
    private final SdpChanges sdpChanges;
    private final LayerDeadlines deadlines;
    private final List<String> localCandidates = new ArrayList<>();
    /** An RTP-mode packet view lent to the caller by the last poll, recycled on the next call. */
    private Event.RtpPacket lentPacket;
    private final Event.RtpPacket.Lending views;
    /** A data channel message lent to the caller by the last poll, recycled on the next call. */
    private Event.ChannelData lentData;
    private final Event.ChannelData.Lending dataViews = new Event.ChannelData.Lending();
    /** The public handle of each m-line, made on first ask and kept, so asking per packet allocates nothing. */
    private final Map<String, Media> mediaHandles = new HashMap<>();
    private final ChannelLayer channels;
    private final Map<Integer, Channel> channelViews = new HashMap<>();
    private long lastNow = Long.MIN_VALUE;
    /** This Rtc's entries in a flight recording (JFR), and the drop counts its last summary saw. */
    private final RtcTimeline timeline = new RtcTimeline();
    private final DropTally<RtcDropReason> rtcDropTally = new DropTally<>("Rtc", RtcDropReason.class, drops::dropped);
    private final DropTally<IceDropReason> iceDropTally;
    private final InternalErrors internalErrors = new InternalErrors(drops, timeline);
    private final PeerCounters counters;
    private boolean closed;
    private Runnable changeListener;
    /** The last datagrams after {@link #disconnect()} (SCTP's ABORT, DTLS's close_notify), ready to go as they are. */
    private final ArrayDeque<Farewell> farewells = new ArrayDeque<>();
    /** Host addresses and the mDNS names they are signalled under ({@link RtcConfig#mdnsHostNames()}). */
    private final Map<InetAddress, String> mdnsNames = new LinkedHashMap<>();
    private final RandomGenerator nameSource;

    /** A datagram kept to go out after {@link #disconnect()}, addressed and framed for its path. */
    private record Farewell(Transport transport, InetSocketAddress from, InetSocketAddress to, byte[] bytes) {}

    Rtc(RtcConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.counters = new PeerCounters(config.statsIntervalNanos());
        RandomSources random = config.randomSeed() != null ? RandomSources.seeded(config.randomSeed()) : RandomSources.secure();
        this.ice = new IceAgent(config.ice(), false, random.secrets(), random.jitter());
        this.iceDropTally = new DropTally<>("ICE", IceDropReason.class, ice::dropped);
        this.nameSource = random.secrets();
        this.certificate = config.certificate() != null ? config.certificate() : ProcessCertificate.get();
        this.directApi = new DirectApi(this, ice);
        // without a shared pool, one of its own: no slab until media needs one, freed at disconnect
        this.ownsPool = config.pool() == null;
        this.pool = config.pool() != null ? config.pool()
                : PacketPool.builder().slotSize(2048).slotsPerSlab(8).initialSlabs(0).maxSlots(1024).build();
        SdpConfig sdpConfig = config.sdp().copy();
        if (this.ice.isLite()) {
            sdpConfig.iceLite(true); // the agent is lite, so the SDP must say a=ice-lite
        }
        this.sdp = new SdpSession(sdpConfig, new IceCredentials(ice.localUfrag(), ice.localPassword()),
                certificate.fingerprint(), random.secrets());
        this.views = new Event.RtpPacket.Lending(pool);
        RandomGenerator mediaIds = random.secrets();
        this.memory = MemoryBudget.of(config.memoryBudgetBytes());
        this.media = new MediaLayer(config.media(), pool, memory, drops, events, views, mediaIds,
                mediaIds.nextInt() & 0xFFFF_FFFFL, sdp.cname(), timeline);
        this.bwe = media.congestion() == null ? null : new Bwe(this, media.congestion());
        this.channels = new ChannelLayer(config.sctp(), config.dtls().mtu(), pool, memory, events, dataViews,
                random.secrets());
        this.dtls = new DtlsLayer(config.dtls(), config.srtp(), certificate, random.jitter(), ice, media, channels, drops, events,
                timeline);
        this.sdpChanges = new SdpChanges(ice, dtls, media, channels);
        this.deadlines = new LayerDeadlines(ice, dtls, channels, media);
    }

    /** Starts a configuration; {@code Rtc.builder().build()} gives a full-ICE peer with defaults. */
    public static RtcConfig.Builder builder() {
        return new RtcConfig.Builder();
    }

    public RtcConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- set-up

    /**
     * A local candidate: an address we receive on (its base is where we send from). A UDP socket is
     * {@code Candidate.host}; a TCP port we listen on for ICE-TCP {@code Candidate.tcpPassive}; a client that may
     * connect out over TCP adds {@code Candidate.tcpActive}. With TURN servers configured, a UDP host candidate is
     * also where relayed candidates are allocated from ({@link Event.CandidateGathered}).
     */
    public void addLocalCandidate(Candidate candidate) {
        checkOpen("add a local candidate");
        ice.addLocalCandidate(Objects.requireNonNull(candidate, "candidate"));
        signal(candidate);
    }

    /** Puts a local candidate in the descriptions we write from now on, as the peer should see it. */
    private void signal(Candidate candidate) {
        if (config.ice().relayOnly() && candidate.type() != CandidateType.RELAYED) {
            return; // a base for TURN allocations, not a candidate
        }
        Candidate shown = candidate;
        if (config.mdnsHostNames()) {
            shown = candidate.type() == CandidateType.HOST ? candidate.hiddenBehind(mdnsName(candidate.address().getAddress()))
                    : candidate.withRelatedAddressHidden();
        }
        localCandidates.add(shown.toSdpString());
        sdp.setLocalCandidates(localCandidates, false); // the next offer or answer carries them
    }

    private String mdnsName(InetAddress host) {
        return mdnsNames.computeIfAbsent(host, h -> new UUID((nameSource.nextLong() & ~0xF000L) | 0x4000L,
                (nameSource.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L) + ".local");
    }

    /**
     * The mDNS names our host addresses are signalled under ({@link RtcConfig#mdnsHostNames()}), name to address: what a
     * responder on the LAN answers queries for. Empty when names are off.
     */
    public Map<String, InetAddress> mdnsHostNames() {
        Map<String, InetAddress> out = new LinkedHashMap<>();
        mdnsNames.forEach((address, name) -> out.put(name, address));
        return out;
    }

    /** A candidate the peer signalled (trickled or in its SDP). An mDNS one waits for {@link Event.ResolveMdns}'s answer. */
    public void addRemoteCandidate(Candidate candidate) {
        checkOpen("add a remote candidate");
        ice.addRemoteCandidate(Objects.requireNonNull(candidate, "candidate"));
        afterInput(lastNow == Long.MIN_VALUE ? 0 : lastNow);
    }

    /** The answer to {@link Event.ResolveMdns}: {@code hostname} is {@code address}; its candidates are checked from now on. */
    public void mdnsResolved(String hostname, InetAddress address) {
        checkOpen("resolve an mDNS name");
        ice.mdnsResolved(hostname, address);
    }

    /** The answer to {@link Event.ResolveMdns} when {@code hostname} could not be resolved: its candidates are dropped. */
    public void mdnsUnresolvable(String hostname) {
        checkOpen("resolve an mDNS name");
        ice.mdnsUnresolvable(hostname);
    }

    /** The peer said it has no more candidates ({@code a=end-of-candidates}). */
    public void endOfRemoteCandidates() {
        changed();
        ice.endOfRemoteCandidates();
    }

    /** Setting up without SDP: ICE role and credentials, DTLS role and fingerprint, media and data channels. */
    public DirectApi directApi() {
        checkOpen("use the direct API");
        return directApi;
    }

    /**
     * Send-side bandwidth estimation: what the application sends and wants, and probes on request.
     *
     * @throws IllegalStateException if the Rtc was built without {@link RtcConfig.Builder#enableBwe}
     */
    public Bwe bwe() {
        checkOpenForMedia("use bandwidth estimation");
        if (bwe == null) {
            throw new IllegalStateException("bandwidth estimation is off: build the Rtc with RtcConfig.Builder.enableBwe(initialBps)");
        }
        return bwe;
    }

    /** The last {@code now} the Rtc was given (0 before any). */
    long now() {
        return lastNow == Long.MIN_VALUE ? 0 : lastNow;
    }

    // ---------------------------------------------------------------- input

    /** Feeds one input; same as {@link #handleReceive} or {@link #handleTimeout}. */
    public void handleInput(Input input) {
        switch (Objects.requireNonNull(input, "input")) {
            case Input.Receive r -> handleReceive(r.now(), r.transport(), r.source(), r.destination(), r.contents(), 0,
                    (int) Math.min(r.contents().byteSize(), Integer.MAX_VALUE));
            case Input.Timeout t -> handleTimeout(t.now());
        }
    }

    /**
     * A datagram arrived: {@code length} bytes at {@code offset} of {@code segment}, read during this call
     * only. Never throws on the datagram's content: what is not usable is dropped and counted.
     */
    public void handleReceive(long now, InetSocketAddress source, InetSocketAddress destination,
                              MemorySegment segment, long offset, int length) {
        handleReceive(now, Transport.UDP, source, destination, segment, offset, length);
    }

    /**
     * A datagram arrived over {@code transport}: a UDP datagram; one RFC 4571 frame from an ICE-TCP connection (its
     * remote address as the source, our listening address — or for an active candidate {@code ip:9} — as the
     * destination; {@code ice.StreamDeframer} cuts the stream); or one message from a TURN server over TCP. Read during
     * this call only; never throws on its content.
     */
    public void handleReceive(long now, Transport transport, InetSocketAddress source, InetSocketAddress destination,
                              MemorySegment segment, long offset, int length) {
        releasePolledMedia();
        advanceClock(now);
        if (closed) {
            drop(RtcDropReason.CLOSED, source);
            return;
        }
        if (offset < 0 || length < 0 || offset > segment.byteSize() - length) {
            throw new IllegalArgumentException("the datagram window (offset " + offset + ", length " + length
                    + ") lies outside the segment of " + segment.byteSize() + " bytes; pass the bytes received");
        }
        counters.received(length);
        try {
            receive(now, transport, source, destination, segment, offset, length);
        } catch (RuntimeException bug) {
            deadlines.changed(LayerDeadlines.EVERY_LAYER); // a layer stopped half way: ask them all again
            internalErrors.record(now, bug, source);
        }
    }

    private void receive(long now, Transport transport, InetSocketAddress source, InetSocketAddress destination,
                         MemorySegment segment, long offset, int length) {
        boolean reachedDtls = true;
        if (ice.isRelayServer(source, destination)) {
            // one of our TURN servers: an answer for the TURN client, or what a peer sent to our relayed address
            deadlines.changed(LayerDeadlines.EVERY_LAYER); // TURN: the client's timers, and whatever the peer relayed
            RelayedDatagram relayed = ice.receiveFromRelay(now, transport, source, destination, segment, offset, length);
            if (relayed != null) {
                demultiplex(now, Transport.UDP, relayed.peer(), relayed.relayed(), relayed.segment(), relayed.offset(),
                        relayed.length());
            }
        } else {
            reachedDtls = demultiplex(now, transport, source, destination, segment, offset, length);
        }
        afterInput(now, reachedDtls);
    }

    /** Hands a datagram to the layer its first byte names; whether that was DTLS (and so perhaps SCTP). */
    private boolean demultiplex(long now, Transport transport, InetSocketAddress source, InetSocketAddress destination,
                                MemorySegment segment, long offset, int length) {
        DatagramKind kind = DatagramKind.classify(segment, offset, length);
        switch (kind) {
            case STUN -> {
                deadlines.changed(LayerDeadlines.ICE);
                if (!ice.handleReceive(now, transport, source, destination, segment, offset, length)) {
                    drop(RtcDropReason.NOT_STUN, source);
                }
            }
            case DTLS -> {
                if (ice.isVerifiedAddress(transport, source)) {
                    deadlines.changed(LayerDeadlines.EVERY_LAYER); // the handshake, SCTP inside, the SRTP keys
                    dtls.receive(now, source, segment, offset, length);
                } else {
                    drop(RtcDropReason.NOT_FROM_PEER, source);
                }
            }
            case RTP, RTCP -> {
                if (ice.isVerifiedAddress(transport, source)) {
                    deadlines.changed(LayerDeadlines.MEDIA);
                    media.onReceive(now, kind, source, segment, offset, length);
                } else {
                    drop(RtcDropReason.NOT_FROM_PEER, source);
                }
            }
            case TURN_CHANNEL -> drop(RtcDropReason.TURN_CHANNEL, source);
            case ZRTP -> drop(RtcDropReason.ZRTP, source);
            case UNKNOWN -> drop(RtcDropReason.UNKNOWN_PROTOCOL, source);
        }
        return kind == DatagramKind.DTLS;
    }

    /**
     * Asks the sender of every stream received for {@code mid} for a keyframe (an RTCP PLI), e.g. after
     * loss or when a new viewer joins an SFU. Does nothing before media arrives.
     */
    public void requestKeyframe(String mid) {
        requestKeyframe(mid, null);
    }

    /**
     * Asks for a keyframe of one simulcast layer received on {@code mid}: the stream with {@code rid} only (all
     * of them when {@code rid} is null), as an SFU does when one subscriber's layer needs one and the other
     * layers do not. Each stream's requests are held to two a second. Does nothing before that layer arrives.
     */
    public void requestKeyframe(String mid, String rid) {
        checkOpenForMedia("request a keyframe");
        media.requestKeyframe(lastNow, mid, rid);
    }

    /**
     * Tells the peer how many bits per second it may send us in all, by RTCP REMB (on the m-lines that
     * negotiated {@code goog-remb}) with every report from now on, and once at once: a receive budget, as an
     * SFU sets per publisher. Browsers also use it to decide how many simulcast layers to send. Not
     * bandwidth estimation: the figure is the caller's. {@code 0} stops announcing it.
     */
    public void setReceiveBitrate(long bitsPerSecond) {
        checkOpenForMedia("set a receive bitrate");
        if (bitsPerSecond < 0) {
            throw new IllegalArgumentException("a bitrate is 0 (stop) or positive, got " + bitsPerSecond);
        }
        media.setReceiveBitrate(bitsPerSecond);
    }

    void receiveMedia(String mid, int payloadType, Codec codec) {
        checkOpen("receive media");
        media.receiveMedia(mid, payloadType, codec);
    }

    /** DirectApi: SCTP starts once DTLS is up even though SDP negotiated no data channel m-line. */
    void startSctpWhenConnected() {
        checkOpen("start SCTP");
        channels.negotiated(lastNow);
        dtls.pumpChannels(lastNow);
    }

    /** DirectApi: an m-line set up without SDP. */
    Media addMedia(NegotiatedMedia agreed) {
        checkOpen("add media");
        return handle(media.add(agreed));
    }

    /** The m-line {@code mid} (from {@link Event.MediaAdded}), or null if there is none or it was stopped. */
    public Media media(String mid) {
        MediaSection section = media.section(mid);
        return section == null ? null : handle(section);
    }

    /** Every m-line negotiated and not stopped, in the order they were added. */
    public List<Media> media() {
        return media.sections().stream().map(this::handle).toList();
    }

    private Media handle(MediaSection section) {
        Media handle = mediaHandles.get(section.mid());
        if (handle == null) {
            handle = new Media(this, section);
            mediaHandles.put(section.mid(), handle);
        }
        return handle;
    }

    boolean writeSample(Media m, PayloadParams payload, Rid rid, long wallclockNanos, long ticks, MemorySegment data, long offset,
                        int length) {
        checkOpenForMedia("write media");
        return media.writeSample(lastNow, m.section(), payload, rid == null ? null : rid.value(), wallclockNanos, ticks, data,
                offset, length);
    }

    // ---------------------------------------------------------------- SDP

    /**
     * Starts an SDP change (str0m's {@code sdp_api()}): add media or channels, change directions, restart
     * ICE, then {@code apply()} for an offer and its pending state. Only one offer may be pending.
     */
    public SdpApi sdpApi() {
        checkOpen("negotiate");
        channels.useSdp();
        return sdp.sdpApi();
    }

    /** Accepts the peer's offer, applies what it negotiated, and returns our answer to send back. */
    public SdpAnswer acceptOffer(SdpOffer offer) {
        checkOpen("accept an offer");
        channels.useSdp();
        SdpAnswer answer = sdp.acceptOffer(offer);
        applySdpChanges();
        return answer;
    }

    /** Accepts the peer's answer to our pending offer (from {@code sdpApi()...apply()}) and applies it. */
    public void acceptAnswer(SdpPendingOffer pending, SdpAnswer answer) {
        checkOpen("accept an answer");
        sdp.acceptAnswer(pending, answer);
        applySdpChanges();
    }

    /** Forgets a pending offer that will not be answered; nothing it proposed takes effect. */
    public void rollback(SdpPendingOffer pending) {
        sdp.rollback(pending);
    }

    /** Applies what an accepted offer or answer changed to ICE, DTLS, media and channels. */
    private void applySdpChanges() {
        long now = lastNow == Long.MIN_VALUE ? 0 : lastNow;
        sdpChanges.apply(now, sdp);
        mediaHandles.keySet().removeIf(mid -> media.section(mid) == null); // stopped m-lines are gone
        afterInput(now);
    }

    /** After a call: {@link #afterInput(long, boolean)} with DTLS and SCTP looked at whatever the call reached. */
    private void afterInput(long now) {
        afterInput(now, true);
    }

    /**
     * ICE, DTLS and SCTP react to whatever the input changed: events collected, DTLS started when ICE connects. When
     * anything happened here, every layer's deadline is asked again. DTLS and SCTP have news only after their own
     * input or timers ({@code reachedDtls}), when ICE had events (DTLS starts once ICE connects) or while the DTLS client
     * waits to start — calls that make them send pass it on at once — so after a consent check or a report they are
     * not touched: with many peers, not fetching a peer's objects is what keeps a wake cheap.
     */
    private void afterInput(long now, boolean reachedDtls) {
        boolean moved = collectIceEvents();
        if (moved || reachedDtls || dtls.waitingToStart()) {
            moved |= dtls.afterInput(now);
        }
        if (moved) {
            deadlines.changed(LayerDeadlines.EVERY_LAYER);
        }
    }

    /** Time reached {@code now}: run whatever timers are due (checks, retransmissions, consent). */
    public void handleTimeout(long now) {
        releasePolledMedia();
        advanceClock(now);
        if (closed) {
            return;
        }
        // each layer's timers on their own, so that a bug in one (caught and counted) does not stop the others; a layer
        // whose time has not come is not touched
        try {
            if (deadlines.due(LayerDeadlines.ICE, now)) {
                deadlines.changed(LayerDeadlines.ICE);
                ice.handleTimeout(now);
            }
        } catch (RuntimeException bug) {
            internalError(now, bug);
        }
        boolean reachedDtls = false;
        try {
            if (deadlines.due(LayerDeadlines.DTLS, now)) {
                reachedDtls = true;
                deadlines.changed(LayerDeadlines.DTLS);
                dtls.handleTimeout(now);
            }
        } catch (RuntimeException bug) {
            internalError(now, bug);
        }
        try {
            if (deadlines.due(LayerDeadlines.CHANNELS, now)) {
                reachedDtls = true;
                deadlines.changed(LayerDeadlines.CHANNELS);
                channels.handleTimeout(now);
            }
        } catch (RuntimeException bug) {
            internalError(now, bug);
        }
        try {
            if (deadlines.due(LayerDeadlines.MEDIA, now)) {
                deadlines.changed(LayerDeadlines.MEDIA);
                media.handleTimeout(now);
            }
            if (now >= counters.nextAt()) {
                events.add(counters.take(now, media.packetsAuthenticated(), media.packetsSent(), droppedTotal(), memory, dtls,
                        media.congestion()));
                media.emitStats(now);
            }
            if (timeline.summaryDue(now)) {
                summarize();
            }
            if (ownsPool && now >= nextPoolTrimAt) { // slabs a burst of media added go back once it is over
                pool.trim();
                nextPoolTrimAt = now + 1_000_000_000L;
            }
        } catch (RuntimeException bug) {
            internalError(now, bug);
        }
        try {
            afterInput(now, reachedDtls);
        } catch (RuntimeException bug) {
            internalError(now, bug);
        }
    }

    /** A bug inside a layer's timer, counted; the layers stopped half way, so their deadlines are asked again. */
    private void internalError(long now, RuntimeException bug) {
        deadlines.changed(LayerDeadlines.EVERY_LAYER);
        internalErrors.record(now, bug, null);
    }

    /** What was counted per packet since the last summary (drops, NACKs, RTX) goes on the flight recording's timeline. */
    private void summarize() {
        rtcDropTally.report(timeline);
        iceDropTally.report(timeline);
        media.summarize(timeline);
    }

    private void releasePolledMedia() {
        transmitView.recycle(); // the slot of the last media transmit goes back, unless the caller took it
        if (lentPacket != null) {
            views.recycle(lentPacket);
            lentPacket = null;
        }
        if (lentData != null) {
            dataViews.recycle(lentData);
            lentData = null;
        }
    }

    /**
     * RTP mode: sends one RTP packet as it is (header and payload written by the caller, e.g. forwarded
     * from another peer with SSRC, payload type and sequence number rewritten), protected with SRTP on the
     * way. A packet on the SSRC of a stream this Rtc declared (in its SDP or through the DirectApi) is kept
     * for retransmission, so the peer's NACKs are answered with RTX, and it counts in that stream's sender
     * reports. Returns false, counting the drop, when the packet cannot be sent now: the send buffers are
     * full. Allocates nothing.
     */
    public boolean writeRtp(MemorySegment packet, long offset, int length) {
        checkOpenForMedia("write RTP");
        return media.writeRtp(lastNow, packet, offset, length);
    }

    /**
     * RTP mode, forwarding without a copy to keep: sends the packet another {@code Rtc} lent as {@code packet}
     * with {@code ssrc}, {@code payloadType}, {@code sequenceNumber} and {@code timestamp} in its header (marker,
     * extensions and payload as received, but the extensions renumbered from the ids of the m-line the packet came
     * in on to ours, those we did not agree with the peer and the mid, rid and repaired rid blanked to padding —
     * they named the publisher's stream, and the peer tells ours by its SSRC — and our transport-wide number
     * written; its repairs alike). As {@link #writeRtp}, the packet goes out protected in a slot of its
     * own; but on a declared stream what waits for the peer's NACKs is the received packet's slot itself,
     * shared by every {@code Rtc} it is forwarded to, each keeping only its rewrite — one payload for N
     * subscribers, not N copies. Call it while the view is valid (before the next call on the {@code Rtc} that
     * lent it), from the thread that drives both: the two must share one thread, as they share slots. Returns
     * false, counting the drop, when the send buffers are full. Allocates nothing.
     */
    public boolean forwardRtp(Event.RtpPacket packet, long ssrc, int payloadType, int sequenceNumber, long timestamp) {
        return forwardRtp(packet, ssrc, payloadType, sequenceNumber, timestamp, -1, -1);
    }

    /**
     * As {@link #forwardRtp(Event.RtpPacket, long, int, int, long)}, and for a VP8 payload also with
     * {@code vp8PictureId} and {@code vp8Tl0PicIdx} in its payload descriptor (-1 for either: as received), in
     * the packet and in its repairs: what an SFU switching a subscriber between simulcast layers writes so that
     * the subscriber sees one encoder's numbers ({@code bwe.LayerForwarding#pictureId}). The received slot
     * stays as it came. Allocates nothing.
     */
    public boolean forwardRtp(Event.RtpPacket packet, long ssrc, int payloadType, int sequenceNumber, long timestamp,
                              int vp8PictureId, int vp8Tl0PicIdx) {
        checkOpenForMedia("forward RTP");
        PacketBuffer source = Objects.requireNonNull(packet, "packet").slot();
        if (source.isNone()) {
            throw new IllegalStateException("this RtpPacket view was already recycled: forward a packet while it is the "
                    + "last output polled from its Rtc");
        }
        return media.forwardRtp(lastNow, source, packet.extensions(), ssrc, payloadType, sequenceNumber, timestamp, vp8PictureId,
                vp8Tl0PicIdx);
    }

    /**
     * Bytes this {@code Rtc} holds in what grows with traffic — RTX history and frame assembly slots (a slot it
     * shares with other {@code Rtc}s counted in full: what it alone keeps alive), and what is sized by need
     * (history and assembler rings, frame buffers, NACK state, the TWCC ring) — as charged to its budget
     * ({@link RtcConfig#memoryBudgetBytes()}). The fixed part of a connected peer (ICE, DTLS, SCTP, SDP, its
     * streams: about 40 KiB with audio, video and a data channel, see {@code perf/results/density.md}) is not
     * in it. A server sums it over its peers to refuse a new one before the JVM runs out.
     */
    public long memoryInUse() {
        return memory.inUse();
    }

    /** Charges refused because {@link #memoryInUse()} would have passed the budget: packets not kept, streams not made. */
    public long memoryRefusals() {
        return memory.refusals();
    }

    private void advanceClock(long now) {
        if (lastNow != Long.MIN_VALUE && now < lastNow) {
            throw new IllegalArgumentException("time went backwards: now=" + now + " after " + lastNow
                    + "; pass a monotonic clock such as System.nanoTime()");
        }
        if (lastNow == Long.MIN_VALUE) {
            counters.started(now);
        }
        lastNow = now;
        timeline.at(now);
    }

    // ---------------------------------------------------------------- output

    /**
     * The next thing to do: an {@link Event} to handle, a {@link Output.Transmit} to send, or finally an
     * {@link Output.Timeout} saying when to call {@link #handleTimeout} if nothing arrives first. Views are
     * valid until the next call on this {@code Rtc}.
     */
    public Output pollOutput() {
        releasePolledMedia();
        Event event = events.poll();
        if (event != null) {
            if (event instanceof Event.RtpPacket packet) {
                lentPacket = packet; // its slot stays valid until the next call
            } else if (event instanceof Event.ChannelData data) {
                lentData = data; // likewise
            }
            return event;
        }
        if (closed) {
            Farewell farewell = farewells.poll();
            if (farewell != null) {
                return transmit(farewell.transport(), farewell.from(), farewell.to(), MemorySegment.ofArray(farewell.bytes()), 0,
                        farewell.bytes().length, PacketBuffer.NONE);
            }
            StunTransmit release = ice.pollTransmit(); // TURN allocations released, after the peer was told
            if (release != null) {
                return transmit(release.transport(), release.source(), release.destination(), release.segment(), 0,
                        release.length(), PacketBuffer.NONE);
            }
        } else {
            StunTransmit t = ice.pollTransmit();
            if (t != null) {
                return transmit(t.transport(), t.source(), t.destination(), t.segment(), 0, t.length(), PacketBuffer.NONE);
            }
            InetSocketAddress destination = ice.dataDestination();
            while (destination != null) {
                byte[] datagram = dtls.pollTransmit(); // DTLS waits in its queue until ICE has a pair to send on
                if (datagram != null) {
                    Output out = data(destination, MemorySegment.ofArray(datagram), datagram.length, PacketBuffer.NONE);
                    if (out != null) {
                        return out;
                    }
                    continue; // it could not enter the relay (counted): the next one
                }
                PacketBuffer next = media.pollTransmit(lastNow);
                if (next.isNone()) {
                    break;
                }
                Output out = data(destination, next.segment(), next.length(), next);
                if (out != null) {
                    return out;
                }
            }
        }
        return timeoutView.at(closed ? Long.MAX_VALUE : Math.min(deadlines.next(lastNow), counters.nextAt()));
    }

    /**
     * Application data (DTLS, SRTP) on the pair ICE uses: as it is, or framed for our TURN server when the pair is
     * relayed (one copy into ICE's relay buffer). A media datagram's pool {@code slot} goes with the transmit, which
     * gives it back at the next call unless the caller takes it; relayed, the copy is what goes, and the slot goes
     * back at once. Null when the relay could not take it (counted by ICE).
     */
    private Output.Transmit data(InetSocketAddress destination, MemorySegment segment, int length, PacketBuffer slot) {
        if (ice.dataRelayed()) {
            deadlines.changed(LayerDeadlines.ICE); // framing for the relay may ask the TURN client for a binding
            StunTransmit relayed = ice.relay(segment, 0, length);
            if (!slot.isNone()) {
                pool.release(slot);
            }
            return relayed == null ? null
                    : transmit(relayed.transport(), relayed.source(), relayed.destination(), relayed.segment(), 0, relayed.length(),
                            PacketBuffer.NONE);
        }
        return transmit(ice.dataTransport(), ice.dataSource(), destination, segment, 0, length, slot);
    }

    /** Every datagram leaves through here: counted for {@link Event.PeerStats}, then lent as the reused view. */
    private Output.Transmit transmit(Transport transport, InetSocketAddress source, InetSocketAddress destination,
                                     MemorySegment segment, long offset, int length, PacketBuffer slot) {
        counters.sent(length);
        return transmitView.set(transport, source, destination, segment, offset, length, slot, pool);
    }

    /** ICE's events turned into the Rtc's; whether there were any. */
    private boolean collectIceEvents() {
        boolean any = false;
        IceEvent e;
        while ((e = ice.pollEvent()) != null) {
            any = true;
            switch (e) {
                case IceEvent.StateChanged s -> {
                    timeline.iceState(s.state());
                    events.add(new Event.IceConnectionStateChange(s.state()));
                    if (s.state() == IceConnectionState.FAILED && !dtls.isDone()) {
                        events.add(new Event.Disconnected(Event.Disconnected.Reason.ICE_FAILED,
                                "ICE found no path to the peer, or lost it and gave up"));
                    }
                }
                case IceEvent.SelectedPairChanged p -> {
                    timeline.selectedPair(p.local(), p.remote());
                    events.add(new Event.SelectedPairChange(p.local(), p.remote()));
                }
                case IceEvent.NewPeerReflexiveCandidate c -> {
                    if (LOG.isLoggable(DEBUG)) {
                        LOG.log(DEBUG, "peer-reflexive remote candidate {0}", c.candidate());
                    }
                }
                case IceEvent.RoleChanged r -> {
                    if (LOG.isLoggable(DEBUG)) {
                        LOG.log(DEBUG, "ICE role conflict resolved: now {0}", r.controlling() ? "controlling" : "controlled");
                    }
                }
                case IceEvent.CandidateGathered g -> {
                    signal(g.candidate());
                    events.add(new Event.CandidateGathered(g.candidate()));
                }
                case IceEvent.RelayFailed f -> {
                    LOG.log(System.Logger.Level.WARNING, "TURN allocation on {0} failed: {1}", f.server(), f.reason());
                    events.add(new Event.RelayFailed(f.server(), f.reason()));
                }
                case IceEvent.ResolveMdns r -> events.add(new Event.ResolveMdns(r.hostname()));
            }
        }
        return any;
    }

    // ---------------------------------------------------------------- routing and state

    /**
     * Whether a datagram is for this peer connection, for servers that route many {@code Rtc}s over one
     * socket: a STUN request must name our ufrag, a STUN response or any other datagram must come from an
     * address the peer uses. Reads the datagram, allocates nothing, never throws on its content.
     */
    public boolean accepts(InetSocketAddress source, MemorySegment segment, long offset, int length) {
        if (closed) {
            return false;
        }
        if (ice.isRelayServer(source)) {
            return true; // a TURN server we allocated on: the datagram is for our TURN client or our relayed candidate
        }
        if (IceAgent.accepts(segment, offset, length)) {
            if (!stun.wrap(segment, offset, length)) {
                return false;
            }
            boolean mine = stun.isRequest() ? ice.isAddressedToUs(stun) : isPeerAddress(source);
            stun.unwrap();
            return mine;
        }
        return isPeerAddress(source);
    }

    /** {@link #accepts(InetSocketAddress, MemorySegment, long, int)} for an {@link Input}; a timeout is for everyone. */
    public boolean accepts(Input input) {
        return switch (Objects.requireNonNull(input, "input")) {
            case Input.Receive r -> accepts(r.source(), r.contents(), 0, (int) Math.min(r.contents().byteSize(), Integer.MAX_VALUE));
            case Input.Timeout t -> true;
        };
    }

    /**
     * Counts changes to {@link #routeKeys()} (our ufrag, the peer's addresses learnt, proven or given up). A
     * router that sends datagrams from one socket to many {@code Rtc}s ({@code engine.route.RtcRouter})
     * compares it after each call and asks for the keys again only when it moved. Allocation-free.
     */
    public long routeVersion() {
        return ice.routeVersion();
    }

    /**
     * What routes a datagram to this peer connection: the local ufrag that checks sent to it name, the peer's
     * addresses its ICE agent proved by authenticated STUN (peer-reflexive ones, and a NAT's new mapping,
     * included), and those only signalled. Empty after {@link #disconnect()}. Allocates; ask when
     * {@link #routeVersion()} moved.
     */
    public RouteKeys routeKeys() {
        return ice.routeKeys();
    }

    private boolean isPeerAddress(InetSocketAddress source) {
        return ice.isRemoteAddress(source) || source.equals(ice.dataDestination());
    }

    /**
     * Whether the peer proved a path from {@code remote} over {@code transport} with an authenticated ICE check or answer:
     * an ICE-TCP listener keeps a connection once some {@code Rtc} says so, and closes the ones none takes in time.
     */
    public boolean hasProvenPath(Transport transport, InetSocketAddress remote) {
        return !closed && ice.hasProvenPath(transport, remote);
    }

    /** The ICE connection state. */
    public IceConnectionState iceConnectionState() {
        return ice.state();
    }

    /** False after {@link #disconnect()}, once ICE has failed, or once DTLS failed or closed. */
    public boolean isAlive() {
        IceConnectionState s = ice.state();
        return !closed && s != IceConnectionState.FAILED && s != IceConnectionState.CLOSED && !dtls.isDone();
    }

    /** ICE and DTLS are both up (the {@link Event.Connected} has been or is about to be polled). */
    public boolean isConnected() {
        return dtls.isConnected();
    }

    /** The SRTP profile DTLS negotiated, or null before {@link Event.Connected} (or without use_srtp). */
    public SrtpProfile srtpProfile() {
        return media.srtpProfile();
    }

    /** The DTLS version negotiated (1.3 or 1.2), or null before {@link Event.Connected}. */
    public DtlsVersion dtlsVersion() {
        return dtls.version();
    }

    /** The DTLS cipher suite negotiated, or null before {@link Event.Connected}. */
    public DtlsCipherSuite dtlsCipherSuite() {
        return dtls.cipherSuite();
    }

    /**
     * The DTLS key-exchange group negotiated, or null before {@link Event.Connected}: {@code X25519MLKEM768}
     * (DTLS 1.3 with a peer that offers it, as Chromium does) protects the call against harvest-now-decrypt-later.
     */
    public NamedGroup dtlsGroup() {
        return dtls.group();
    }

    /** True once DTLS started with us as the client ({@code a=setup:active}); false as the server or before. */
    public boolean isDtlsClient() {
        return dtls.isClient();
    }

    /** Our DTLS certificate's fingerprint, for {@code a=fingerprint}. */
    public Fingerprint localFingerprint() {
        return certificate.fingerprint();
    }

    // ---------------------------------------------------------------- DTLS set-up (through the DirectApi)

    void setRemoteFingerprint(Fingerprint fingerprint) {
        deadlines.changed(LayerDeadlines.EVERY_LAYER);
        dtls.setRemoteFingerprint(fingerprint);
        dtls.afterInput(lastNow == Long.MIN_VALUE ? 0 : lastNow); // a handshake waiting for it may complete now
    }

    /** Opens a data channel now, or as soon as SCTP is up; returns nothing until then (see {@link Event.ChannelOpen}). */
    void createDataChannel(String label, boolean ordered, int maxRetransmits, long maxLifetimeMillis) {
        checkOpen("create a data channel");
        channels.create(lastNow, label, ordered, maxRetransmits, maxLifetimeMillis);
        dtls.pumpChannels(lastNow);
    }

    /** A pre-negotiated channel (both sides agreed on {@code id}): usable as soon as SCTP is up. */
    void createNegotiatedDataChannel(int id, String label, boolean ordered, int maxRetransmits, long maxLifetimeMillis) {
        checkOpen("create a data channel");
        channels.createNegotiated(id, label, ordered, maxRetransmits, maxLifetimeMillis);
        dtls.pumpChannels(lastNow);
    }

    long channelBufferedAmount(int id) {
        return channels.bufferedAmount(id);
    }

    void setChannelBufferedAmountLowThreshold(int id, long bytes) {
        channels.setBufferedAmountLowThreshold(id, bytes);
    }

    /** Writes to an open data channel (see {@link Channel}). */
    void writeChannel(int id, boolean binary, byte[] data, int offset, int length) {
        checkOpen("write to a data channel");
        channels.write(lastNow, id, binary, data, offset, length);
        dtls.pumpChannels(lastNow);
    }

    /** Writes to an open data channel from a segment (see {@link Channel}). */
    void writeChannel(int id, boolean binary, MemorySegment data, long offset, int length) {
        checkOpen("write to a data channel");
        channels.write(lastNow, id, binary, data, offset, length);
        dtls.pumpChannels(lastNow);
    }

    /** Closes a data channel: both directions of its stream are reset, then {@link Event.ChannelClose}. */
    void closeChannel(int id) {
        checkOpen("close a data channel");
        channels.close(lastNow, id);
        dtls.pumpChannels(lastNow);
    }

    /** The data channel {@code id} (from {@link Event.ChannelOpen}), for writing. */
    public Channel channel(int id) {
        return channelViews.computeIfAbsent(id, i -> new Channel(this, i));
    }

    /** Bytes written to data channels and not yet acknowledged by the peer. */
    public long channelBufferedAmount() {
        return channels.bufferedAmount();
    }

    void startDtls(boolean active) {
        checkOpen("start DTLS");
        dtls.start(active);
    }

    /**
     * Closes the connection: the peer is told (an SCTP ABORT for the data channels and a DTLS close_notify,
     * the last datagrams {@link #pollOutput()} gives), timers stop, later input is dropped, and
     * {@link Event.Disconnected} ({@code LOCAL_CLOSE}) is queued unless the call had already ended.
     */
    public void disconnect() {
        if (closed) {
            return;
        }
        changed();
        boolean ending = isAlive(); // else the call ended already and its Disconnected was queued then
        summarize(); // the counts since the last summary, which no timer round will report now
        InetSocketAddress to = ice.dataDestination();
        dtls.close(lastNow);
        // addressed (and framed for the relay) now: once ICE closes, neither its pair nor its TURN allocations remain
        for (byte[] datagram; to != null && (datagram = dtls.pollTransmit()) != null; ) {
            if (ice.dataRelayed()) {
                StunTransmit t = ice.relay(MemorySegment.ofArray(datagram), 0, datagram.length);
                if (t != null) {
                    farewells.add(new Farewell(t.transport(), t.source(), t.destination(), t.toByteArray()));
                }
            } else {
                farewells.add(new Farewell(ice.dataTransport(), ice.dataSource(), to, datagram));
            }
        }
        ice.close();
        collectIceEvents();
        if (ending) {
            events.add(new Event.Disconnected(Event.Disconnected.Reason.LOCAL_CLOSE, "disconnect() was called"));
        }
        releasePolledMedia();
        media.close(); // queued media back to the (possibly shared) pool
        views.recycleQueued(events); // and the slots of views not yet polled
        dataViews.recycleQueued(events);
        if (ownsPool && pool.inUse() == 0) {
            pool.close(); // its slabs go now; one another Rtc still holds a slot of (forwarded) stays for it
        }
        closed = true;
    }

    /**
     * This {@code Rtc}'s number in the process (1 for the first made, and so on): what its events in a JDK Flight
     * Recorder recording carry as {@code rtc}, so an application that logs it can tell which peer an event is about.
     */
    public long id() {
        return timeline.rtc();
    }

    /** How many datagrams the Rtc dropped for {@code reason}. */
    public long dropped(RtcDropReason reason) {
        return drops.dropped(reason);
    }

    /** Every datagram the Rtc or its ICE agent dropped. */
    public long droppedTotal() {
        return ice.droppedTotal() + drops.total();
    }

    /** STUN datagrams the ICE agent dropped (each reason is in the agent's own counters). */
    public long iceDropped() {
        return ice.droppedTotal();
    }

    /** STUN datagrams the ICE agent dropped for {@code reason}. */
    public long iceDropped(IceDropReason reason) {
        return ice.dropped(reason);
    }

    /**
     * The last bug counted as {@link RtcDropReason#INTERNAL_ERROR}, or null: for diagnostics and tests. Such a
     * bug is the last resort for "network input never throws" (see {@code internal.InternalErrors}: counted,
     * logged at most once a minute); the simulation kit fails a test on it, so bugs are seen, not hidden.
     */
    public RuntimeException lastInternalError() {
        return internalErrors.last();
    }

    private void drop(RtcDropReason reason, InetSocketAddress source) { // source may be null (not from one datagram)
        drops.count(reason, source);
    }

    /**
     * Every call that changes the Rtc from outside the input path passes here first: after disconnect() it is
     * misuse, and otherwise the change listener hears that there may be output to poll, and the layers the call may
     * reach are asked for their deadlines again.
     */
    void checkOpen(String what) {
        checkOpen(what, LayerDeadlines.EVERY_LAYER);
    }

    /**
     * {@link #checkOpen(String)} for a call that reaches only {@code layers}: writing media and steering its
     * estimator reach the media layer alone, so a forwarding server's every packet asks ICE, DTLS and the data
     * channels nothing (their answers stand; {@link LayerDeadlines} checks that with assertions on).
     */
    private void checkOpen(String what, int layers) {
        if (closed) {
            throw new IllegalStateException("cannot " + what + " after disconnect(); build a new Rtc");
        }
        changed(layers);
    }

    /** Media and its estimator only: {@link #checkOpen(String, int)} with {@link LayerDeadlines#MEDIA}. */
    void checkOpenForMedia(String what) {
        checkOpen(what, LayerDeadlines.MEDIA);
    }

    /** A call from outside the input path is about to change the Rtc: its layers' deadlines are asked again, the listener told. */
    void changed() {
        changed(LayerDeadlines.EVERY_LAYER);
    }

    private void changed(int layers) {
        deadlines.changed(layers);
        if (changeListener != null) {
            changeListener.run();
        }
    }

    /**
     * Has {@code listener} run whenever a call from outside the input path is about to change this
     * {@code Rtc} — writing media or data channel messages, an SDP or {@link DirectApi} change, a trickled
     * candidate, a keyframe request, {@link #disconnect()} — and so it may soon have datagrams, events or a new
     * deadline to poll. A loop driving thousands of {@code Rtc}s polls those it was told of after a handler
     * wrote into other peers (forwarded media, a renegotiation), instead of polling every one.
     * {@link #handleReceive}, {@link #handleTimeout} and {@link #pollOutput()} do not call it: their caller
     * polls anyway. It runs on the caller's thread, inside the call, before the change: it must not call into
     * this {@code Rtc}. {@code null} removes it.
     */
    public void setChangeListener(Runnable listener) {
        this.changeListener = listener;
    }

    @Override
    public String toString() {
        return "Rtc[ice=" + ice.state() + (closed ? ", closed" : "") + "]";
    }
}
