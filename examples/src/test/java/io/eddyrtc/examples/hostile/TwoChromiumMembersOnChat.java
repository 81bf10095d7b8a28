package io.eddyrtc.examples.hostile;

import static org.junit.jupiter.api.Assertions.fail;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.ExampleServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two Chromium pages in the {@code chat} room, each decoding the other's camera as the server forwards it.
 * The first page's offer also names a decoy candidate.
 */
final class TwoChromiumMembersOnChat implements LegitimateCall {
    private static final long BOUND_NANOS = 30_000_000_000L;
    private static final int FRAMES = 15;

    private final ExampleServer server;
    private final List<Page> pages;

    private TwoChromiumMembersOnChat(ExampleServer server, List<Page> pages) {
        this.server = server;
        this.pages = pages;
    }

    /** Two pages join with small cameras; returns once each decodes the other. */
    static TwoChromiumMembersOnChat join(HeadlessChromium chromium, ExampleServer server, InetSocketAddress decoy) throws Exception {
        List<Page> pages = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            pages.add(CameraPage.join(chromium, server, i == 0 ? decoy : null, "member " + (i + 1)));
        }
        TwoChromiumMembersOnChat call = new TwoChromiumMembersOnChat(server, pages);
        call.assertFlowing("once both joined");
        return call;
    }

    @Override
    public int members() {
        return 2;
    }

    @Override
    public void assertFlowing(String moment) throws Exception {
        int[] before = decoded();
        long giveUp = System.nanoTime() + BOUND_NANOS;
        int[] now = before;
        while (System.nanoTime() < giveUp) {
            now = decoded();
            if (now[0] >= before[0] + FRAMES && now[1] >= before[1] + FRAMES) {
                return;
            }
            Thread.sleep(250);
        }
        StringBuilder pageLogs = new StringBuilder();
        for (Page p : pages) {
            pageLogs.append(CameraPage.describe(p));
        }
        fail(moment + ": each member keeps decoding the other's camera (frames decoded " + before[0] + " and "
                + before[1] + " before, " + now[0] + " and " + now[1] + " now); server log:\n" + server.printed() + pageLogs);
    }

    private int[] decoded() {
        int[] n = new int[pages.size()];
        for (int i = 0; i < n.length; i++) {
            Object frames = ((Map<?, ?>) pages.get(i).evaluate("eddy.videoStats()")).get("framesDecoded");
            n[i] = frames == null ? 0 : ((Number) frames).intValue();
        }
        return n;
    }
}
