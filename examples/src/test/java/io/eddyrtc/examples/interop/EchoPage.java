package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The examples' page in a Chromium tab joining http-post and checking the echo of its data channel. */
final class EchoPage {
    private EchoPage() {
    }

    /**
     * Runs {@code setUp} (tracks to add, or nothing), connects, waits for the channel and sends one message of each of
     * {@code sizes} bytes (a JavaScript array), checking every echo intact; a failure names the page's log and
     * {@code context} (the server's log and whatever else explains it).
     */
    static void connectAndEcho(Page page, String setUp, String sizes, Supplier<String> context) {
        try {
            if (!setUp.isEmpty()) {
                page.evaluate(setUp);
            }
            page.evaluate("eddy.connect()");
            page.evaluate("eddy.waitChannelOpen(30000)");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> echoed = (List<Map<String, Object>>) page.evaluate("eddy.echo(" + sizes + ", 15000)");
            echoed.forEach(r -> assertEquals(Boolean.TRUE, r.get("intact"), r.toString()));
        } catch (RuntimeException e) {
            throw new AssertionError("the page failed; " + context.get() + "\npage log:\n" + page.textContent("#log"), e);
        }
    }
}
