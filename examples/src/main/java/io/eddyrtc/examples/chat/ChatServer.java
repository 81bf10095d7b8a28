package io.eddyrtc.examples.chat;

import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.bwe.LayerForwarding;
import io.eddyrtc.engine.bwe.LayerRates;
import io.eddyrtc.engine.bwe.SubscriberBudget;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.packet.LayerInfo;
import io.eddyrtc.engine.rtp.RtpHeader;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.engine.sdp.SdpPendingOffer;
import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.examples.jfr.FlightRecording;
import io.eddyrtc.net.RtcLoop;
import io.eddyrtc.net.RtcLoopConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./eddy chat}: a small SFU on eddy, like str0m's chat example. Every browser that joins publishes
 * its camera and microphone and receives everyone else's. All peers share <b>one UDP socket and one
 * thread</b> (an {@link RtcLoop}, which routes each datagram to its member by ICE ufrag and address), every {@code Rtc} runs
 * in RTP mode, and each received packet is forwarded to the other members with its SSRC and payload type
 * rewritten — no depacketizing, no allocation per packet. One DTLS certificate serves every member.
 *
 * <p>Every member's {@code Rtc} estimates the bandwidth towards it ({@code enableBwe}). A camera published as
 * simulcast layers reaches each subscriber as the highest layer its estimate holds (its share after audio),
 * picked by a {@link LayerForwarding} per subscription: switched at a keyframe of the new layer (the publisher
 * is asked for one), with hysteresis, and below the lowest layer only its base temporal layer. Audio is never
 * dropped.
 *
 * <p>Joining is http-post's offer/answer. Once a member is connected, its tracks are published: the server
 * renegotiates with every other member itself: it offers a send-only m-line through {@link Rtc#sdpApi()} and sends the offer over the
 * member's data channel (the first one it opens), whose page answers on the same channel. Keyframe requests
 * from a subscriber go to the publisher of the track. A member that leaves — or is removed because it never
 * connected or went silent — takes its tracks along: every other member is offered their removal. What one
 * member publishes ({@value #MAX_PUBLISHED_TRACKS} tracks) and is offered ({@value #MAX_SUBSCRIBED_TRACKS}) is
 * bounded, so that no offer outgrows a data channel message, and an offer that never connects publishes
 * nothing.
 */
public final class ChatServer implements AutoCloseable {
    /** Tracks one member may publish: a camera, a microphone and a screen, with room to spare. */
    static final int MAX_PUBLISHED_TRACKS = 4;
    /**
     * Tracks one member is offered, at most: eight members' cameras and microphones. Each m-line adds about
     * 2 KiB to the offer, which must fit one data channel message (256 KiB).
     */
    static final int MAX_SUBSCRIBED_TRACKS = 16;

    /** One member: its peer connection, its signalling channel and its pending renegotiation. */
    private static final class Member {
        final int number;
        final Rtc rtc;
        int channel = -1;
        SdpPendingOffer pending;
        final List<Publication> toOffer = new ArrayList<>();
        final List<String> toStop = new ArrayList<>(); // mids of tracks whose publisher left
        final List<Event.MediaAdded> announced = new ArrayList<>(); // its tracks, published once it is connected
        int published;
        boolean connected;
        /** Its send-side bandwidth estimate: what the server may send it, shared among its subscriptions. */
        final SubscriberBudget budget = new SubscriberBudget(INITIAL_ESTIMATE_BPS);
        /** The estimate last logged, and when ({@link #logEstimate}). */
        long loggedEstimate;
        long loggedEstimateAt = Long.MIN_VALUE;
        /** Its latest statistics, for {@link #forwardingReport()}: the peer's, and each stream sent to it by mid and rid. */
        Event.PeerStats stats;
        final Map<String, Event.MediaEgressStats> sent = new TreeMap<>();

        Member(int number, Rtc rtc) {
            this.number = number;
            this.rtc = rtc;
        }
    }

    /**
     * A track one member publishes (its mid in that member's session) and where it is forwarded; for video, its
     * simulcast layers (the publisher's rids in the order it lists them, lowest first; one unnamed layer without
     * simulcast) and each layer's arriving rate.
     */
    private record Publication(Member from, String mid, MediaKind kind, LayerRates rates) {}

    /**
     * A publication as one subscriber receives it: the mid in the subscriber's session and, for video, the
     * layer it gets and what was forwarded of each (both null for audio, which is never dropped).
     */
    private record Subscription(Publication publication, Member to, String mid, LayerForwarding layers, ForwardedLayers forwarded) {}

    /** Every member's estimate starts here (as str0m's and libwebrtc's), and probes find more. */
    static final long INITIAL_ESTIMATE_BPS = 300_000;
    /**
     * What one video subscription would like: a camera's top simulcast layer, with room. Fixed rather than what the
     * next layer up needs (as {@code ./eddy sfu} asks): with that, {@code ChatSimulcastTest} failed six runs of
     * eleven, its held subscriber frozen or stalled (docs/design.md).
     */
    static final long VIDEO_DESIRED_BPS = 2_000_000;
    /** How often each member's statistics are taken, for {@link #forwardingReport()}. */
    private static final Duration STATS_INTERVAL = Duration.ofSeconds(1);
    /** A member's estimate is logged when it moved this much since the last line, ... */
    private static final double ESTIMATE_LOG_STEP = 0.1;
    /** ... at most this often. */
    private static final long ESTIMATE_LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final ServerOptions options;
    private final PrintStream log;
    private final DtlsCertificate certificate = DtlsCertificate.generate(new SecureRandom());
    private final RtcLoop<Member> loop;
    private final SignalingServer http;
    // the room, touched only on the loop thread
    private final List<Member> members = new ArrayList<>();
    private final List<Publication> publications = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private int joined;
    /** What the packet being forwarded says of its frame, read once for all its subscribers. */
    private final LayerInfo layerInfo = new LayerInfo();
    private boolean layerInfoValid;

    private ChatServer(ServerOptions options, PrintStream log) throws IOException {
        this.options = options;
        this.log = log;
        this.loop = RtcLoop.start(RtcLoopConfig.builder(new InetSocketAddress(options.hostIp(), 0)).name("chat-loop").limits(options.limits())
                        .tcp(options.tcp()).build(),
                new RtcLoop.Peers<>() {
                    @Override
                    public void onEvent(Member m, Event e) {
                        ChatServer.this.onEvent(m, e);
                    }

                    @Override
                    public void onRemoved(Member m, RtcLoop.Departure departure) {
                        leave(m, departure);
                    }
                });
        try {
            this.http = SignalingServer.start(options.http(), options.tls(), this::join);
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    public static ChatServer start(ServerOptions options, PrintStream log) throws IOException {
        return new ChatServer(options, log);
    }

    public String url() {
        return http.url();
    }

    /** The loop every member runs on, for its counters. */
    public RtcLoop<?> loop() {
        return loop;
    }

    /** An offer POSTed by a joining page: parsed here, answered on the loop thread, which owns every Rtc. */
    private String join(String offerJson) throws Exception {
        SdpOffer offer = SdpOffer.fromJson(offerJson); // a malformed offer is refused before the loop sees it
        return loop.call(() -> {
            if (!loop.hasRoom()) {
                throw new SignalingServer.Refusal(503, "the room is full (" + options.limits().maxPeers() + " members); try again later");
            }
            return loop.join(Rtc.builder().certificate(certificate).ice(options.ice()).rtpMode(true).enableBwe(INITIAL_ESTIMATE_BPS)
                    .statsInterval(STATS_INTERVAL)
                    .sdp(new SdpConfig().answerPassive(true)), offer, rtc -> {
                        Member m = new Member(++joined, rtc);
                        members.add(m);
                        log.printf("[chat] member %d joined (%d in the room)%n", m.number, members.size());
                        return m;
                    }).toJson();
        });
    }

    private void onEvent(Member m, Event e) {
        switch (e) {
            case Event.RtpPacket p -> forward(m, p);
            case Event.Connected c -> {
                m.connected = true;
                log.printf("[chat] member %d connected%n", m.number);
                for (Event.MediaAdded a : m.announced) {
                    publish(m, a);
                }
                m.announced.clear();
            }
            case Event.ChannelOpen o -> {
                if (m.channel >= 0) {
                    return; // signalling stays on the first channel; another (or the same, reopened) adds nothing
                }
                m.channel = o.id();
                for (Publication p : publications) { // what the room already publishes
                    if (p.from() != m) {
                        m.toOffer.add(p);
                    }
                }
                renegotiate(m);
            }
            case Event.MediaAdded a when a.direction() == Direction.RECV_ONLY -> {
                if (m.connected) {
                    publish(m, a);
                } else {
                    m.announced.add(a); // an offer alone costs nothing but a POST: others hear of its tracks once it connects
                }
            }
            case Event.ChannelData d when d.id() == m.channel && !d.binary() && d.text().startsWith("{\"type\":\"answer\"") -> {
                if (m.pending != null) {
                    accept(m, d.text());
                }
            }
            case Event.ChannelClose c when c.id() == m.channel -> loop.remove(m, "its signalling channel closed");
            case Event.ChannelsClosed c -> loop.remove(m, "its data channels closed (" + c.reason() + ")");
            case Event.EgressBitrateEstimate b -> {
                m.budget.setEstimate(b.bitsPerSecond());
                long now = System.nanoTime();
                logEstimate(m, now, b.bitsPerSecond());
                shareBudget(m, now);
            }
            case Event.PeerStats stats -> m.stats = stats;
            case Event.MediaEgressStats stats -> m.sent.put(stats.mid() + (stats.rid() == null ? "" : " rid " + stats.rid()), stats);
            case Event.KeyframeRequest k -> {
                log.printf("[chat] member %d asks for a keyframe of mid %s (%s)%n", m.number, k.mid(), k.fir() ? "FIR" : "PLI");
                for (Subscription s : subscriptions) {
                    if (s.to() == m && s.mid().equals(k.mid())) {
                        Member publisher = s.publication().from();
                        if (publisher.connected) {
                            publisher.rtc.media(s.publication().mid()).requestKeyframe();
                        }
                    }
                }
            }
            default -> { }
        }
    }

    /** A track {@code m} sends us: every other member with a channel is offered it. */
    private void publish(Member m, Event.MediaAdded a) {
        if (m.published >= MAX_PUBLISHED_TRACKS) {
            log.printf("[chat] member %d publishes more than %d tracks; %s (mid %s) is not forwarded%n", m.number,
                    MAX_PUBLISHED_TRACKS, a.kind(), a.mid());
            return;
        }
        m.published++;
        List<String> rids = a.kind() == MediaKind.VIDEO ? m.rtc.media(a.mid()).receiveRids().stream().map(Rid::value).toList() : List.of();
        Publication p = new Publication(m, a.mid(), a.kind(), LayerRates.of(rids));
        publications.add(p);
        log.printf("[chat] member %d publishes %s (mid %s%s)%n", m.number, a.kind(), a.mid(),
                rids.isEmpty() ? "" : ", simulcast layers " + String.join(" ", rids));
        for (Member other : members) {
            if (other != m && other.channel >= 0) {
                other.toOffer.add(p);
                renegotiate(other);
            }
        }
    }

    /** The member's answer to our pending offer; one we cannot apply ends the member. */
    private void accept(Member m, String answerJson) {
        try {
            m.rtc.acceptAnswer(m.pending, SdpAnswer.fromJson(answerJson));
        } catch (RuntimeException e) {
            loop.remove(m, "its answer was refused: " + e.getMessage());
            return;
        }
        m.pending = null;
        for (Subscription s : subscriptions) {
            Member publisher = s.publication().from();
            if (s.to() == m && publisher.connected) {
                publisher.rtc.media(s.publication().mid()).requestKeyframe(); // start with a keyframe
            }
        }
        renegotiate(m); // whatever was published or left meanwhile
    }

    /** Offers the member what changed (tracks to add, tracks whose publisher left), unless an offer of ours is pending. */
    private void renegotiate(Member m) {
        if (m.pending != null || m.channel < 0 || (m.toOffer.isEmpty() && m.toStop.isEmpty())) {
            return;
        }
        SdpApi api = m.rtc.sdpApi();
        for (String mid : m.toStop) {
            try {
                api.removeMedia(Mid.of(mid));
            } catch (IllegalArgumentException alreadyStopped) { // the member's answer had rejected it
                log.printf("[chat] member %d: mid %s was already stopped%n", m.number, mid);
            }
        }
        m.toStop.clear();
        long subscribed = subscriptions.stream().filter(s -> s.to() == m).count();
        for (Publication p : m.toOffer) {
            if (subscribed >= MAX_SUBSCRIBED_TRACKS) {
                log.printf("[chat] member %d receives %d tracks already; %s (mid %s) of member %d is not offered to it%n",
                        m.number, MAX_SUBSCRIBED_TRACKS, p.kind(), p.mid(), p.from().number);
                continue;
            }
            String mid = api.addMedia(p.kind(), Direction.SEND_ONLY).value();
            LayerForwarding layers = null;
            ForwardedLayers forwarded = null;
            if (p.kind() == MediaKind.VIDEO) {
                layers = new LayerForwarding(p.rates(), m.budget.videoShare(0, 1));
                forwarded = new ForwardedLayers("member " + m.number + " <- member " + p.from().number + "'s video (mid " + mid + ")",
                        p.rates());
            }
            subscriptions.add(new Subscription(p, m, mid, layers, forwarded));
            subscribed++;
        }
        m.toOffer.clear();
        shareBudget(m, System.nanoTime());
        api.apply().ifPresent(offer -> { // empty when every track to stop was stopped already
            m.pending = offer.pending();
            m.rtc.channel(m.channel).writeText(offer.offer().toJson());
        });
    }

    /**
     * One RTP packet from a publisher to every subscriber of that track: SSRC and payload type rewritten; for
     * video, only to the subscribers whose {@link LayerForwarding} picked its layer (and temporal layer), with
     * the numbers that keep their stream contiguous (sequence, timestamp and VP8 picture numbers); a subscriber
     * waiting to switch layers has the publisher asked for a keyframe of that layer. All members' {@code Rtc}s
     * run on the loop's thread, so they may share the received slot. Audio goes to everyone.
     */
    private void forward(Member from, Event.RtpPacket p) {
        long now = p.arrivedAtNanos();
        Publication publication = null;
        int layer = 0;
        for (int i = 0; i < subscriptions.size(); i++) {
            Subscription s = subscriptions.get(i);
            if (s.publication().from() != from || !s.publication().mid().equals(p.mid())) {
                continue;
            }
            if (publication == null) {
                publication = s.publication();
                layer = publication.rates().layerOf(p.rid());
                if (layer < 0) {
                    return; // a rid the publisher never declared: no subscriber is on it
                }
                if (publication.kind() == MediaKind.VIDEO) {
                    publication.rates().onPacket(now, layer, p.length());
                    readLayer(from, p);
                }
            }
            Media target = s.to().rtc.media(s.mid());
            if (target == null || !s.to().connected) {
                continue; // offered, not answered yet: the m-line exists once the subscriber's answer is in
            }
            List<PayloadParams> codecs = from.rtc.media(p.mid()).payloadParams();
            int pt = PayloadParams.samePayloadType(codecs, p.header().payloadType(), target.payloadParams());
            if (pt < 0) {
                continue; // the subscriber has no payload type for this codec (RTX, RED: not forwarded here)
            }
            long ssrc = target.sendStreams().getFirst().ssrc();
            LayerForwarding layers = s.layers();
            if (layers == null) {
                s.to().rtc.forwardRtp(p, ssrc, pt, p.header().sequenceNumber(), p.header().timestamp());
                continue;
            }
            int wanted = layers.keyframeWanted(now);
            if (wanted >= 0) {
                from.rtc.requestKeyframe(p.mid(), publication.rates().rid(wanted)); // a PLI for the layer wanted only
                s.forwarded().keyframeRequested(wanted);
            }
            boolean keyframe = layerInfoValid && layerInfo.keyframe();
            if (layers.forward(now, layer, keyframe, layerInfoValid ? layerInfo.temporalLayer() : -1,
                    p.extendedSequence(), p.extendedTimestamp(), clockRateOf(PayloadParams.find(codecs, p.header().payloadType())),
                    layerInfoValid ? layerInfo.pictureId() : -1, layerInfoValid ? layerInfo.tl0PicIdx() : -1)) {
                // every subscriber's NACKs are answered from the received slot itself, not from a copy each; the VP8
                // picture numbers go on across layer switches, or the subscriber may drop the new layer's frames
                boolean queued = s.to().rtc.forwardRtp(p, ssrc, pt, layers.sequence(), layers.timestamp(), layers.pictureId(),
                        layers.tl0PicIdx());
                s.forwarded().forwarded(layer, keyframe, queued);
            }
            s.forwarded().look(now, layers, layers.budget(), log);
            if (s.to().budget.desiredDue(now)) {
                shareBudget(s.to(), now); // the layers' rates moved: tell its estimator what it is sent now
            }
        }
    }

    /** Reads the packet's frame start, keyframe and temporal layer into {@link #layerInfo} (valid: {@link #layerInfoValid}). */
    private void readLayer(Member from, Event.RtpPacket p) {
        PayloadParams params = PayloadParams.find(from.rtc.media(p.mid()).payloadParams(), p.header().payloadType());
        Codec codec = params == null ? null : params.codec();
        RtpHeader h = p.header();
        layerInfoValid = codec != null && layerInfo.read(codec, p.segment(), h.payloadOffset(), h.payloadLength());
    }

    /**
     * Divides {@code m}'s estimate among its video subscriptions after keeping room for its audio ones
     * ({@link SubscriberBudget}), and tells its estimator it would like {@link #VIDEO_DESIRED_BPS} per video
     * subscription, so its probes look for room for the top layers, and what it is sent now: knowing the layers
     * forwarded fill less than the estimate, the estimator keeps the estimate to what its probes found instead of
     * growing it past the path, where the selector would take a layer the path cannot carry.
     */
    private void shareBudget(Member m, long now) {
        int video = 0;
        int audio = 0;
        for (int i = 0; i < subscriptions.size(); i++) {
            Subscription s = subscriptions.get(i);
            if (s.to() == m) {
                if (s.layers() != null) {
                    video++;
                } else {
                    audio++;
                }
            }
        }
        long share = m.budget.videoShare(audio, video);
        long forwarded = 0;
        for (int i = 0; i < subscriptions.size(); i++) {
            Subscription s = subscriptions.get(i);
            if (s.to() == m && s.layers() != null) {
                s.layers().setBudget(now, share);
                forwarded += s.layers().forwardedBitrate(now);
            }
        }
        m.rtc.bwe().setDesiredBitrate(m.budget.desired(video * VIDEO_DESIRED_BPS, audio));
        long current = m.budget.current(forwarded, audio);
        if (current > 0) {
            m.rtc.bwe().setCurrentBitrate(current);
        }
    }

    /**
     * Logs {@code m}'s estimate when it moved by {@link #ESTIMATE_LOG_STEP} since the last line, at most once per
     * {@link #ESTIMATE_LOG_INTERVAL_NANOS}: with what the path has shown it carries and the last probe's
     * measurement, which say why the estimate is where it is.
     */
    private void logEstimate(Member m, long now, long bps) {
        boolean moved = Math.abs(bps - m.loggedEstimate) >= ESTIMATE_LOG_STEP * m.loggedEstimate;
        if (!moved || (m.loggedEstimateAt != Long.MIN_VALUE && now - m.loggedEstimateAt < ESTIMATE_LOG_INTERVAL_NANOS)) {
            return;
        }
        m.loggedEstimate = bps;
        m.loggedEstimateAt = now;
        var bwe = m.rtc.bwe();
        log.printf("[chat] member %d estimate %d kbit/s (acknowledged %d kbit/s%s, last probe %d kbit/s)%n", m.number, bps / 1000,
                bwe.acknowledgedBitrate() / 1000, bwe.applicationLimited() ? ", application-limited" : "", bwe.lastProbeResult() / 1000);
    }

    /**
     * What the room forwards now, a line per member (its estimate) and per video subscription (its layer, and
     * per layer the rate, packets and keyframes forwarded and keyframes asked for): for an operator, or a test
     * that failed.
     */
    public String forwardingReport() throws Exception {
        return loop.call(() -> {
            long now = System.nanoTime();
            StringBuilder b = new StringBuilder();
            for (Member m : members) {
                b.append("member ").append(m.number).append(m.connected ? " connected" : " not connected");
                if (m.connected) {
                    var bwe = m.rtc.bwe();
                    b.append(", estimate ").append(bwe.estimate() / 1000).append(" kbit/s (acknowledged ")
                            .append(bwe.acknowledgedBitrate() / 1000).append(" kbit/s")
                            .append(bwe.applicationLimited() ? ", application-limited" : "").append(')');
                }
                if (m.stats != null) {
                    Event.PeerStats st = m.stats;
                    b.append("; sent ").append(st.datagramsOut()).append(" datagrams ").append(st.bytesOut()).append(" bytes, ")
                            .append(st.mediaPacketsOut()).append(" media packets; pacing ").append(st.pacingBps() / 1000)
                            .append(" kbit/s with ").append(st.pacerQueuedBytes()).append(" bytes queued");
                }
                for (RtcDropReason reason : RtcDropReason.values()) {
                    long n = m.rtc.dropped(reason);
                    if (n > 0) {
                        b.append("; dropped ").append(n).append(' ').append(reason);
                    }
                }
                b.append('\n');
                for (var sent : m.sent.entrySet()) {
                    var st = sent.getValue().stats();
                    b.append("  to it, mid ").append(sent.getKey()).append(": ").append(st.packets()).append(" packets, ")
                            .append(st.paddingPackets()).append(" padding, ").append(st.rtxPackets()).append(" RTX for ")
                            .append(st.nacksReceived()).append(" NACKed, the peer reports ").append(st.remoteFractionLost() * 100 / 256)
                            .append(" % lost\n");
                }
            }
            for (Subscription s : subscriptions) {
                if (s.forwarded() != null) {
                    b.append(s.forwarded().summary(now)).append('\n');
                }
            }
            return b.toString();
        });
    }

    /** A member is off the loop: its tracks leave the room, and every member that received them is offered their removal. */
    private void leave(Member m, RtcLoop.Departure departure) {
        members.remove(m);
        publications.removeIf(p -> p.from() == m);
        subscriptions.removeIf(s -> s.to() == m);
        List<Member> told = new ArrayList<>();
        for (Subscription s : subscriptions) {
            if (s.publication().from() == m) {
                s.to().toStop.add(s.mid());
                if (!told.contains(s.to())) {
                    told.add(s.to());
                }
            }
        }
        subscriptions.removeIf(s -> s.publication().from() == m);
        for (Member other : members) {
            other.toOffer.removeIf(p -> p.from() == m);
        }
        log.printf("[chat] member %d left: %s%s (%d in the room)%n", m.number, departure.reason(),
                departure.sendErrors() > 0 ? ", " + departure.sendErrors() + " datagrams could not be sent" : "", members.size());
        for (Member other : told) {
            renegotiate(other);
        }
    }

    /** Members in the room. */
    public int members() {
        return loop.size();
    }

    /** The fingerprint every answer carries: one certificate per server. */
    public String fingerprint() {
        return certificate.fingerprint().toSdpValue();
    }

    /** Stops serving; every member is removed. */
    @Override
    public void close() {
        http.close();
        loop.close();
    }

    public static void main(String[] args) throws Exception {
        ServerOptions options = ServerOptions.parseOrExit("chat", FlightRecording.fromArgs(args, System.out));
        SignalingServer.limitConnections();
        ChatServer server = start(options, System.out);
        System.out.printf("eddy chat: open %s in two or more browser tabs, press 'camera', then 'connect'%n",
                options.pageUrl(server.http.address().getPort()));
        System.out.print(options.describe());
        System.out.println("  every member receives every other member's camera and microphone, through one socket and one thread");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }

    /** A packet's clock rate, 90 kHz when its payload type is not negotiated (only its timestamp's unit depends on it). */
    private static int clockRateOf(PayloadParams params) {
        return params == null ? 90_000 : params.spec().clockRate();
    }
}
