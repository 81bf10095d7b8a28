package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.HttpPostServer;
import io.eddyrtc.examples.httppost.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Chromium with mDNS candidates on (its default for a page without camera permission): its offer names its host
 * addresses only as {@code <uuid>.local}, eddy asks (Event.ResolveMdns), and http-post's resolver sends a one-shot
 * multicast DNS query that Chromium's own responder answers; the call connects. (Here the call would connect without
 * the answer too: Chromium checks eddy's candidate, so eddy learns its address as peer-reflexive. That the name
 * alone reaches a peer that sends no checks is {@code RtcReachTest}'s lite peer behind an mDNS name.)
 */
class ChromiumMdnsTest {
    private static final Pattern LOCAL_NAME = Pattern.compile("([0-9a-f-]{36}\\.local)");

    @Test
    void chromiumsMdnsNamesAreResolvedThroughTheResolverAndTheCallConnects() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        ServerOptions options = ServerOptions.loopback().withHostIp(ServerOptions.defaultHostIp());
        try (HttpPostServer server = HttpPostServer.start(options, log);
             HeadlessChromium chromium = HeadlessChromium.launch(List.of(), true)) {
            Page page = chromium.open(server.url());
            // a data channel only: no camera permission, so Chromium hides its addresses
            EchoPage.connectAndEcho(page, "", "[1, 1000]", () -> "server log:\n" + logBytes);
            String offer = (String) page.evaluate("eddy.state.pc.localDescription.sdp");
            List<String> hosts = offer.lines().filter(l -> l.startsWith("a=candidate") && l.contains("typ host")).toList();
            assertFalse(hosts.isEmpty(), offer);
            assertTrue(hosts.stream().allMatch(l -> LOCAL_NAME.matcher(l).find()), "every host candidate hidden behind a name:\n" + offer);
            Pattern answer = Pattern.compile("resolved " + LOCAL_NAME.pattern() + " to (\\S+)");
            long until = System.nanoTime() + 15_000_000_000L; // the query may still be out: the call needs no answer to go on
            while (!answer.matcher(logBytes.toString(StandardCharsets.UTF_8)).find() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            String printed = logBytes.toString(StandardCharsets.UTF_8);
            Matcher resolved = answer.matcher(printed);
            assertTrue(resolved.find(), "the server resolved a name of Chromium's:\n" + printed);
            assertTrue(offer.contains(resolved.group(1)), "one of the offer's names: " + resolved.group(1));
            System.out.println(printed);
        }
    }
}
