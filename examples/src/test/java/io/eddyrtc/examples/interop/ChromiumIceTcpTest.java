package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.browser.UdpBlockedNamespace;
import io.eddyrtc.examples.httppost.HttpPostServer;
import io.eddyrtc.examples.httppost.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chromium reaches eddy's http-post over ICE-TCP only. Chromium 156 ignores {@code --force-webrtc-ip-handling-policy}
 * (the UDP-less policy is an enterprise policy now), so it runs in a network namespace the test makes, where nftables
 * drops every UDP datagram: its UDP candidates go nowhere, and the call can only come up over the server's
 * {@code --tcp} listener. The camera's frames and the data channel's echoes cross the one RFC 4571 stream.
 */
class ChromiumIceTcpTest {

    @Test
    void chromiumWhoseUdpIsBlockedConnectsToHttpPostOverIceTcp() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (UdpBlockedNamespace namespace = UdpBlockedNamespace.create()) {
            ServerOptions options = ServerOptions.loopback().withHostIp(namespace.hostAddress())
                    .withHttp(new InetSocketAddress(namespace.hostAddress(), 0)).withTcpPort(0);
            try (HttpPostServer server = HttpPostServer.start(options, log)) {
                String origin = server.url().replaceAll("/$", "");
                try (HeadlessChromium chromium = HeadlessChromium.launch(namespace.launcher(),
                        List.of("--unsafely-treat-insecure-origin-as-secure=" + origin), false)) { // the camera needs a secure origin
                    Page page = chromium.open(server.url());
                    EchoPage.connectAndEcho(page, "async () => { await eddy.addCam(); }", "[1, 1000, 16384]",
                            () -> "server log:\n" + logBytes + "\nlistener: " + server.loop().tcp() + "\n" + namespace);
                    String offer = (String) page.evaluate("eddy.state.pc.localDescription.sdp");
                    assertTrue(offer.lines().anyMatch(l -> l.startsWith("a=candidate") && l.contains(" udp ")),
                            "Chromium still offers UDP candidates (they go nowhere):\n" + offer);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> pair = (Map<String, Object>) page.evaluate("eddy.selectedPair()");
                    assertEquals("tcp", pair.get("protocol"), "Chromium's selected pair: " + pair);
                    String printed = logBytes.toString(StandardCharsets.UTF_8);
                    assertTrue(printed.contains("ICE path over tcp"), printed);
                    HttpPostServer.Session session = server.sessions().getFirst();
                    long until = System.nanoTime() + 15_000_000_000L;
                    while (session.videoFrames() < 30 && System.nanoTime() < until) {
                        Thread.sleep(50);
                    }
                    assertTrue(session.videoFrames() >= 30, "the camera's frames came over TCP: " + session.videoFrames() + "\n" + printed);
                    assertTrue(server.loop().tcp().framesIn() > 30, "through the listener: " + server.loop().tcp());
                    assertEquals(0, server.loop().unrouted(), "and nothing over UDP reached the server's socket");
                    System.out.println(printed + "\nlistener: " + server.loop().tcp());
                }
            }
        }
    }
}
