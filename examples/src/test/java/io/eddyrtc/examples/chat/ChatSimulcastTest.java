package io.eddyrtc.examples.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.browser.RateLimitedNamespace;
import io.eddyrtc.examples.browser.SimulcastCamera;
import io.eddyrtc.examples.httppost.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * are printed. On a failure it prints what tells the ways this can fail apart: chat's log (layer choices and
 * switches, each member's estimate as it moves, keyframe requests), a line each second of the held page's
 * inbound video statistics, all on one time line, and chat's forwarding report (per layer what went to each
 * subscriber and the keyframes asked for, what each member was sent and dropped) with the bottleneck's counters.
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
    /**
     * The page's inbound video: what it decodes, and what tells a path that loses from a stream that never
     * starts (packets and frames received, losses, NACKs, PLIs, keyframes decoded, frames dropped, repairs) or from
     * packets the page receives but does not take (the transport's bytes against the stream's).
     */
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
                  for (const k of ['framesReceived', 'keyFramesDecoded', 'framesDropped', 'packetsReceived', 'packetsLost',
                                   'nackCount', 'pliCount', 'firCount', 'retransmittedPacketsReceived', 'bytesReceived']) {
                    out[k] = s[k] || 0;
                  }
                }
                if (s.type === 'transport') {
                  out.transportBytesReceived = s.bytesReceived || 0; // every datagram, before SRTP and demultiplexing
                }
              });
              return out;
            }""";

    private final long began = System.nanoTime();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    /** Chat's log and the test's own lines, each with the seconds since the test began. */
    private final PrintStream log = new PrintStream(new TimedLines(logBytes, began), true, StandardCharsets.UTF_8);
    private ChatServer server;
    private RateLimitedNamespace namespace;
    private Page held;

    @Test
    void eachSubscriberGetsTheLayerItsPathHoldsAndTheHeldOneSwitchesUpWhenFreed() throws Exception {
        try (RateLimitedNamespace namespace = RateLimitedNamespace.create(LIMIT_BPS)) {
            this.namespace = namespace;
            ServerOptions options = ServerOptions.loopback().withHostIp(namespace.hostAddress())
                    .withHttp(new InetSocketAddress(namespace.hostAddress(), 0));
            try (ChatServer server = ChatServer.start(options, log)) {
                this.server = server;
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
                    held = behindLimit.open(server.url());
                    held.evaluate("eddy.connect()");
                    held.evaluate("eddy.waitChannelOpen(15000)");
                    log.println("[test] every page's channel is open");
                    long start = System.nanoTime();
                    boolean both = await(() -> width(free) == 960 && width(held) == LOW_WIDTH && decoded(held) >= 30);
                    assertTrue(both, "the free subscriber decodes the full layer, the held one the lowest: free " + stats(free) + ", held "
                            + stats(held) + diagnosis());
                    String settled = seconds(start);
                    // ten seconds behind the limit: the lowest layer all along, never a second without a new frame
                    log.println("[test] the 10-s watch begins");
                    List<Long> decodedEveryQuarter = new ArrayList<>();
                    List<Integer> widths = new ArrayList<>();
                    long watch = System.nanoTime();
                    for (int quarter = 0; System.nanoTime() - watch < 10_000_000_000L; quarter++) {
                        Map<?, ?> now = stats(held);
                        if (quarter % 4 == 0) {
                            log.println("[test] held page " + now);
                        }
                        widths.add(((Number) now.get("frameWidth")).intValue());
                        decodedEveryQuarter.add(((Number) now.get("framesDecoded")).longValue());
                        Thread.sleep(250);
                    }
                    assertTrue(widths.stream().allMatch(w -> w == LOW_WIDTH), "the held subscriber stays on the lowest layer: " + widths
                            + diagnosis());
                    for (int i = 4; i < decodedEveryQuarter.size(); i++) {
                        assertTrue(decodedEveryQuarter.get(i) > decodedEveryQuarter.get(i - 4),
                                "a frame decoded in every second behind the limit: " + decodedEveryQuarter + diagnosis());
                    }
                    namespace.setRate(20_000_000);
                    log.println("[test] the limit is lifted");
                    long lifted = System.nanoTime();
                    boolean up = await(() -> width(held) > LOW_WIDTH, SWITCH_UP_BOUND);
                    String switchedUp = up ? seconds(lifted) : "never within " + SWITCH_UP_BOUND.toSeconds() + " s";
                    System.out.println("chat simulcast (" + chromium.version() + ", " + degradation + "): free on 960 and held on "
                            + LOW_WIDTH + " after " + settled + "; held decoded every second for 10 s " + decodedEveryQuarter
                            + ", freezes " + stats(held) + "; switched up " + switchedUp + " after the limit was lifted, to "
                            + width(held) + diagnosis());
                    assertTrue(up, "the held subscriber switches up once the limit is lifted: " + stats(held) + diagnosis());
                }
            }
        }
    }

    private boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        return await(condition, BOUND);
    }

    /** Waits for {@code condition}, logging the held page's statistics every second meanwhile. */
    private boolean await(java.util.function.BooleanSupplier condition, Duration bound) throws InterruptedException {
        long giveUp = System.nanoTime() + bound.toNanos();
        for (int quarter = 0; System.nanoTime() < giveUp; quarter++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (quarter % 4 == 0) {
                log.println("[test] held page " + stats(held));
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** What a failure message carries after its own figures: chat's forwarding report, the time line, the held page's log. */
    private String diagnosis() {
        String report;
        try {
            report = server.forwardingReport();
        } catch (Exception e) {
            report = "(chat's report failed: " + e + ")";
        }
        return "\nchat forwards:\n" + report + "the bottleneck:\n" + namespace.bottleneckStats() + "time line:\n" + printed() + "held page:\n" + held.textContent("#log");
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

    /** Writes through to {@code out}, each line begun with the seconds since {@code since}: one time line for every writer. */
    private static final class TimedLines extends OutputStream {
        private final OutputStream out;
        private final long since;
        private boolean lineStart = true;

        TimedLines(OutputStream out, long since) {
            this.out = out;
            this.since = since;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            if (lineStart) {
                out.write(String.format("%6.2f ", (System.nanoTime() - since) / 1e9).getBytes(StandardCharsets.UTF_8));
            }
            out.write(b);
            lineStart = b == '\n';
        }
    }
}
