package io.eddyrtc.examples.hostile;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.ExampleServer;
import java.net.InetSocketAddress;

/** A Chromium page of the examples' own client that joins with a small camera and its data channel. */
final class CameraPage {
    private CameraPage() {
    }

    /**
     * Opens the server's page and joins with a 320×180 camera; its offer also names {@code decoy} unless that is
     * null. Returns once the page's data channel is open; fails with the server's and the page's logs otherwise.
     */
    static Page join(HeadlessChromium chromium, ExampleServer server, InetSocketAddress decoy, String who) {
        Page page = chromium.open(server.url());
        if (decoy != null) {
            DecoyCandidate.addToOffers(page, server.url(), decoy);
        }
        try {
            page.evaluate("async () => { await eddy.addCam(320, 180); }");
            page.evaluate("eddy.connect()");
            page.evaluate("eddy.waitChannelOpen(20000)");
        } catch (RuntimeException e) {
            throw new AssertionError(who + " did not connect; server log:\n" + server.printed() + describe(page), e);
        }
        return page;
    }

    /** What a failure message needs from a page: its log and the ICE pair Chromium selected. */
    static String describe(Page page) {
        return "\npage log:\n" + page.textContent("#log") + "\nChromium's selected pair: " + page.evaluate("eddy.selectedPair()");
    }
}
