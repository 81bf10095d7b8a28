package io.eddyrtc.examples.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.ExampleServer;
import io.eddyrtc.examples.httppost.HttpPostServer;
import io.eddyrtc.examples.httppost.JoiningPeer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Chromium page on {@code http-post}: its camera's frames arrive at the server, and a message on its data
 * channel comes back through the server's echo.
 */
final class ChromiumOnHttpPost implements LegitimateCall {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final int FRAMES = 15;

    private final ExampleServer server;
    private final Page page;
    private final HttpPostServer.Session session;

    private ChromiumOnHttpPost(ExampleServer server, Page page, HttpPostServer.Session session) {
        this.server = server;
        this.page = page;
        this.session = session;
    }

    /** A page joins with a small camera and a data channel; its offer also names {@code decoy}. Returns once the channel is open. */
    static ChromiumOnHttpPost join(HeadlessChromium chromium, ExampleServer server, InetSocketAddress decoy) {
        Page page = CameraPage.join(chromium, server, decoy, "the browser");
        List<HttpPostServer.Session> sessions = server.httpPost().sessions();
        assertEquals(1, sessions.size(), "the browser's is the only session so far: " + server.printed());
        return new ChromiumOnHttpPost(server, page, sessions.getFirst());
    }

    @Override
    public int members() {
        return 1;
    }

    @Override
    public void assertFlowing(String moment) throws Exception {
        long frames = session.videoFrames();
        try {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> echoed = (List<Map<String, Object>>) page.evaluate("eddy.echo([1000], 20000)");
            assertEquals(Boolean.TRUE, echoed.getFirst().get("intact"), moment + ": the echo came back intact: " + echoed);
        } catch (RuntimeException e) {
            throw new AssertionError(moment + ": the data channel echo did not come back; server log:\n" + server.printed()
                    + CameraPage.describe(page), e);
        }
        assertTrue(JoiningPeer.await(() -> session.videoFrames() >= frames + FRAMES, BOUND), moment + ": the camera's frames"
                + " keep arriving (" + frames + " before, " + session.videoFrames() + " now); server log:\n" + server.printed()
                + CameraPage.describe(page));
        assertTrue(server.httpPost().sessions().contains(session), moment + ": the browser's session is still there:\n" + server.printed());
    }
}
