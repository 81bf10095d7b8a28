package io.eddyrtc.examples.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.ice.Candidate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WHIP and WHEP as a client of the field sees them: the status codes, headers and messages of {@code ./eddy sfu} for
 * every request it takes and every way one can be wrong. Offers come from eddy {@code Rtc}s; nothing here connects.
 */
class WhipServerTest {
    private static final String SESSION = "/(whip|whep)/[A-Za-z0-9_-]+/[0-9a-f]{32}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private SfuServer server;

    @BeforeEach
    void start() throws Exception {
        server = SfuServer.start(new SfuOptions(ServerOptions.loopback(), null), new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anOfferGets201WithTheAnswerALocationAndTheHeadersAPageOfAnotherOriginNeeds() throws Exception {
        HttpResponse<String> r = post("/whip/room1", "application/sdp", offer(Direction.SEND_ONLY));

        assertEquals(201, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches("/whip/room1/[0-9a-f]{32}"), location);
        assertEquals("application/sdp", r.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(r.body().startsWith("v=0\r\n"), r.body());
        assertTrue(r.body().contains("a=recvonly"), "the server receives what the publisher sends:\n" + r.body());
        assertEquals("application/trickle-ice-sdpfrag", r.headers().firstValue("Accept-Patch").orElseThrow());
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().contains("Location"));

        HttpResponse<String> player = post("/whep/room1", "application/sdp; charset=utf-8", offer(Direction.RECV_ONLY));
        assertEquals(201, player.statusCode(), player.body());
        assertTrue(player.headers().firstValue("Location").orElseThrow().matches("/whep/room1/[0-9a-f]{32}"));
        assertTrue(player.body().contains("a=sendonly"), "the server sends the room to a player:\n" + player.body());
        assertEquals(2, server.peers());
    }

    @Test
    void aBodyThatIsNotSdpGets415AndAMalformedOffer400WithTheReason() throws Exception {
        HttpResponse<String> json = post("/whip/room1", "application/json", "{\"type\":\"offer\"}");
        assertEquals(415, json.statusCode());
        assertTrue(json.body().contains("application/sdp"), json.body());
        assertEquals(415, send(HttpRequest.newBuilder(url("/whep/room1")).POST(HttpRequest.BodyPublishers.ofString("v=0"))).statusCode(),
                "no Content-Type at all");

        HttpResponse<String> malformed = post("/whip/room1", "application/sdp", "v=0\r\nthis is not sdp\r\n");
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().startsWith("malformed SDP offer: "), malformed.body());
        assertTrue(malformed.body().length() > "malformed SDP offer: ".length() + 5, "the parser's reason follows: " + malformed.body());

        assertEquals(413, post("/whip/room1", "application/sdp", "v=0\r\n" + "a=x\r\n".repeat(60_000)).statusCode());
        assertEquals(0, server.peers(), "nothing refused leaves a peer behind");
    }

    @Test
    void unknownSessionsAre404AndAnEndedSessionIsGone() throws Exception {
        String missing = "/whip/room1/" + "0".repeat(32);
        assertEquals(404, send(HttpRequest.newBuilder(url(missing)).DELETE()).statusCode());
        assertEquals(404, patch(missing, "application/trickle-ice-sdpfrag", "a=end-of-candidates\r\n").statusCode());
        assertEquals(404, post("/nowhere", "application/sdp", offer(Direction.SEND_ONLY)).statusCode());

        String location = post("/whip/room1", "application/sdp", offer(Direction.SEND_ONLY)).headers().firstValue("Location").orElseThrow();
        assertEquals(404, send(HttpRequest.newBuilder(url(location.replace("room1", "room2"))).DELETE()).statusCode(),
                "a session is found only in its own room");
        assertEquals(200, send(HttpRequest.newBuilder(url(location)).DELETE()).statusCode());
        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (server.peers() > 0 && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertEquals(0, server.peers(), "DELETE removed the peer");
        assertEquals(404, send(HttpRequest.newBuilder(url(location)).DELETE()).statusCode());
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("its client ended the session (DELETE)"), logBytes.toString());
    }

    @Test
    void trickledCandidatesGet204AnotherTypeIs415AndAnIceRestartIs422() throws Exception {
        Rtc client = Rtc.builder().build();
        client.addLocalCandidate(Candidate.host(new InetSocketAddress("127.0.0.1", 9)));
        String offer = offerOf(client, Direction.SEND_ONLY);
        String location = post("/whip/room1", "application/sdp", offer).headers().firstValue("Location").orElseThrow();
        String ufrag = SfuServer.iceUfrag(offer);
        String password = offer.substring(offer.indexOf("a=ice-pwd:") + 10, offer.indexOf("\r\n", offer.indexOf("a=ice-pwd:")));

        String fragment = "a=ice-ufrag:" + ufrag + "\r\na=ice-pwd:" + password + "\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
                + "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\na=end-of-candidates\r\n";
        HttpResponse<String> trickled = patch(location, "application/trickle-ice-sdpfrag", fragment);
        assertEquals(204, trickled.statusCode(), trickled.body());

        assertEquals(415, patch(location, "application/sdp", fragment).statusCode());
        HttpResponse<String> restart = patch(location, "application/trickle-ice-sdpfrag", fragment.replace(ufrag, "newufrag"));
        assertEquals(422, restart.statusCode());
        assertTrue(restart.body().contains("ICE restarts are not supported"), restart.body());
        HttpResponse<String> bad = patch(location, "application/trickle-ice-sdpfrag", "a=candidate:nonsense\r\n");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().startsWith("malformed ICE fragment: "), bad.body());
    }

    @Test
    void optionsAnswersThePreflightAndOtherMethodsAre405WithAllow() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(url("/whip/room1")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://elsewhere.example").header("Access-Control-Request-Method", "POST"));
        assertEquals(204, preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("POST"));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().contains("Authorization"));
        assertEquals("application/sdp", preflight.headers().firstValue("Accept-Post").orElseThrow());

        String session = "/whep/room1/" + "a".repeat(32);
        HttpResponse<String> sessionPreflight = send(HttpRequest.newBuilder(url(session)).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertTrue(sessionPreflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("PATCH"));

        HttpResponse<String> get = send(HttpRequest.newBuilder(url("/whip/room1")).GET());
        assertEquals(405, get.statusCode());
        assertEquals("POST, OPTIONS", get.headers().firstValue("Allow").orElseThrow());
        assertEquals(405, post(session, "application/sdp", offer(Direction.RECV_ONLY)).statusCode(), "a session takes no POST");
    }

    @Test
    void aSecondPublisherInARoomIs409() throws Exception {
        assertEquals(201, post("/whip/room1", "application/sdp", offer(Direction.SEND_ONLY)).statusCode());
        HttpResponse<String> second = post("/whip/room1", "application/sdp", offer(Direction.SEND_ONLY));
        assertEquals(409, second.statusCode());
        assertTrue(second.body().contains("has a publisher"), second.body());
        assertEquals(201, post("/whip/room2", "application/sdp", offer(Direction.SEND_ONLY)).statusCode());
    }

    @Test
    void withATokenEveryChangeMustCarryItAsBearer() throws Exception {
        server.close();
        server = SfuServer.start(new SfuOptions(ServerOptions.loopback(), "s3cret"), new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        HttpResponse<String> none = post("/whip/room1", "application/sdp", offer(Direction.SEND_ONLY));
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        HttpRequest.Builder wrong = HttpRequest.newBuilder(url("/whip/room1")).header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer guess").POST(HttpRequest.BodyPublishers.ofString(offer(Direction.SEND_ONLY)));
        assertEquals(401, send(wrong).statusCode());
        assertEquals(204, send(HttpRequest.newBuilder(url("/whip/room1")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())).statusCode(),
                "a preflight carries no credentials, so it needs none");
        HttpRequest.Builder right = HttpRequest.newBuilder(url("/whip/room1")).header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer s3cret").POST(HttpRequest.BodyPublishers.ofString(offer(Direction.SEND_ONLY)));
        HttpResponse<String> created = send(right);
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        assertEquals(401, send(HttpRequest.newBuilder(url(location)).DELETE()).statusCode(), "DELETE needs the token too");
        assertEquals(200, send(HttpRequest.newBuilder(url(location)).header("Authorization", "Bearer s3cret").DELETE()).statusCode());
    }

    @Test
    void thePageIsServedAtTheRoot() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(url("/")).GET());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("whip.publish"), "the page publishes and plays");
    }

    private static String offer(Direction direction) {
        Rtc rtc = Rtc.builder().build();
        rtc.addLocalCandidate(Candidate.host(new InetSocketAddress("127.0.0.1", 9)));
        return offerOf(rtc, direction);
    }

    private static String offerOf(Rtc rtc, Direction direction) {
        SdpApi api = rtc.sdpApi();
        api.addMedia(MediaKind.AUDIO, direction);
        api.addMedia(MediaKind.VIDEO, direction, null, null, List.of());
        return api.apply().orElseThrow().offer().toSdp();
    }

    private URI url(String path) {
        return URI.create(server.url() + path);
    }

    private HttpResponse<String> post(String path, String type, String body) throws Exception {
        return send(HttpRequest.newBuilder(url(path)).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> patch(String path, String type, String body) throws Exception {
        return send(HttpRequest.newBuilder(url(path)).header("Content-Type", type).method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
