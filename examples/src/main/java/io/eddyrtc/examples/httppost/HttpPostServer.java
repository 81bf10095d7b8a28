package io.eddyrtc.examples.httppost;

import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.examples.jfr.FlightRecording;
import io.eddyrtc.examples.mdns.MdnsResolver;
import io.eddyrtc.net.RtcLoop;
import io.eddyrtc.net.RtcLoopConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./eddy http-post}: str0m's http-post example on eddy. It serves a page; the browser POSTs its
 * offer as JSON and gets the answer back. Every browser's {@code Rtc} runs on one UDP socket and one thread
 * (an {@link RtcLoop}), with one DTLS certificate for all. Data channel messages are logged and echoed
 * back.
 *
 * <p>The {@code Rtc} answers the offer itself ({@link Rtc#acceptOffer}): the data channel is accepted and the
 * camera and microphone are received with the codecs both sides support, and logged as {@code MediaData}
 * like str0m's example. It answers DTLS-passive, so the browser is the DTLS client and opens SCTP alone.
 *
 * <p>Safe to expose: offers over 256 KiB get a 413, malformed ones a 400 before any {@code Rtc} exists, a
 * full server a 503; browsers that never connect or went away are removed ({@link ServerOptions#limits()}).
 */
public final class HttpPostServer implements AutoCloseable {

    /** One browser's peer connection. */
    public static final class Session {
        final int number;
        final Rtc rtc;
        final AtomicLong messages = new AtomicLong();
        final AtomicLong videoFrames = new AtomicLong();
        final AtomicLong keyframes = new AtomicLong();
        final AtomicLong audioFrames = new AtomicLong();
        volatile boolean connected;
        volatile boolean channelOpen;

        Session(int number, Rtc rtc) {
            this.number = number;
            this.rtc = rtc;
        }

        public boolean connected() {
            return connected;
        }

        public boolean channelOpen() {
            return channelOpen;
        }

        public long videoFrames() {
            return videoFrames.get();
        }

        public long keyframes() {
            return keyframes.get();
        }

        public long audioFrames() {
            return audioFrames.get();
        }

        /** Data channel messages received (and echoed). */
        public long messages() {
            return messages.get();
        }
    }

    private static final Duration MDNS_TIMEOUT = Duration.ofSeconds(3);

    private final ServerOptions options;
    private final PrintStream log;
    private final DtlsCertificate certificate = DtlsCertificate.generate(new SecureRandom());
    private final RtcLoop<Session> loop;
    private final SignalingServer http;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private int counter; // on the loop thread

    private HttpPostServer(ServerOptions options, PrintStream log) throws IOException {
        this.options = options;
        this.log = log;
        this.loop = RtcLoop.start(RtcLoopConfig.builder(new InetSocketAddress(options.hostIp(), 0)).name("http-post-loop").limits(options.limits())
                        .tcp(options.tcp()).build(),
                new RtcLoop.Peers<>() {
                    @Override
                    public void onEvent(Session s, Event e) {
                        HttpPostServer.this.onEvent(s, e);
                    }

                    @Override
                    public void onRemoved(Session s, RtcLoop.Departure departure) {
                        sessions.remove(s);
                        log.printf("[%d] removed: %s%s%n", s.number, departure.reason(),
                                departure.sendErrors() > 0 ? " (" + departure.sendErrors() + " datagrams could not be sent)" : "");
                    }
                });
        try {
            this.http = SignalingServer.start(options.http(), options.tls(), this::answer);
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    public static HttpPostServer start(ServerOptions options, PrintStream log) throws IOException {
        return new HttpPostServer(options, log);
    }

    public String url() {
        return http.url();
    }

    /** The live sessions (a removed one is gone from here). */
    public List<Session> sessions() {
        return List.copyOf(sessions);
    }

    /** The loop every session runs on, for its counters. */
    public RtcLoop<Session> loop() {
        return loop;
    }

    /** The fingerprint every answer carries: one certificate per server. */
    public String fingerprint() {
        return certificate.fingerprint().toSdpValue();
    }

    /** One POSTed offer: parsed here (a malformed one never reaches the loop), answered on the loop thread. */
    private String answer(String offerJson) throws Exception {
        SdpOffer offer = SdpOffer.fromJson(offerJson);
        return loop.call(() -> {
            if (!loop.hasRoom()) {
                throw new SignalingServer.Refusal(503, "the server is full (" + options.limits().maxPeers() + " browsers); try again later");
            }
            return loop.join(Rtc.builder().certificate(certificate).ice(options.ice()).sdp(new SdpConfig().answerPassive(true)),
                    offer, rtc -> {
                        Session session = new Session(++counter, rtc);
                        sessions.add(session);
                        log.printf("[%d] offer from a browser; answering from %s%n", session.number, loop.localAddress());
                        return session;
                    }).toJson();
        });
    }

    private void onEvent(Session s, Event e) {
        switch (e) {
            case Event.IceConnectionStateChange c -> log.printf("[%d] ICE %s%n", s.number, c.state());
            case Event.SelectedPairChange p -> log.printf("[%d] ICE path over %s: %s -> %s%n", s.number,
                    p.local().transport().name().toLowerCase(java.util.Locale.ROOT), p.local().address(), p.remote().address());
            case Event.Connected c -> {
                s.connected = true;
                log.printf("[%d] connected (DTLS, SRTP %s)%n", s.number, s.rtc.srtpProfile());
            }
            case Event.ChannelOpen o -> {
                s.channelOpen = true;
                log.printf("[%d] data channel %d '%s' open%n", s.number, o.id(), o.label());
            }
            case Event.ChannelData d -> {
                s.messages.incrementAndGet();
                log.printf("[%d] data channel %d: %d %s bytes, echoed%n", s.number, d.id(), d.length(),
                        d.binary() ? "binary" : "text");
                s.rtc.channel(d.id()).write(d.binary(), d.segment(), 0, d.length()); // from the lent message, no copy of ours
            }
            case Event.MediaData m -> {
                if (m.codec().kind() == MediaKind.VIDEO) {
                    long n = s.videoFrames.incrementAndGet();
                    if (m.keyframe()) {
                        s.keyframes.incrementAndGet();
                    }
                    if (n == 60) {
                        s.rtc.requestKeyframe(m.mid()); // like a new viewer joining: the browser answers with one
                        log.printf("[%d] media %s: asked for a keyframe (RTCP PLI)%n", s.number, m.mid());
                    }
                    if (m.keyframe() || n % 30 == 1) {
                        log.printf("[%d] media %s: %s frame %d, %d bytes%s (rtp time %d)%n", s.number, m.mid(), m.codec(), n,
                                m.data().length, m.keyframe() ? ", keyframe" : "", m.rtpTime());
                    }
                } else if (s.audioFrames.incrementAndGet() % 50 == 1) {
                    log.printf("[%d] media %s: %s packet %d, %d bytes (rtp time %d)%n", s.number, m.mid(), m.codec(),
                            s.audioFrames.get(), m.data().length, m.rtpTime());
                }
            }
            case Event.MediaAdded a -> log.printf("[%d] media %s: %s %s, codecs %s%n", s.number, a.mid(), a.kind(),
                    a.direction(), s.rtc.media(a.mid()).payloadParams().stream().map(p -> p.codec() + "/" + p.pt()).toList());
            case Event.ResolveMdns r -> resolveLater(s, r.hostname());
            case Event.DtlsFailed f -> log.printf("[%d] DTLS failed: %s%n", s.number, f.reason());
            case Event.ChannelsClosed c -> log.printf("[%d] data channels closed: %s%n", s.number, c.reason());
            default -> { }
        }
    }

    /**
     * A candidate of the browser's names an mDNS host ({@code <uuid>.local}): resolved on the LAN off the loop thread
     * (a one-shot query, {@link MdnsResolver}), and the answer handed back to the session's {@code Rtc} on the loop.
     */
    private void resolveLater(Session s, String name) {
        log.printf("[%d] resolving %s over mDNS%n", s.number, name);
        Thread.ofVirtual().name("mdns-" + s.number).start(() -> {
            InetAddress found;
            try {
                found = MdnsResolver.resolve(name, MDNS_TIMEOUT);
            } catch (IOException | RuntimeException e) {
                found = null;
            }
            InetAddress address = found;
            try {
                loop.call(() -> {
                    if (address != null) {
                        s.rtc.mdnsResolved(name, address);
                        log.printf("[%d] resolved %s to %s%n", s.number, name, address.getHostAddress());
                    } else {
                        s.rtc.mdnsUnresolvable(name);
                        log.printf("[%d] %s did not resolve within %d s%n", s.number, name, MDNS_TIMEOUT.toSeconds());
                    }
                    return null;
                });
            } catch (Exception gone) { // the session or the server ended meanwhile: nobody needs the answer
                log.printf("[%d] %s resolved after the session ended%n", s.number, name);
            }
        });
    }

    /** Stops serving and removes every session. */
    @Override
    public void close() {
        http.close();
        loop.close();
    }

    public static void main(String[] args) throws Exception {
        ServerOptions options = ServerOptions.parseOrExit("http-post", FlightRecording.fromArgs(args, System.out));
        SignalingServer.limitConnections();
        HttpPostServer server = start(options, System.out);
        System.out.printf("eddy http-post: open %s in a browser (ICE candidate %s)%n",
                options.pageUrl(server.http.address().getPort()), options.hostIp().getHostAddress());
        System.out.print(options.describe());
        System.out.println("  the page's camera (VP8) and microphone (Opus) are received and logged; data channel messages are echoed");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
