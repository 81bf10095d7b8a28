package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.examples.loop.UdpRunLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Simulcast from a real browser: Chromium sends its camera as three layers (rids q, h, f) on one m-line,
 * eddy answers the simulcast offer, learns each layer's SSRC from the rid header extension (Chromium's
 * offer names no SSRCs for them), and hands out frames marked with their layer.
 *
 * <p>eddy estimates no bandwidth of its own; Chromium's estimator lives on eddy's transport-wide feedback,
 * and a receive budget announced by REMB ({@link Rtc#setReceiveBitrate}) lets it switch on all three layers
 * at once.
 */
class ChromiumSimulcastTest {

    @Test
    void chromiumSendsLayersEddyTellsApartByRid() throws Exception {
        Rtc rtc = Rtc.builder().sdp(new SdpConfig().answerPassive(true)).build();
        ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             SignalingServer server = Answering.server(rtc, loop);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            Page page = chromium.open(server.url());
            page.evaluate("async () => { await eddy.addCam(1280, 720); }");
            page.evaluate("eddy.connect({ simulcast: true })");
            Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
                try {
                    loop.run(e -> {
                        events.add(e);
                        if (e instanceof Event.Connected) {
                            rtc.setReceiveBitrate(3_000_000); // on the loop's thread: room for all three layers
                        }
                    }, stop::get);
                } catch (Exception e) {
                    events.add(new Event.DtlsFailed(e.toString()));
                }
            });
            try {
                long giveUp = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (System.nanoTime() < giveUp) {
                    Map<String, Long> sofar = framesByRid(events);
                    if (sofar.size() == 3 && sofar.values().stream().allMatch(n -> n >= 30)) {
                        break;
                    }
                    Thread.sleep(50);
                }
            } finally {
                stop.set(true);
                driver.join();
            }
            String video = events.stream().filter(e -> e instanceof Event.MediaAdded a && a.kind() == io.eddyrtc.engine.media.MediaKind.VIDEO)
                    .map(e -> ((Event.MediaAdded) e).mid()).findFirst().orElseThrow(() -> new AssertionError("no video m-line: " + events));
            assertEquals(List.of(Rid.of("q"), Rid.of("h"), Rid.of("f")), rtc.media(video).receiveRids(),
                    "eddy accepted Chromium's three layers");
            Map<String, Long> byRid = framesByRid(events);
            assertEquals(Set.of("q", "h", "f"), byRid.keySet(), "frames of all three layers, each marked with its rid: " + byRid);
            assertTrue(byRid.values().stream().allMatch(n -> n >= 30), "at least a second of each layer: " + byRid);
            assertTrue(byRid.keySet().stream().allMatch(r -> r != null && Set.of("q", "h", "f").contains(r)),
                    "every frame says which layer it belongs to: " + byRid);
            Map<String, Set<Long>> ssrcs = events.stream().filter(e -> e instanceof Event.MediaData m && m.mid().equals(video))
                    .map(e -> (Event.MediaData) e)
                    .collect(Collectors.groupingBy(Event.MediaData::rid, Collectors.mapping(Event.MediaData::ssrc, Collectors.toSet())));
            assertTrue(ssrcs.values().stream().allMatch(s -> s.size() == 1), "one SSRC per layer: " + ssrcs);
            assertEquals(ssrcs.size(), ssrcs.values().stream().flatMap(Set::stream).distinct().count(), "no SSRC shared by two layers");
            System.out.println("Chromium " + chromium.version() + " simulcast into eddy: frames per layer " + byRid);
        }
    }

    /**
     * eddy's transport-wide congestion control feedback drives Chromium's own bandwidth estimator: with no
     * REMB at all, Chromium's estimate (its candidate pair's {@code availableOutgoingBitrate}) climbs past
     * 1 Mbit/s within seconds and it switches on a second simulcast layer. Without the feedback it would
     * stay near its 300 kbit/s start with the lowest layer only.
     */
    @Test
    void chromiumsEstimateClimbsOnEddysTransportFeedback() throws Exception {
        Rtc rtc = Rtc.builder().sdp(new SdpConfig().answerPassive(true)).build();
        ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             SignalingServer server = Answering.server(rtc, loop);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            Page page = chromium.open(server.url());
            page.evaluate("async () => { await eddy.addCam(1280, 720); }");
            page.evaluate("eddy.connect({ simulcast: true })");
            Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
                try {
                    loop.run(events::add, stop::get);
                } catch (Exception e) {
                    events.add(new Event.DtlsFailed(e.toString()));
                }
            });
            double estimate = 0;
            try {
                long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < giveUp && (estimate <= 1_000_000 || framesByRid(events).getOrDefault("h", 0L) < 30)) {
                    Thread.sleep(500);
                    estimate = ((Number) page.evaluate("eddy.outgoingEstimate()")).doubleValue();
                }
            } finally {
                stop.set(true);
                driver.join();
            }
            assertTrue(estimate > 1_000_000, "Chromium's estimate climbed on eddy's feedback: " + estimate + " bit/s");
            assertTrue(framesByRid(events).getOrDefault("h", 0L) >= 30, "and it sends the second layer: " + framesByRid(events));
            System.out.println("Chromium's estimate on eddy's transport-wide feedback: " + (long) estimate + " bit/s, layers "
                    + framesByRid(events));
        }
    }

    private static Map<String, Long> framesByRid(ConcurrentLinkedQueue<Event> events) {
        return events.stream().filter(e -> e instanceof Event.MediaData m && m.codec().kind() == io.eddyrtc.engine.media.MediaKind.VIDEO)
                .map(e -> (Event.MediaData) e)
                .collect(Collectors.groupingBy(m -> String.valueOf(m.rid()), Collectors.counting()));
    }
}
