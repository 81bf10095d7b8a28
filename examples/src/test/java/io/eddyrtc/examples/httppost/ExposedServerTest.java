package io.eddyrtc.examples.httppost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.Rtc;
import io.eddyrtc.net.PeerLimits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    @ParameterizedTest
    @EnumSource(ExampleServer.Kind.class)
    void anOfferOverTheBodyLimitIsRefusedAndNobodyJoins(ExampleServer.Kind kind) throws Exception {
        try (ExampleServer server = kind.start(ServerOptions.loopback()); HttpClient http = HttpClient.newHttpClient()) {
            String huge = "{\"type\":\"offer\",\"sdp\":\"" + "a".repeat(SignalingServer.MAX_BODY_BYTES) + "\"}";
            HttpResponse<String> response = server.post(http, huge);
            assertEquals(413, response.statusCode(), response.body());
            assertTrue(response.body().contains("larger than 256 KiB"), response.body());
            assertEquals(0, server.loop().joined(), "no peer was made for it");
        }
    }

    @ParameterizedTest
    @EnumSource(ExampleServer.Kind.class)
    void malformedOffersGet400AndLeaveNoPeerSocketOrThreadBehind(ExampleServer.Kind kind) throws Exception {
        try (ExampleServer server = kind.start(ServerOptions.loopback()); HttpClient http = HttpClient.newHttpClient()) {
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(server.url())).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the page (so the HTTP server's own threads exist)");
            Set<Thread> before = ServerThreads.snapshot();
            String offer = Rtc.builder().build().sdpApi().addChannel("eddy").apply().orElseThrow().offer().toJson();
            List<String> bodies = List.of(
                    "not json at all",
                    "{\"type\":\"offer\"}",
                    "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}",
                    "{\"type\":\"offer\",\"sdp\":\"" + "garbage\\r\\n".repeat(2000) + "\"}",
                    offer.replaceAll("a=ice-ufrag:[^\\\\]*\\\\r\\\\n", "").replaceAll("a=ice-pwd:[^\\\\]*\\\\r\\\\n", ""),
                    offer.replaceAll("a=fingerprint:[^\\\\]*\\\\r\\\\n", ""));
            for (String body : bodies) {
                HttpResponse<String> response = server.post(http, body);
                assertEquals(400, response.statusCode(), body.substring(0, Math.min(80, body.length())) + " -> " + response.body());
                assertTrue(response.body().startsWith("offer refused: "), response.body());
                assertTrue(response.body().length() <= 220 && !response.body().contains("\n"), "short and on one line: " + response.body());
                System.out.println(kind + " 400: " + response.body());
            }
            assertEquals(0, server.loop().joined(), "nobody joined: " + server.printed());
            assertEquals(0, server.loop().size());
            assertEquals(List.of(), ServerThreads.startedSince(before), "no thread was started for an offer");
            assertEquals(0, server.loop().poolSlotsInUse(), "no pool slot is held");
        }
    }

    @ParameterizedTest
    @EnumSource(ExampleServer.Kind.class)
    void aFullServerAnswers503(ExampleServer.Kind kind) throws Exception {
        ServerOptions options = ServerOptions.loopback().withLimits(PeerLimits.defaults().withMaxPeers(2));
        try (ExampleServer server = kind.start(options); HttpClient http = HttpClient.newHttpClient()) {
            String offer = ExampleServer.candidateLessOffer();
            assertEquals(200, server.post(http, offer).statusCode());
            assertEquals(200, server.post(http, offer).statusCode());
            HttpResponse<String> third = server.post(http, offer);
            assertEquals(503, third.statusCode(), third.body());
            assertTrue(third.body().contains("full (2 "), third.body());
            assertEquals(2, server.loop().size());
        }
    }

    @ParameterizedTest
    @EnumSource(ExampleServer.Kind.class)
    void everyAnswerCarriesTheServersOneCertificate(ExampleServer.Kind kind) throws Exception {
        try (ExampleServer server = kind.start(ServerOptions.loopback()); HttpClient http = HttpClient.newHttpClient()) {
            Set<String> fingerprints = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> answer = server.post(http, ExampleServer.candidateLessOffer());
                assertEquals(200, answer.statusCode(), answer.body());
                Matcher m = Pattern.compile("a=fingerprint:([^\\\\]+)\\\\r\\\\n").matcher(answer.body());
                assertTrue(m.find(), answer.body());
                fingerprints.add(m.group(1));
            }
            assertEquals(Set.of(server.fingerprint().get()), fingerprints, "one certificate for every join");
        }
    }

    @ParameterizedTest
    @EnumSource(ExampleServer.Kind.class)
    void offersThatNeverConnectAreRemovedWithinTheConnectTimeout(ExampleServer.Kind kind) throws Exception {
        ServerOptions options = ServerOptions.loopback()
                .withLimits(PeerLimits.defaults().withMaxPeers(250).withConnectTimeout(Duration.ofSeconds(1)));
        try (ExampleServer server = kind.start(options); HttpClient http = HttpClient.newHttpClient()) {
            server.post(http, ExampleServer.candidateLessOffer()); // the HTTP server's own threads exist after this one
            Set<Thread> before = ServerThreads.snapshot();
            String offer = ExampleServer.candidateLessOffer();
            for (int i = 0; i < 199; i++) {
                HttpResponse<String> response = server.post(http, offer);
                assertEquals(200, response.statusCode(), response.body());
            }
            assertEquals(200, server.loop().joined());
            assertTrue(JoiningPeer.await(() -> server.loop().size() == 0, BOUND),
                    "every peer that never connected is removed: " + server.loop().size() + " left");
            assertEquals(200, server.loop().removed());
            assertTrue(server.printed().contains("not connected 1 s after joining"), server.printed());
            assertEquals(0, server.loop().poolSlotsInUse(), "their pool slots are back");
            assertEquals(List.of(), ServerThreads.startedSince(before), "no thread per peer");
        }
    }

    @ParameterizedTest
    @EnumSource(ExampleServer.Kind.class)
    void aPeerThatStopsAnsweringIsRemoved(ExampleServer.Kind kind) throws Exception {
        ServerOptions options = ServerOptions.loopback().withConsentTimeout(Duration.ofSeconds(2))
                .withLimits(PeerLimits.defaults().withDisconnectedTimeout(Duration.ofSeconds(1)));
        try (ExampleServer server = kind.start(options); HttpClient http = HttpClient.newHttpClient();
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
    @EnumSource(ExampleServer.Kind.class)
    void aPeerNothingCanBeSentToDoesNotStopTheOthers(ExampleServer.Kind kind) throws Exception {
        ServerOptions options = ServerOptions.loopback().withLimits(PeerLimits.defaults().withConnectTimeout(Duration.ofSeconds(3)));
        try (ExampleServer server = kind.start(options); HttpClient http = HttpClient.newHttpClient()) {
            List<JoiningPeer> unreachable = new ArrayList<>();
            for (String address : List.of("255.255.255.255:9", "127.0.0.1:0")) { // broadcast, port 0: sends fail
                String[] hostPort = address.split(":");
                JoiningPeer p = new JoiningPeer(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])),
                        api -> api.addChannel("eddy"));
                unreachable.add(p);
                assertEquals(200, server.post(http, p.offerJson()).statusCode());
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
}
