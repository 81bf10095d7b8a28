package io.eddyrtc.examples.httppost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import io.eddyrtc.examples.browser.HeadlessChromium;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The browser half of http-post against the real Chromium: the page gets fake camera and microphone
 * tracks, builds a non-trickle offer with audio, video and a data channel, and POSTs it as JSON; the
 * server's refusal reaches the page. (The answering side arrives with the Rtc facade.)
 */
class HttpPostPageTest {

    @Test
    void chromiumPostsACompleteOfferAndSeesARefusal() throws Exception {
        AtomicReference<String> posted = new AtomicReference<>();
        try (SignalingServer server = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), offer -> {
                    posted.set(offer);
                    throw new IllegalStateException("this server has no Rtc to answer with");
                });
                HeadlessChromium chromium = HeadlessChromium.launch()) {
            Page page = chromium.open(server.url());
            page.evaluate("async () => { await eddy.addCam(); await eddy.addMic(); }");
            String error = null;
            try {
                page.evaluate("eddy.connect()");
            } catch (PlaywrightException e) {
                error = e.getMessage();
            }
            assertNotNull(error, "connect() must fail when the server refuses");
            assertTrue(error.contains("no Rtc to answer with"), error);
            String offer = posted.get();
            assertNotNull(offer, "the page POSTed its offer");
            assertTrue(offer.startsWith("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n"), offer);
            assertTrue(offer.contains("m=audio "), "microphone track offered: " + offer);
            assertTrue(offer.contains("m=video "), "camera track offered: " + offer);
            assertTrue(offer.contains("m=application "), "data channel offered: " + offer);
            assertTrue(offer.contains("a=sendonly"), "tracks are sendonly: " + offer);
            assertTrue(offer.contains("a=candidate:"), "non-trickle: candidates are in the offer: " + offer);
            assertTrue(page.textContent("#log").contains("server refused the offer"), page.textContent("#log"));
        }
    }

    @Test
    void servesThePageAndItsScriptAndNothingElse() throws IOException, InterruptedException {
        try (SignalingServer server = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), offer -> offer);
                HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.url())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script src=\"client.js\">"));
            HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(server.url() + "client.js")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, script.statusCode());
            assertTrue(script.body().contains("window.eddy ="));
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(server.url() + "secret")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            HttpResponse<String> echoed = http.send(HttpRequest.newBuilder(URI.create(server.url()))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"offer\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, echoed.statusCode());
            assertEquals("{\"type\":\"offer\"}", echoed.body(), "the handler's answer is returned as is");
            assertEquals("application/json", echoed.headers().firstValue("Content-Type").orElse(""));
        }
    }
}
