package io.eddyrtc.engine.internal.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.FlightRecordings;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

/**
 * The timeline's own bookkeeping, event by event: how a handshake that does not connect ends, which clock the
 * events carry, the summary cadence, and the bitrate estimate event the congestion controller reports through.
 */
class RtcTimelineTest {
    static final long S = 1_000_000_000L;

    @Test
    void aHandshakeThatNeverConnectsEndsFailedOrAbandonedWithItsLengthByTheRtcsClock() {
        List<RecordedEvent> events;
        RtcTimeline failing = new RtcTimeline();
        RtcTimeline abandoned = new RtcTimeline();
        try (FlightRecordings recording = FlightRecordings.start("io.eddyrtc.DtlsHandshake")) {
            failing.at(5 * S);
            failing.dtlsHandshakeStarted(false);
            failing.at(6 * S);
            failing.dtlsHandshakeStarted(true); // a later flight does not start it again
            failing.at(45 * S);
            failing.dtlsFailed("handshake timed out");
            failing.dtlsAbandoned(); // over already: nothing more

            abandoned.at(S);
            abandoned.dtlsHandshakeStarted(true);
            abandoned.at(3 * S);
            abandoned.dtlsAbandoned();
            events = FlightRecordings.named(recording.stop(), "io.eddyrtc.DtlsHandshake");
        }
        assertEquals(2, events.size(), events.toString());
        RecordedEvent failed = events.stream().filter(e -> e.getLong("rtc") == failing.rtc()).findFirst().orElseThrow();
        assertEquals("server", failed.getString("role"));
        assertEquals("failed", failed.getString("outcome"));
        assertEquals("handshake timed out", failed.getString("failure"));
        assertEquals(40 * S, failed.getLong("rtcDuration"));
        assertEquals(45 * S, failed.getLong("rtcNanos"), "stamped when it ended");
        assertNull(failed.getString("version"));
        RecordedEvent left = events.stream().filter(e -> e.getLong("rtc") == abandoned.rtc()).findFirst().orElseThrow();
        assertEquals("client", left.getString("role"));
        assertEquals("abandoned", left.getString("outcome"));
        assertEquals(2 * S, left.getLong("rtcDuration"));
        assertTrue(abandoned.rtc() > failing.rtc(), "numbered in the order made");
    }

    @Test
    void summariesFallDueOnceASecondOfTheRtcsClock() {
        RtcTimeline timeline = new RtcTimeline();
        assertTrue(timeline.summaryDue(10 * S), "the first timer round");
        assertEquals(false, timeline.summaryDue(10 * S + S / 2));
        assertEquals(false, timeline.summaryDue(11 * S - 1));
        assertTrue(timeline.summaryDue(11 * S));
        assertTrue(timeline.summaryDue(20 * S), "a late round reports once, then a second later");
        assertEquals(false, timeline.summaryDue(20 * S + 1));
    }

    /** The estimator's caller reports through {@link RtcTimeline#bitrateEstimate}; the event keeps what it is given. */
    @Test
    void aBitrateEstimateCarriesItsInputs() {
        enum Usage { NORMAL, OVERUSING }
        List<RecordedEvent> events;
        RtcTimeline timeline = new RtcTimeline();
        try (FlightRecordings recording = FlightRecordings.start("io.eddyrtc.BitrateEstimate")) {
            timeline.at(3 * S);
            timeline.bitrateEstimate(1_200_000, 1_500_000, 1_100_000, 0.02, 80_000_000, Usage.OVERUSING);
            events = FlightRecordings.named(recording.stop(), "io.eddyrtc.BitrateEstimate");
        }
        assertEquals(1, events.size());
        RecordedEvent e = events.getFirst();
        assertEquals(1_200_000, e.getLong("estimate"));
        assertEquals(1_500_000, e.getLong("previous"));
        assertEquals(1_100_000, e.getLong("acknowledged"));
        assertEquals(0.02, e.getDouble("loss"));
        assertEquals(80_000_000, e.getLong("rtt"));
        assertEquals("OVERUSING", e.getString("usage"));
        assertEquals(3 * S, e.getLong("rtcNanos"));
    }

    /** A layer's drops go on the timeline only for reasons whose count moved, by how much. */
    @Test
    void dropTalliesReportWhatMovedSinceTheLastSummary() {
        enum Why { FORGED, REPLAYED, LATE }
        long[] counts = new long[3];
        DropTally<Why> tally = new DropTally<>("SRTP", Why.class, w -> counts[w.ordinal()]);
        RtcTimeline timeline = new RtcTimeline();
        List<RecordedEvent> events;
        try (FlightRecordings recording = FlightRecordings.start("io.eddyrtc.PacketsDropped")) {
            counts[Why.REPLAYED.ordinal()] = 4;
            tally.report(timeline);
            tally.report(timeline); // nothing moved
            counts[Why.REPLAYED.ordinal()] = 5;
            counts[Why.LATE.ordinal()] = 2;
            tally.report(timeline);
            events = FlightRecordings.named(recording.stop(), "io.eddyrtc.PacketsDropped");
        }
        assertEquals(List.of("REPLAYED 4/4", "REPLAYED 1/5", "LATE 2/2"), events.stream()
                .map(e -> e.getString("reason") + " " + e.getLong("count") + "/" + e.getLong("total")).toList());
        assertTrue(events.stream().allMatch(e -> e.getString("layer").equals("SRTP")));
    }
}
