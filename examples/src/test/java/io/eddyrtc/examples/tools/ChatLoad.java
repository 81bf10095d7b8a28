package io.eddyrtc.examples.tools;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.MediaWriter;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.ice.Candidate;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A browser-free load on {@code ./eddy chat}: P publishers, each an eddy {@code Rtc} sending a synthetic VP8-shaped
 * video track (30 frames a second, a keyframe every 2 s, about 600 kbit/s), and S viewers, joining the room the way
 * the page does (POST the offer, answer the room's offers on the data channel). Each member runs the README's loop
 * on its own loopback socket and thread. Prints what arrived once a second; used for {@code docs/profiling.md}'s
 * allocation profile of a server under load.
 *
 * <p>Run (with {@code JAVA_HOME} at a JDK 25), from {@code examples/} after {@code ./eddy build}:
 * {@code mvn -q dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=/tmp/cp.txt} and
 * {@code java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) io.eddyrtc.examples.tools.ChatLoad
 * http://127.0.0.1:3000/ PUBLISHERS VIEWERS SECONDS}. Test tooling, not an example: it reads the clock and
 * sleeps.
 */
public final class ChatLoad {
    private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(33);
    private static final int KEYFRAME_EVERY = 60;

    /** One member: an {@code Rtc} on its own socket and thread. */
    private static final class Member implements AutoCloseable {
        private final Rtc rtc = Rtc.builder().build();
        private final DatagramChannel socket;
        private final Selector selector;
        private final InetSocketAddress local;
        private final SdpApi.Offer offer;
        private final String videoMid;
        private final SplittableRandom random;
        private final AtomicLong framesIn = new AtomicLong();
        private final AtomicLong framesOut = new AtomicLong();
        private volatile boolean connected;
        private volatile boolean stop;
        private volatile Throwable failure;
        private MediaWriter writer;
        private long nextFrameAt;
        private long frames;
        private Thread thread;

        Member(boolean publisher, long seed) throws IOException {
            socket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            socket.configureBlocking(false);
            selector = Selector.open();
            socket.register(selector, SelectionKey.OP_READ);
            local = (InetSocketAddress) socket.getLocalAddress();
            random = new SplittableRandom(seed);
            rtc.addLocalCandidate(Candidate.host(local));
            SdpApi api = rtc.sdpApi();
            api.addChannel("chat");
            videoMid = publisher ? api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY).value() : null;
            offer = api.apply().orElseThrow();
        }

        void join(HttpClient http, String url) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(offer.offer().toJson())).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("the room refused a member: " + response.statusCode() + " " + response.body());
            }
            rtc.acceptAnswer(offer.pending(), SdpAnswer.fromJson(response.body()));
            thread = Thread.ofPlatform().name("load-member").start(this::run);
        }

        private void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            MemorySegment bufSegment = MemorySegment.ofBuffer(buf);
            try {
                while (!stop && rtc.isAlive()) {
                    long deadline;
                    while (true) {
                        Output out = rtc.pollOutput();
                        if (out instanceof Output.Timeout t) {
                            deadline = t.atNanos();
                            break;
                        }
                        switch (out) {
                            case Output.Transmit x -> socket.send(x.contents().asByteBuffer(), x.destination());
                            case Event e -> onEvent(e);
                            default -> { }
                        }
                    }
                    if (writer != null) {
                        deadline = Math.min(deadline, nextFrameAt);
                    }
                    long wait = deadline - System.nanoTime();
                    buf.clear();
                    InetSocketAddress from = (InetSocketAddress) socket.receive(buf);
                    if (from == null && wait > 0 && selector.select(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(wait)))) > 0) {
                        selector.selectedKeys().clear();
                        from = (InetSocketAddress) socket.receive(buf);
                    }
                    long now = System.nanoTime();
                    if (from == null) {
                        rtc.handleTimeout(now);
                    } else {
                        rtc.handleReceive(now, from, local, bufSegment, 0, buf.position());
                    }
                    if (writer != null && now >= nextFrameAt) {
                        sendFrame(now);
                    }
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }

        private void onEvent(Event e) {
            switch (e) {
                case Event.Connected c -> {
                    connected = true;
                    if (videoMid != null) {
                        Media media = rtc.media(videoMid);
                        writer = media.writer(media.pt());
                        nextFrameAt = System.nanoTime();
                    }
                }
                case Event.ChannelData d when !d.binary() && d.text().startsWith("{\"type\":\"offer\"") ->
                        rtc.channel(d.id()).writeText(rtc.acceptOffer(SdpOffer.fromJson(d.text())).toJson());
                case Event.MediaData m -> framesIn.incrementAndGet();
                default -> { }
            }
        }

        /** A VP8-shaped frame: a keyframe (P bit clear) every 2 s of about 6 KB, else about 2 KB. */
        private void sendFrame(long now) {
            boolean key = frames % KEYFRAME_EVERY == 0;
            byte[] frame = new byte[key ? 6000 : 1500 + random.nextInt(1000)];
            random.nextBytes(frame);
            frame[0] = (byte) (key ? frame[0] & 0xFE : frame[0] | 0x01);
            if (writer.write(now, MediaTime.of(frames * 3000, 90_000), frame)) {
                framesOut.incrementAndGet();
            }
            frames++;
            nextFrameAt += FRAME_NANOS;
        }

        @Override
        public void close() throws Exception {
            stop = true;
            if (thread != null) {
                thread.join(5_000);
            }
            selector.close();
            socket.close();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ChatLoad URL PUBLISHERS VIEWERS SECONDS");
            System.exit(2);
        }
        String url = args[0];
        int publishers = Integer.parseInt(args[1]);
        int viewers = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        List<Member> members = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < publishers + viewers; i++) {
                Member m = new Member(i < publishers, i);
                members.add(m);
                m.join(http, url);
            }
            long start = System.nanoTime();
            for (long s = 1; s <= seconds; s++) {
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(start + TimeUnit.SECONDS.toNanos(s) - System.nanoTime())));
                long connected = members.stream().filter(m -> m.connected).count();
                long out = members.stream().mapToLong(m -> m.framesOut.get()).sum();
                long in = members.stream().mapToLong(m -> m.framesIn.get()).sum();
                long failed = members.stream().filter(m -> m.failure != null).count();
                System.out.printf("%3d s: %d/%d connected, frames sent %d, received %d%s%n", s, connected, members.size(), out, in,
                        failed > 0 ? ", " + failed + " failed" : "");
            }
        } finally {
            for (Member m : members) {
                m.close();
                if (m.failure != null) {
                    System.out.println("a member failed: " + m.failure);
                }
            }
        }
    }
}
