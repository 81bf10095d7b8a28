package io.eddyrtc.examples.hostile;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import java.net.InetSocketAddress;

/**
 * Makes a page's offer name one more host candidate, at an address a {@link Stranger} holds: an address the
 * browser signalled but does not use, as a private address in a browser's offer may, seen from the server,
 * belong to another machine. The server takes that address for one of the browser's: routing by remote
 * candidate hands its datagrams to the browser's {@code Rtc}, which must tell them from the browser's own.
 */
final class DecoyCandidate {
    private DecoyCandidate() {
    }

    /** From now on, the offers {@code page} POSTs to {@code url} carry a host candidate for {@code decoy} (priority 1). */
    static void addToOffers(Page page, String url, InetSocketAddress decoy) {
        page.route(url, route -> {
            if (!"POST".equals(route.request().method())) {
                route.resume();
                return;
            }
            route.resume(new Route.ResumeOptions().setPostData(withCandidate(route.request().postData(), decoy)));
        });
    }

    /** {@code offerJson} with a candidate line for {@code decoy} after its first {@code a=ice-pwd} line. */
    static String withCandidate(String offerJson, InetSocketAddress decoy) {
        int pwd = offerJson.indexOf("a=ice-pwd:");
        int end = offerJson.indexOf("\\r\\n", pwd);
        if (pwd < 0 || end < 0) {
            throw new IllegalArgumentException("no a=ice-pwd line to put a candidate after: " + offerJson);
        }
        String line = "a=candidate:3735928559 1 udp 1 " + decoy.getAddress().getHostAddress() + " " + decoy.getPort() + " typ host\\r\\n";
        return offerJson.substring(0, end + 4) + line + offerJson.substring(end + 4);
    }
}
