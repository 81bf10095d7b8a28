package io.eddyrtc.examples.httppost;

import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.examples.chat.ChatServer;
import io.eddyrtc.net.RtcLoop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One running browser example ({@code http-post} or {@code chat}) as a test meets it from outside: the page's
 * URL, the UDP socket every peer talks to, the loop's counters and what the server printed.
 */
public record ExampleServer(Kind kind, String url, RtcLoop<?> loop, Supplier<String> fingerprint, AutoCloseable server,
                            ByteArrayOutputStream log) implements AutoCloseable {

    /** Which example. */
    public enum Kind {
        HTTP_POST, CHAT;

        /** Starts this example with {@code options}; what it prints is kept for {@link #printed()}. */
        public ExampleServer start(ServerOptions options) throws Exception {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            return switch (this) {
                case HTTP_POST -> {
                    HttpPostServer s = HttpPostServer.start(options, log);
                    yield new ExampleServer(this, s.url(), s.loop(), s::fingerprint, s, bytes);
                }
                case CHAT -> {
                    ChatServer s = ChatServer.start(options, log);
                    yield new ExampleServer(this, s.url(), s.loop(), s::fingerprint, s, bytes);
                }
            };
        }
    }

    /** The http-post server itself, for its sessions; fails for the chat server. */
    public HttpPostServer httpPost() {
        if (!(server instanceof HttpPostServer s)) {
            throw new IllegalStateException("this is the " + kind + " example, not http-post");
        }
        return s;
    }

    /** Where every peer sends its datagrams: the loop's one UDP socket. */
    public InetSocketAddress udpAddress() {
        return loop.localAddress();
    }

    /** Everything the server printed so far. */
    public String printed() {
        return log.toString(StandardCharsets.UTF_8);
    }

    /** POSTs {@code body} as an offer, as the page does, and returns the response (20 s bound). */
    public HttpResponse<String> post(HttpClient http, String body) throws Exception {
        return post(http, url, body);
    }

    /** POSTs {@code body} to the example server at {@code url}, as the page does (20 s bound). */
    public static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An eddy offer with a data channel and a camera, and no candidate: ICE can never connect. */
    public static String candidateLessOffer() {
        SdpApi api = Rtc.builder().build().sdpApi();
        api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY);
        api.addChannel("eddy");
        return api.apply().orElseThrow().offer().toJson();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
