package io.eddyrtc.examples.httppost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.net.UdpBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./eddy http-post} with the real Chromium: the page offers camera, microphone and a data channel;
 * the server answers (receiving VP8 and Opus), ICE, DTLS and SCTP connect, messages from 1 byte to 64 KiB
 * come back intact through the server's echo, the camera's VP8 frames and the microphone's Opus packets
 * arrive as MediaData, and the server's RTCP PLI makes Chromium send another keyframe.
 */
class HttpPostServerTest {

    @Test
    void chromiumSendsCameraMicrophoneAndDataChannelToTheServer() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (HttpPostServer server = HttpPostServer.start(ServerOptions.loopback(), log);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            Page page = chromium.open(server.url());
            page.evaluate("async () => { await eddy.addCam(); await eddy.addMic(); }");
            page.evaluate("eddy.connect()");
            List<Map<String, Object>> results;
            try {
                page.evaluate("eddy.waitChannelOpen(15000)");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> r = (List<Map<String, Object>>) page.evaluate("eddy.echo([1, 1000, 16384, 65536], 15000)");
                results = r;
            } catch (RuntimeException e) {
                throw new AssertionError("the page failed; server log:\n" + logBytes + "\npage log:\n" + page.textContent("#log"), e);
            }
            assertEquals(4, results.size());
            for (Map<String, Object> r : results) {
                assertEquals(Boolean.TRUE, r.get("intact"), "echo came back intact: " + r + "\n" + logBytes);
            }
            HttpPostServer.Session session = server.sessions().getFirst();
            assertTrue(session.connected() && session.channelOpen(), logBytes.toString(StandardCharsets.UTF_8));
            assertEquals(UdpBackend.LINUX_BATCHED, server.loop().backend(), "the call ran on the batched FFM socket");
            assertEquals(4, session.messages());
            long waitUntil = System.nanoTime() + 10_000_000_000L;
            while ((session.videoFrames() < 30 || session.audioFrames() < 50 || session.keyframes() < 2) && System.nanoTime() < waitUntil) {
                Thread.sleep(50);
            }
            assertTrue(session.videoFrames() >= 30, "VP8 frames from the fake camera: " + session.videoFrames() + "\n" + logBytes);
            assertTrue(session.keyframes() >= 2, "the first frame, and another after the server's PLI at frame 60: "
                    + session.keyframes() + "\n" + logBytes);
            assertTrue(session.audioFrames() >= 50, "Opus packets from the fake microphone: " + session.audioFrames());
            String printed = logBytes.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("connected (DTLS, SRTP A"), "DTLS connected with an SRTP profile: " + printed);
            assertTrue(printed.contains("'eddy' open"), printed);
            System.out.println(printed);
        }
    }

    /**
     * Over {@code --https} on the machine's own address (not loopback, where plain HTTP is already a secure
     * origin): the page is a secure context, so the camera opens, and the call connects and echoes. Chromium
     * is told to accept the self-signed certificate, as a person clicks through the warning once.
     */
    @Test
    void chromiumConnectsFromAPageServedOverHttps() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        InetAddress machine = ServerOptions.defaultHostIp();
        ServerOptions options = ServerOptions.loopback().withHttp(new InetSocketAddress(machine, 0))
                .withTls(TlsIdentity.selfSigned(List.of(machine)));
        try (HttpPostServer server = HttpPostServer.start(options, log);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            BrowserContext context = chromium.open("about:blank").context().browser()
                    .newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true));
            Page page = context.newPage();
            page.navigate(server.url());
            assertEquals("https:", page.evaluate("location.protocol"), server.url());
            assertEquals(Boolean.TRUE, page.evaluate("window.isSecureContext"), "served over HTTPS, the page may open the camera");
            page.evaluate("async () => { await eddy.addCam(); }");
            page.evaluate("eddy.connect()");
            try {
                page.evaluate("eddy.waitChannelOpen(15000)");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> echoed = (List<Map<String, Object>>) page.evaluate("eddy.echo([1, 1000], 15000)");
                assertEquals(2, echoed.size());
                echoed.forEach(r -> assertEquals(Boolean.TRUE, r.get("intact"), r.toString()));
            } catch (RuntimeException e) {
                throw new AssertionError("the page failed; server log:\n" + logBytes + "\npage log:\n" + page.textContent("#log"), e);
            }
            assertTrue(server.sessions().getFirst().connected(), logBytes.toString(StandardCharsets.UTF_8));
            System.out.println("https page at " + server.url() + ":\n" + logBytes);
        }
    }
}
