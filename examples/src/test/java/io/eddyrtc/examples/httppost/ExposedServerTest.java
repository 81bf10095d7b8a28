package io.eddyrtc.examples.httppost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.examples.chat.ChatServer;
import io.eddyrtc.examples.loop.PeerLimits;
import io.eddyrtc.examples.loop.UdpServerLoop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both browser examples, as a stranger on the network meets them: bodies over the limit, malformed offers, a
 * full server, offers that never connect, a peer that vanishes, a peer no datagram can be sent to. The client
 * is an eddy {@code Rtc} on a loopback socket (no browser needed); timeouts are short and every wait is on a
 * condition with a generous bound.
 */
class ExposedServerTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    /** One running example server, whichever it is. */
    record Running(String url, UdpServerLoop<?> loop, Supplier<String> fingerprint, AutoCloseable server, ByteArrayOutputStream log)
            implements AutoCloseable {
        String printed() {
            return log.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    enum Kind {
        HTTP_POST, CHAT;

        Running start(ServerOptions options) throws Exception {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            return switch (this) {
                case HTTP_POST -> {
                    HttpPostServer s = HttpPostServer.start(options, log);
                    yield new Running(s.url(), s.loop(), s::fingerprint, s, bytes);
                }
                case CHAT -> {
                    ChatServer s = ChatServer.start(options, log);
                    yield new Running(s.url(), s.loop(), s::fingerprint, s, bytes);
                }
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anOfferOverTheBodyLimitIsRefusedAndNobodyJoins(Kind kind) throws Exception {
        try (Running server = kind.start(ServerOptions.loopback()); HttpClient http = HttpClient.newHttpClient()) {
            String huge = "{\"type\":\"offer\",\"sdp\":\"" + "a".repeat(SignalingServer.MAX_BODY_BYTES) + "\"}";
            HttpResponse<String> response = post(http, server.url(), huge);
            assertEquals(413, response.statusCode(), response.body());
            assertTrue(response.body().contains("larger than 256 KiB"), response.body());
            assertEquals(0, server.loop().joined(), "no peer was made for it");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void malformedOffersGet400AndLeaveNoPeerSocketOrThreadBehind(Kind kind) throws Exception {
        try (Running server = kind.start(ServerOptions.loopback()); HttpClient http = HttpClient.newHttpClient()) {
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(server.url())).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the page (so the HTTP server's own threads exist)");
            Set<Thread> before = platformThreads();
            String offer = Rtc.builder().build().sdpApi().addChannel("eddy").apply().orElseThrow().offer().toJson();
            List<String> bodies = List.of(
                    "not json at all",
                    "{\"type\":\"offer\"}",
                    "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}",
                    "{\"type\":\"offer\",\"sdp\":\"" + "garbage\\r\\n".repeat(2000) + "\"}",
                    offer.replaceAll("a=ice-ufrag:[^\\\\]*\\\\r\\\\n", "").replaceAll("a=ice-pwd:[^\\\\]*\\\\r\\\\n", ""),
                    offer.replaceAll("a=fingerprint:[^\\\\]*\\\\r\\\\n", ""));
            for (String body : bodies) {
                HttpResponse<String> response = post(http, server.url(), body);
                assertEquals(400, response.statusCode(), body.substring(0, Math.min(80, body.length())) + " -> " + response.body());
                assertTrue(response.body().startsWith("offer refused: "), response.body());
                assertTrue(response.body().length() <= 220 && !response.body().contains("\n"), "short and on one line: " + response.body());
                System.out.println(kind + " 400: " + response.body());
            }
            assertEquals(0, server.loop().joined(), "nobody joined: " + server.printed());
            assertEquals(0, server.loop().size());
            assertEquals(List.of(), newServerThreads(before), "no thread was started for an offer");
            assertEquals(0, server.loop().poolSlotsInUse(), "no pool slot is held");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aFullServerAnswers503(Kind kind) throws Exception {
        ServerOptions options = ServerOptions.loopback().withLimits(PeerLimits.defaults().withMaxPeers(2));
        try (Running server = kind.start(options); HttpClient http = HttpClient.newHttpClient()) {
            String offer = candidateLessOffer();
            assertEquals(200, post(http, server.url(), offer).statusCode());
            assertEquals(200, post(http, server.url(), offer).statusCode());
            HttpResponse<String> third = post(http, server.url(), offer);
            assertEquals(503, third.statusCode(), third.body());
            assertTrue(third.body().contains("full (2 "), third.body());
            assertEquals(2, server.loop().size());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyAnswerCarriesTheServersOneCertificate(Kind kind) throws Exception {
        try (Running server = kind.start(ServerOptions.loopback()); HttpClient http = HttpClient.newHttpClient()) {
            Set<String> fingerprints = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> answer = post(http, server.url(), candidateLessOffer());
                assertEquals(200, answer.statusCode(), answer.body());
                Matcher m = Pattern.compile("a=fingerprint:([^\\\\]+)\\\\r\\\\n").matcher(answer.body());
                assertTrue(m.find(), answer.body());
                fingerprints.add(m.group(1));
            }
            assertEquals(Set.of(server.fingerprint().get()), fingerprints, "one certificate for every join");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void offersThatNeverConnectAreRemovedWithinTheConnectTimeout(Kind kind) throws Exception {
        ServerOptions options = ServerOptions.loopback()
                .withLimits(PeerLimits.defaults().withMaxPeers(250).withConnectTimeout(Duration.ofSeconds(1)));
        try (Running server = kind.start(options); HttpClient http = HttpClient.newHttpClient()) {
            post(http, server.url(), candidateLessOffer()); // the HTTP server's own threads exist after this one
            Set<Thread> before = platformThreads();
            String offer = candidateLessOffer();
            for (int i = 0; i < 199; i++) {
                HttpResponse<String> response = post(http, server.url(), offer);
                assertEquals(200, response.statusCode(), response.body());
            }
            assertEquals(200, server.loop().joined());
            assertTrue(JoiningPeer.await(() -> server.loop().size() == 0, BOUND),
                    "every peer that never connected is removed: " + server.loop().size() + " left");
            assertEquals(200, server.loop().removed());
            assertTrue(server.printed().contains("not connected 1 s after joining"), server.printed());
            assertEquals(0, server.loop().poolSlotsInUse(), "their pool slots are back");
            assertEquals(List.of(), newServerThreads(before), "no thread per peer");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aPeerThatStopsAnsweringIsRemoved(Kind kind) throws Exception {
        ServerOptions options = ServerOptions.loopback().withConsentTimeout(Duration.ofSeconds(2))
                .withLimits(PeerLimits.defaults().withDisconnectedTimeout(Duration.ofSeconds(1)));
        try (Running server = kind.start(options); HttpClient http = HttpClient.newHttpClient();
             JoiningPeer peer = JoiningPeer.withChannel()) {
            assertEquals(200, peer.join(http, server.url()).statusCode());
            assertTrue(JoiningPeer.await(() -> peer.connected() && peer.channelsOpen() == 1, BOUND),
                    "the peer connects first: " + server.printed() + " " + peer.failure());
            assertEquals(1, server.loop().size());
            peer.stop();
            assertTrue(JoiningPeer.await(() -> server.loop().size() == 0, BOUND),
                    "the silent peer is removed: " + server.printed());
            assertTrue(server.printed().matches("(?s).*(removed|left): (ICE disconnected|ICE failed).*"), server.printed());
            assertEquals(0, server.loop().poolSlotsInUse(), "its pool slots are back");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aPeerNothingCanBeSentToDoesNotStopTheOthers(Kind kind) throws Exception {
        ServerOptions options = ServerOptions.loopback().withLimits(PeerLimits.defaults().withConnectTimeout(Duration.ofSeconds(3)));
        try (Running server = kind.start(options); HttpClient http = HttpClient.newHttpClient()) {
            List<JoiningPeer> unreachable = new ArrayList<>();
            for (String address : List.of("255.255.255.255:9", "127.0.0.1:0")) { // broadcast, port 0: sends fail
                String[] hostPort = address.split(":");
                JoiningPeer p = new JoiningPeer(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])),
                        api -> api.addChannel("eddy"));
                unreachable.add(p);
                assertEquals(200, post(http, server.url(), p.offerJson()).statusCode());
            }
            try (JoiningPeer good = JoiningPeer.withChannel()) {
                assertTrue(JoiningPeer.await(() -> server.loop().sendErrors() > 0, BOUND),
                        "the server tried the bad candidates and counted the failures: " + server.printed());
                assertEquals(200, good.join(http, server.url()).statusCode());
                assertTrue(JoiningPeer.await(() -> good.connected() && good.channelsOpen() == 1, BOUND),
                        "the good peer connects beside them: " + server.printed());
                assertTrue(JoiningPeer.await(() -> server.loop().size() == 1, BOUND),
                        "the unreachable ones are removed when they do not connect: " + server.printed());
                assertTrue(server.printed().contains("datagrams could not be sent"), server.printed());
                assertNull(good.failure());
            }
            for (JoiningPeer p : unreachable) {
                p.close();
            }
        }
    }

    /** An eddy offer with a data channel and a camera, and no candidate: ICE can never connect. */
    static String candidateLessOffer() {
        SdpApi api = Rtc.builder().build().sdpApi();
        api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY);
        api.addChannel("eddy");
        return api.apply().orElseThrow().offer().toJson();
    }

    static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Set<Thread> platformThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /**
     * Live platform threads that were not there {@code before}, leaving out the JDK's own: the HTTP client's
     * workers, and the carriers and I/O pollers of the HTTP server's virtual threads, which come and go with load.
     */
    static List<String> newServerThreads(Set<Thread> before) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (!before.contains(t) && t.isAlive() && !name.startsWith("HttpClient-") && !name.startsWith("ForkJoinPool")
                    && !name.endsWith("Poller")) {
                names.add(name);
            }
        }
        return names;
    }
}
