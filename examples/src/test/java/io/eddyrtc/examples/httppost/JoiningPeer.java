package io.eddyrtc.examples.httppost;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.examples.loop.UdpRunLoop;
import io.eddyrtc.ice.Candidate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * An eddy {@code Rtc} that joins an example server the way the page's {@code client.js} does: it POSTs its
 * offer, applies the answer, runs the README's loop on its own loopback socket and thread, and answers the
 * offers the chat server sends over a data channel. {@link #stop()} silences it without a goodbye, like a
 * browser whose machine vanished.
 */
public final class JoiningPeer implements AutoCloseable {
    private final Rtc rtc = Rtc.builder().build();
    private final UdpRunLoop loop;
    private final SdpApi.Offer offer;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger channelsOpen = new AtomicInteger();
    private final List<String> offersReceived = new CopyOnWriteArrayList<>();
    private volatile boolean connected;
    private volatile Throwable failure;
    private Thread thread;

    /** A peer on {@code candidate} (port 0 binds a free one on loopback) whose offer {@code tracks} fills in. */
    public JoiningPeer(InetSocketAddress candidate, Consumer<SdpApi> tracks) throws IOException {
        this.loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
        rtc.addLocalCandidate(Candidate.host(candidate.getPort() == 0 ? loop.localAddress() : candidate));
        SdpApi api = rtc.sdpApi();
        tracks.accept(api);
        this.offer = api.apply().orElseThrow();
    }

    /** A peer with one data channel on its own loopback socket. */
    public static JoiningPeer withChannel() throws IOException {
        return new JoiningPeer(new InetSocketAddress("127.0.0.1", 0), api -> api.addChannel("eddy"));
    }

    public String offerJson() {
        return offer.offer().toJson();
    }

    /** POSTs the offer to {@code url}; on a 200 applies the answer and starts running. Returns the response. */
    public HttpResponse<String> join(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(offerJson())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
            rtc.acceptAnswer(offer.pending(), SdpAnswer.fromJson(response.body()));
            thread = Thread.ofPlatform().name("joining-peer").start(this::run);
        }
        return response;
    }

    private void run() {
        try {
            loop.run(this::onEvent, stop::get);
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    private void onEvent(Event e) {
        switch (e) {
            case Event.Connected c -> connected = true;
            case Event.ChannelOpen o -> channelsOpen.incrementAndGet();
            case Event.ChannelData d when !d.binary() && d.text().startsWith("{\"type\":\"offer\"") -> {
                offersReceived.add(d.text()); // the chat server renegotiates: answer on the same channel
                rtc.channel(d.id()).writeText(rtc.acceptOffer(SdpOffer.fromJson(d.text())).toJson());
            }
            default -> { }
        }
    }

    public boolean connected() {
        return connected;
    }

    public int channelsOpen() {
        return channelsOpen.get();
    }

    /** The offers the server sent over the data channel, as JSON, in order. */
    public List<String> offersReceived() {
        return List.copyOf(offersReceived);
    }

    /** What went wrong on the peer's own thread, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Stops answering anything, without a goodbye: the loop ends and the socket closes. */
    public void stop() throws InterruptedException, IOException {
        stop.set(true);
        if (thread != null) {
            thread.join(5_000);
        }
        loop.close();
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** Waits until {@code condition} holds, at most {@code bound}; true if it did. Polls, never sleeps a fixed time to pass. */
    public static boolean await(BooleanSupplier condition, Duration bound) throws InterruptedException {
        long giveUp = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
