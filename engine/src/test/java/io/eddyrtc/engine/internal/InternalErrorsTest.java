package io.eddyrtc.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.FlightRecordings;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

/** A peer that found a way to reach the last-resort catch cannot flood the log: each bug is counted, few are logged. */
class InternalErrorsTest {
    static final long S = 1_000_000_000L;

    @Test
    void everyBugIsCountedAndTheLogGetsAtMostOneAMinute() {
        List<LogRecord> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.eddyrtc.engine.Rtc");
        boolean parents = logger.getUseParentHandlers();
        logger.addHandler(capture);
        logger.setUseParentHandlers(false);
        try {
            RtcDrops drops = new RtcDrops();
            InternalErrors errors = new InternalErrors(drops, new RtcTimeline());
            IllegalStateException bug = new IllegalStateException("a bug");
            for (int i = 0; i < 10_000; i++) { // ten thousand datagrams in ten seconds, each meeting the bug
                errors.record(i * 1_000_000L, bug, null);
            }
            assertEquals(10_000, drops.dropped(RtcDropReason.INTERNAL_ERROR));
            assertSame(bug, errors.last());
            assertEquals(1, logged.size(), "the first is logged, with its stack");
            assertSame(bug, logged.getFirst().getThrown());

            errors.record(70 * S, bug, null);
            assertEquals(2, logged.size(), "a minute later, one more");
            assertTrue(logged.get(1).getMessage().contains("9999 more"), logged.get(1).getMessage());
        } finally {
            logger.removeHandler(capture);
            logger.setUseParentHandlers(parents);
        }
    }

    /** Each bug goes on a flight recording's timeline with where it was thrown, but JFR keeps at most 10 a second of a flood. */
    @Test
    void bugsAreOnTheTimelineThrottled() {
        List<RecordedEvent> events;
        RtcDrops drops = new RtcDrops();
        InternalErrors errors = new InternalErrors(drops, new RtcTimeline());
        try (FlightRecordings recording = FlightRecordings.start("io.eddyrtc.InternalError")) {
            IllegalStateException bug = new IllegalStateException("a bug");
            for (int i = 0; i < 10_000; i++) {
                errors.record(i * 1_000_000L, bug, null);
            }
            events = FlightRecordings.named(recording.stop(), "io.eddyrtc.InternalError");
        }
        assertTrue(!events.isEmpty() && events.size() < 1_000, "some, not one per bug: " + events.size());
        long lastCount = 0;
        for (RecordedEvent e : events) {
            assertEquals(IllegalStateException.class.getName(), e.getString("exception"));
            assertEquals("a bug", e.getString("message"));
            assertTrue(e.getString("where").contains("InternalErrorsTest.bugsAreOnTheTimelineThrottled"), e.getString("where"));
            assertTrue(e.getLong("count") > lastCount && e.getLong("count") <= 10_000, "the running count: " + e);
            lastCount = e.getLong("count");
        }
    }
}
