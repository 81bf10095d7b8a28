package io.eddyrtc.examples.chat;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.engine.sdp.SdpPendingOffer;
import io.eddyrtc.examples.httppost.Json;
import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.ice.Candidate;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./eddy chat}: a small SFU on eddy, like str0m's chat example. Every browser that joins publishes
 * its camera and microphone and receives everyone else's. All peers share <b>one UDP socket and one
 * thread</b>: datagrams are routed with {@link Rtc#accepts}, every {@code Rtc} runs in RTP mode, and each
 * received packet is forwarded to the other members with its SSRC and payload type rewritten — no
 * depacketizing, no allocation per packet.
 *
 * <p>Joining is http-post's offer/answer. When a member publishes a track, the server renegotiates with every
 * other member itself: it offers a send-only m-line through {@link Rtc#sdpApi()} and sends the offer over the
 * member's data channel, whose page answers on the same channel. Keyframe requests from a subscriber go to
 * the publisher of the track.
 */
public final class ChatServer implements AutoCloseable {

    /** One member: its peer connection, its signalling channel and its pending renegotiation. */
    private static final class Member {
        final int number;
        final Rtc rtc;
        int channel = -1;
        SdpPendingOffer pending;
        long deadline;
        final List<Publication> toOffer = new ArrayList<>();
        boolean connected;

        Member(int number, Rtc rtc) {
            this.number = number;
            this.rtc = rtc;
        }
    }

    /** A track one member publishes (its mid in that member's session) and where it is forwarded. */
    private record Publication(Member from, String mid, MediaKind kind) {}

    /** A publication as one subscriber receives it: the mid in the subscriber's session. */
    private record Subscription(Publication publication, Member to, String mid) {}

    private final PacketPool pool = PacketPool.builder().slotSize(2048).maxSlots(16_384).build();
    private final DatagramChannel socket;
    private final Selector selector;
    private final InetSocketAddress local;
    private final SignalingServer http;
    private final PrintStream log;
    private final List<Member> members = new ArrayList<>();
    private final List<Publication> publications = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final MemorySegment scratch = Arena.ofAuto().allocate(2048);
    private final Thread loop;
    private int joined;

    private ChatServer(InetSocketAddress httpAddress, InetAddress hostIp, PrintStream log) throws IOException {
        this.log = log;
        this.socket = DatagramChannel.open();
        socket.bind(new InetSocketAddress(hostIp, 0));
        socket.configureBlocking(false);
        this.local = (InetSocketAddress) socket.getLocalAddress();
        this.selector = Selector.open();
        socket.register(selector, SelectionKey.OP_READ);
        this.http = SignalingServer.start(httpAddress, this::join);
        this.loop = Thread.ofPlatform().name("chat-loop").start(this::run);
    }

    public static ChatServer start(InetSocketAddress httpAddress, InetAddress hostIp, PrintStream log) throws IOException {
        return new ChatServer(httpAddress, hostIp, log);
    }

    public String url() {
        return http.url();
    }

    /** An offer POSTed by a joining page: answered on the loop thread, which owns every Rtc. */
    private String join(String offerJson) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                Rtc rtc = Rtc.builder().pool(pool).rtpMode(true).sdp(new SdpConfig().answerPassive(true)).build();
                rtc.addLocalCandidate(Candidate.host(local));
                Member m = new Member(++joined, rtc);
                members.add(m);
                answer.complete(rtc.acceptOffer(SdpOffer.fromJson(offerJson)).toJson());
                log.printf("[chat] member %d joined (%d in the room)%n", m.number, members.size());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        selector.wakeup();
        return answer.get(10, TimeUnit.SECONDS);
    }

    /** The loop: one socket, every member's Rtc, forwarding in between. */
    private void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        MemorySegment bufSegment = MemorySegment.ofBuffer(buf);
        try {
            while (!stop.get()) {
                try {
                    turn(buf, bufSegment);
                } catch (RuntimeException bug) { // one member's trouble must not end the room
                    log.printf("[chat] %s%n", bug);
                }
            }
        } catch (IOException e) {
            log.printf("[chat] stopped: %s%n", e);
        }
    }

    /** One turn of the loop: set-up tasks, every member's output, one datagram or a timeout, every member's timers. */
    private void turn(ByteBuffer buf, MemorySegment bufSegment) throws IOException {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
        }
        long deadline = Long.MAX_VALUE;
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            m.deadline = drain(m);
            deadline = Math.min(deadline, m.deadline);
        }
        long wait = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), 50));
        buf.clear();
        InetSocketAddress from = (InetSocketAddress) socket.receive(buf);
        if (from == null && selector.select(wait) > 0) {
            selector.selectedKeys().clear();
            from = (InetSocketAddress) socket.receive(buf);
        }
        long now = System.nanoTime();
        if (from != null) {
            for (int i = 0; i < members.size(); i++) {
                Rtc rtc = members.get(i).rtc;
                if (rtc.accepts(from, bufSegment, 0, buf.position())) {
                    rtc.handleReceive(now, from, local, bufSegment, 0, buf.position());
                    break;
                }
            }
        }
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (now >= m.deadline) {
                m.rtc.handleTimeout(now);
            }
        }
        members.removeIf(m -> !m.rtc.isAlive() && leave(m));
    }

    /** Polls one member until its timeout: sends its datagrams, acts on its events; returns its deadline. */
    private long drain(Member m) throws IOException {
        while (true) {
            Output out = m.rtc.pollOutput();
            switch (out) {
                case Output.Timeout t -> {
                    return t.atNanos();
                }
                case Output.Transmit x -> socket.send(x.contents().asByteBuffer(), x.destination());
                case Event.RtpPacket p -> forward(m, p);
                case Event e -> onEvent(m, e);
            }
        }
    }

    private void onEvent(Member m, Event e) {
        switch (e) {
            case Event.Connected c -> {
                m.connected = true;
                log.printf("[chat] member %d connected%n", m.number);
            }
            case Event.ChannelOpen o -> {
                m.channel = o.id();
                for (Publication p : publications) { // what the room already publishes
                    if (p.from() != m) {
                        m.toOffer.add(p);
                    }
                }
                renegotiate(m);
            }
            case Event.MediaAdded a when a.direction() == Direction.RECV_ONLY -> {
                Publication p = new Publication(m, a.mid(), a.kind());
                publications.add(p);
                log.printf("[chat] member %d publishes %s (mid %s)%n", m.number, a.kind(), a.mid());
                for (Member other : members) {
                    if (other != m && other.channel >= 0) {
                        other.toOffer.add(p);
                        renegotiate(other);
                    }
                }
            }
            case Event.ChannelData d when !d.binary() && d.text().startsWith("{\"type\":\"answer\"") -> {
                if (m.pending != null) {
                    m.rtc.acceptAnswer(m.pending, SdpAnswer.fromSdp(Json.string(d.text(), "sdp")));
                    m.pending = null;
                    for (Subscription s : subscriptions) {
                        Member publisher = s.publication().from();
                        if (s.to() == m && publisher.connected) {
                            publisher.rtc.media(s.publication().mid()).requestKeyframe(); // start with a keyframe
                        }
                    }
                    renegotiate(m); // whatever was published meanwhile
                }
            }
            case Event.KeyframeRequest k -> {
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

    /** Offers the member the publications it does not receive yet, unless an offer of ours is pending. */
    private void renegotiate(Member m) {
        if (m.pending != null || m.toOffer.isEmpty() || m.channel < 0) {
            return;
        }
        SdpApi api = m.rtc.sdpApi();
        for (Publication p : m.toOffer) {
            String mid = api.addMedia(p.kind(), Direction.SEND_ONLY).value();
            subscriptions.add(new Subscription(p, m, mid));
        }
        m.toOffer.clear();
        SdpApi.Offer offer = api.apply().orElseThrow();
        m.pending = offer.pending();
        m.rtc.channel(m.channel).writeText(offer.offer().toJson());
    }

    /** One RTP packet from a publisher to every subscriber of that track: SSRC and payload type rewritten. */
    private void forward(Member from, Event.RtpPacket p) {
        for (int i = 0; i < subscriptions.size(); i++) {
            Subscription s = subscriptions.get(i);
            if (s.publication().from() != from || !s.publication().mid().equals(p.mid())) {
                continue;
            }
            Media target = s.to().rtc.media(s.mid());
            if (target == null || !s.to().connected) {
                continue; // offered, not answered yet: the m-line exists once the subscriber's answer is in
            }
            int pt = samePayloadType(from.rtc.media(p.mid()).payloadParams(), p.header().payloadType(), target.payloadParams());
            if (pt < 0) {
                continue; // the subscriber has no payload type for this codec (RTX, RED: not forwarded here)
            }
            MemorySegment.copy(p.segment(), 0, scratch, 0, p.length());
            BigEndian.putU32(scratch, 8, target.sendStreams().getFirst().ssrc());
            BigEndian.putU8(scratch, 1, (p.header().marker() ? 0x80 : 0) | pt);
            s.to().rtc.writeRtp(scratch, 0, p.length());
        }
    }

    /** The subscriber's payload type for the codec the publisher's {@code pt} carries, or -1 (indexed loops: per packet). */
    private static int samePayloadType(List<PayloadParams> publisher, int pt, List<PayloadParams> subscriber) {
        for (int i = 0; i < publisher.size(); i++) {
            if (publisher.get(i).pt() == pt) {
                for (int j = 0; j < subscriber.size(); j++) {
                    if (subscriber.get(j).codec() == publisher.get(i).codec()) {
                        return subscriber.get(j).pt();
                    }
                }
            }
        }
        return -1;
    }

    private boolean leave(Member m) {
        log.printf("[chat] member %d left%n", m.number);
        subscriptions.removeIf(s -> s.to() == m || s.publication().from() == m);
        publications.removeIf(p -> p.from() == m);
        return true;
    }

    /** Members in the room (for tests). */
    public int members() {
        CompletableFuture<Integer> n = new CompletableFuture<>();
        tasks.add(() -> n.complete(members.size()));
        selector.wakeup();
        return n.join();
    }

    @Override
    public void close() throws Exception {
        http.close();
        stop.set(true);
        selector.wakeup();
        loop.join(2000);
        selector.close();
        socket.close();
    }

    public static void main(String[] args) throws Exception {
        ServerOptions options = ServerOptions.parse("chat", args);
        int port = options.port();
        InetAddress hostIp = options.hostIp();
        ChatServer server = start(new InetSocketAddress(port), hostIp, System.out);
        System.out.printf("eddy chat: open http://localhost:%d/ in two or more browser tabs, press 'camera', then 'connect'%n", port);
        System.out.println("  every member receives every other member's camera and microphone, through one socket and one thread");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }));
        Thread.currentThread().join();
    }
}
