package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.browser.SimulcastCamera;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.examples.loop.UdpRunLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Simulcast from a real browser: Chromium sends its camera as three layers (rids q, h, f) on one m-line,
 * eddy answers the simulcast offer, learns each layer's SSRC from the rid header extension (Chromium's
 * offer names no SSRCs for them), and hands out frames marked with their layer.
 *
 * <p>eddy only receives here; Chromium's estimator lives on eddy's transport-wide feedback, and a receive
 * budget announced by REMB ({@link Rtc#setReceiveBitrate}) lets it switch on all three layers at once.
 */
class ChromiumSimulcastTest {

    /** What a call saw: the Rtc, its events, and the browser's version and degradation preference. */
    private record Call(Rtc rtc, ConcurrentLinkedQueue<Event> events, String chromium) {}

    /**
     * How long a call may take to show what a test waits for. Chromium ramps its layers up slowly, and on a
     * loaded machine more slowly still; the call ends as soon as the test has what it waits for.
     */
    private static final Duration BOUND = Duration.ofSeconds(90);

    /**
     * Chromium offers its camera as three simulcast layers and eddy answers; the call runs until {@code done}
     * (asked every 250 ms) says so, or {@link #BOUND}. {@code receiveBudget} &gt; 0 is announced by REMB once
     * connected. The camera is {@link SimulcastCamera}'s.
     */
    private static Call simulcastCall(long receiveBudget, BiPredicate<Page, ConcurrentLinkedQueue<Event>> done) throws Exception {
        Rtc rtc = Rtc.builder().sdp(new SdpConfig().answerPassive(true)).build();
        ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             SignalingServer server = Answering.server(rtc, loop);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            Page page = chromium.open(server.url());
            String degradation = SimulcastCamera.connect(page);
            Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
                try {
                    loop.run(e -> {
                        events.add(e instanceof Event.ChannelData d ? d.copy() : e); // a message is lent: keep a copy
                        if (e instanceof Event.Connected && receiveBudget > 0) {
                            rtc.setReceiveBitrate(receiveBudget); // on the loop's thread
                        }
                    }, stop::get);
                } catch (Exception e) {
                    events.add(new Event.DtlsFailed(e.toString()));
                }
            });
            try {
                long giveUp = System.nanoTime() + BOUND.toNanos();
                while (System.nanoTime() < giveUp && !done.test(page, events)) {
                    Thread.sleep(250);
                }
            } finally {
                stop.set(true);
                driver.join();
            }
            return new Call(rtc, events, chromium.version() + ", degradation preference " + degradation);
        }
    }

    @Test
    void chromiumSendsLayersEddyTellsApartByRid() throws Exception {
        Call call = simulcastCall(3_000_000, (page, events) -> { // room for all three layers
            Map<String, Long> sofar = framesByRid(events);
            return sofar.size() == 3 && sofar.values().stream().allMatch(n -> n >= 30);
        });
        ConcurrentLinkedQueue<Event> events = call.events();
        String video = events.stream().filter(e -> e instanceof Event.MediaAdded a && a.kind() == MediaKind.VIDEO)
                .map(e -> ((Event.MediaAdded) e).mid()).findFirst().orElseThrow(() -> new AssertionError("no video m-line: " + events));
        assertEquals(List.of(Rid.of("q"), Rid.of("h"), Rid.of("f")), call.rtc().media(video).receiveRids(),
                "eddy accepted Chromium's three layers");
        Map<String, Long> byRid = framesByRid(events);
        assertEquals(Set.of("q", "h", "f"), byRid.keySet(), "frames of all three layers, each marked with its rid: " + byRid);
        assertTrue(byRid.values().stream().allMatch(n -> n >= 30), "at least a second of each layer: " + byRid);
        Map<String, Set<Long>> ssrcs = events.stream().filter(e -> e instanceof Event.MediaData m && m.mid().equals(video))
                .map(e -> (Event.MediaData) e)
                .collect(Collectors.groupingBy(Event.MediaData::rid, Collectors.mapping(Event.MediaData::ssrc, Collectors.toSet())));
        assertTrue(ssrcs.values().stream().allMatch(s -> s.size() == 1), "one SSRC per layer: " + ssrcs);
        assertEquals(ssrcs.size(), ssrcs.values().stream().flatMap(Set::stream).distinct().count(), "no SSRC shared by two layers");
        System.out.println("Chromium " + call.chromium() + " simulcast into eddy: frames per layer " + byRid);
    }

    /**
     * eddy's transport-wide congestion control feedback drives Chromium's own bandwidth estimator: with no
     * REMB at all, Chromium's estimate (its candidate pair's {@code availableOutgoingBitrate}) climbs past
     * 1 Mbit/s within seconds and it switches on a second simulcast layer. Without the feedback it would
     * stay near its 300 kbit/s start with the lowest layer only.
     */
    @Test
    void chromiumsEstimateClimbsOnEddysTransportFeedback() throws Exception {
        double[] estimate = {0};
        Call call = simulcastCall(0, (page, events) -> {
            estimate[0] = ((Number) page.evaluate("eddy.outgoingEstimate()")).doubleValue();
            return estimate[0] > 1_000_000 && framesByRid(events).getOrDefault("h", 0L) >= 30;
        });
        assertTrue(estimate[0] > 1_000_000, "Chromium's estimate climbed on eddy's feedback: " + estimate[0] + " bit/s");
        assertTrue(framesByRid(call.events()).getOrDefault("h", 0L) >= 30, "and it sends the second layer: " + framesByRid(call.events()));
        System.out.println("Chromium's estimate on eddy's transport-wide feedback: " + (long) estimate[0] + " bit/s, layers "
                + framesByRid(call.events()));
    }

    private static Map<String, Long> framesByRid(ConcurrentLinkedQueue<Event> events) {
        return events.stream().filter(e -> e instanceof Event.MediaData m && m.codec().kind() == MediaKind.VIDEO)
                .map(e -> (Event.MediaData) e)
                .collect(Collectors.groupingBy(m -> String.valueOf(m.rid()), Collectors.counting()));
    }
}
