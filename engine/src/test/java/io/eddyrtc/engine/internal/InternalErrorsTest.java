package io.eddyrtc.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.RtcDropReason;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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
            InternalErrors errors = new InternalErrors(drops);
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
}
