package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.browser.RateLimitedNamespace;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.examples.loop.UdpRunLoop;
import io.eddyrtc.ice.Candidate;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * eddy's own bandwidth estimate against Chromium over a real bottleneck: Chromium runs in a network namespace
 * the test makes, whose way in is held by {@code tc tbf} ({@link RateLimitedNamespace}: a queue of 200 ms, as a
 * home link's downstream), and eddy sends it VP8 sized by its estimate, as an application sizes its encoder:
 * the shared capture's frames, each made up to {@code min(estimate, desired) / 30} bytes (trailing bytes a VP8
 * decoder does not read). Chromium's transport-wide feedback is all eddy learns the path from. The estimate
 * settles under the limit, and when the limit is raised it follows. Timings are bounded generously (a busy
 * two-core machine runs Chromium's decoder beside the loop); the figures go to perf/results/bwe.md.
 */
class ChromiumBandwidthTest {
    private static final Duration BOUND = Duration.ofSeconds(45);
    private static final long DESIRED_BPS = 6_000_000;

    @Test
    void eddysEstimateTracksARateLimitedPathToChromium() throws Exception {
        long limit = 1_000_000;
        long raised = 3_000_000;
        try (RateLimitedNamespace namespace = RateLimitedNamespace.create(limit)) {
            Rtc rtc = Rtc.builder().enableBwe(300_000).build();
            ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
            AtomicLong estimate = new AtomicLong(-1);
            AtomicBoolean stop = new AtomicBoolean();
            try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress(namespace.hostAddress(), 0));
                 SignalingServer server = SignalingServer.start(new InetSocketAddress(namespace.hostAddress(), 0), offer -> offer);
                 HeadlessChromium chromium = HeadlessChromium.launch(namespace.launcher(), List.of(), false)) {
                rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
                SdpApi api = rtc.sdpApi();
                String video = api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY).value();
                Page page = chromium.open(server.url());
                ChromiumInteropTest.chromiumAnswers(rtc, api, page);
                List<byte[]> frames = ChromiumInteropTest.vp8Frames();
                long[] sent = {0, -1}; // frames sent, when the first went
                Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
                    try {
                        loop.run(e -> {
                            events.add(e);
                            if (e instanceof Event.Connected) {
                                rtc.bwe().setDesiredBitrate(DESIRED_BPS);
                            } else if (e instanceof Event.EgressBitrateEstimate b) {
                                estimate.set(b.bitsPerSecond());
                            }
                        }, () -> { // once per loop turn, on the loop's thread: 30 frames a second sized by the estimate
                            long now = System.nanoTime();
                            if (rtc.isConnected()) {
                                sent[1] = sent[1] < 0 ? now : sent[1];
                                while (now - sent[1] >= sent[0] * 33_333_333L) {
                                    byte[] frame = frames.get((int) (sent[0] % frames.size()));
                                    long bytes = Math.min(rtc.bwe().estimate(), DESIRED_BPS) / 8 / 30;
                                    Media media = rtc.media(video);
                                    media.writer(media.pt()).write(now, MediaTime.of(3000L * sent[0], 90_000),
                                            Arrays.copyOf(frame, (int) Math.max(frame.length, bytes)));
                                    sent[0]++;
                                }
                            }
                            return stop.get();
                        });
                    } catch (Exception e) {
                        events.add(new Event.DtlsFailed(e.toString()));
                    }
                });
                try {
                    String under = settles(estimate, bps -> bps >= 0.6 * limit && bps <= 1.05 * limit);
                    assertTrue(under != null, "the estimate settles between 60 % and 105 % of the 1 Mbit/s limit: " + history(events)
                            + "\npage: " + page.textContent("#log"));
                    namespace.setRate(raised);
                    String over = settles(estimate, bps -> bps >= 0.6 * raised && bps <= 1.05 * raised);
                    assertTrue(over != null, "raised to 3 Mbit/s, the estimate follows: " + history(events));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> stats = (Map<String, Object>) page.evaluate("eddy.videoStats()");
                    assertTrue(((Number) stats.get("framesDecoded")).intValue() > 30, "Chromium decoded eddy's video: " + stats);
                    System.out.println("Chromium " + chromium.version() + " behind tc tbf: at 1 Mbit/s " + under + "; at 3 Mbit/s " + over
                            + "; " + stats + "\nestimates: " + history(events));
                } finally {
                    stop.set(true);
                    driver.join();
                }
            }
        }
    }

    /**
     * Waits (up to {@link #BOUND}) until the estimate has met {@code within} for three seconds in a row; returns
     * how long that took and the estimate then, or null.
     */
    private static String settles(AtomicLong estimate, LongPredicate within) throws InterruptedException {
        long start = System.nanoTime();
        long since = -1;
        while (System.nanoTime() - start < BOUND.toNanos()) {
            long now = System.nanoTime();
            if (within.test(estimate.get())) {
                since = since < 0 ? now : since;
                if (now - since >= 3_000_000_000L) {
                    return String.format("%,d bit/s, in range %.1f s after the change", estimate.get(), (since - start) / 1e9);
                }
            } else {
                since = -1;
            }
            Thread.sleep(100);
        }
        return null;
    }

    private static String history(ConcurrentLinkedQueue<Event> events) {
        return events.stream().filter(e -> e instanceof Event.EgressBitrateEstimate).map(e -> String.valueOf(((Event.EgressBitrateEstimate) e).bitsPerSecond()))
                .toList().toString();
    }
}
