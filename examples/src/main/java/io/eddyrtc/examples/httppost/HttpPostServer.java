package io.eddyrtc.examples.httppost;

import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.examples.loop.UdpRunLoop;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./eddy http-post}: str0m's http-post example on eddy. It serves a page; the browser POSTs its
 * offer as JSON and gets the answer back; each browser gets its own {@code Rtc} on its own UDP socket and
 * run-loop thread. Data channel messages are logged and echoed back.
 *
 * <p>The {@code Rtc} answers the offer itself ({@link Rtc#acceptOffer}): the data channel is accepted and the
 * camera and microphone are received with the codecs both sides support, and logged as {@code MediaData}
 * like str0m's example. It answers DTLS-passive, so the browser is the DTLS client and opens SCTP alone.
 */
public final class HttpPostServer implements AutoCloseable {

    /** One browser's peer connection. */
    public static final class Session {
        final int number;
        final Rtc rtc;
        final UdpRunLoop loop;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong messages = new AtomicLong();
        final AtomicLong videoFrames = new AtomicLong();
        final AtomicLong keyframes = new AtomicLong();
        final AtomicLong audioFrames = new AtomicLong();
        volatile boolean connected;
        volatile boolean channelOpen;
        Thread thread;

        Session(int number, Rtc rtc, UdpRunLoop loop) {
            this.number = number;
            this.rtc = rtc;
            this.loop = loop;
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

    private final SignalingServer http;
    private final InetAddress hostIp;
    private final PrintStream log;
    private final DtlsCertificate certificate = DtlsCertificate.generate(new SecureRandom());
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();

    private HttpPostServer(InetSocketAddress httpAddress, InetAddress hostIp, PrintStream log) throws IOException {
        this.hostIp = hostIp;
        this.log = log;
        this.http = SignalingServer.start(httpAddress, this::answer);
    }

    public static HttpPostServer start(InetSocketAddress httpAddress, InetAddress hostIp, PrintStream log) throws IOException {
        return new HttpPostServer(httpAddress, hostIp, log);
    }

    public String url() {
        return http.url();
    }

    public List<Session> sessions() {
        return List.copyOf(sessions);
    }

    private String answer(String offerJson) throws IOException {
        String offer = Json.string(offerJson, "sdp");
        if (offer == null || !"offer".equals(Json.string(offerJson, "type"))) {
            throw new IllegalArgumentException("POST {\"type\":\"offer\",\"sdp\":\"...\"}");
        }
        Rtc rtc = Rtc.builder().certificate(certificate).sdp(new SdpConfig().answerPassive(true)).build();
        UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress(hostIp, 0));
        String answer;
        try {
            rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
            answer = rtc.acceptOffer(SdpOffer.fromSdp(offer)).toSdp();
        } catch (RuntimeException e) {
            loop.close();
            throw e;
        }
        Session session = new Session(counter.incrementAndGet(), rtc, loop);
        sessions.add(session);
        session.thread = Thread.ofPlatform().name("rtc-" + session.number).start(() -> run(session));
        log.printf("[%d] offer from a browser; answering from %s%n", session.number, loop.localAddress());
        return "{\"type\":\"answer\",\"sdp\":" + Json.quote(answer) + "}";
    }

    private void run(Session s) {
        try (UdpRunLoop loop = s.loop) {
            loop.run(e -> {
                switch (e) {
                    case Event.IceConnectionStateChange c -> log.printf("[%d] ICE %s%n", s.number, c.state());
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
                        log.printf("[%d] data channel %d: %d %s bytes, echoed%n", s.number, d.id(), d.data().length,
                                d.binary() ? "binary" : "text");
                        s.rtc.channel(d.id()).write(d.binary(), d.data());
                    }
                    case Event.MediaData m -> {
                        if (m.codec().kind() == io.eddyrtc.engine.media.MediaKind.VIDEO) {
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
                    case Event.DtlsFailed f -> log.printf("[%d] DTLS failed: %s%n", s.number, f.reason());
                    case Event.ChannelsClosed c -> log.printf("[%d] data channels closed: %s%n", s.number, c.reason());
                    default -> { }
                }
            }, s.stop::get);
        } catch (IOException | RuntimeException e) {
            log.printf("[%d] stopped: %s%n", s.number, e);
        }
        log.printf("[%d] closed%n", s.number);
    }

    @Override
    public void close() {
        http.close();
        for (Session s : sessions) {
            s.stop.set(true);
            try {
                s.thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The machine's first usable non-loopback IPv4 address, else 127.0.0.1. */
    public static InetAddress defaultHostIp() throws SocketException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : nic.inetAddresses().toList()) {
                if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        return InetAddress.getLoopbackAddress();
    }

    public static void main(String[] args) throws Exception {
        ServerOptions options = ServerOptions.parse("http-post", args);
        int port = options.port();
        InetAddress hostIp = options.hostIp();
        HttpPostServer server = start(new InetSocketAddress(port), hostIp, System.out);
        System.out.printf("eddy http-post: open http://localhost:%d/ in a browser (ICE candidate %s)%n", port, hostIp.getHostAddress());
        System.out.println("  the page's camera (VP8) and microphone (Opus) are received and logged; data channel messages are echoed");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
