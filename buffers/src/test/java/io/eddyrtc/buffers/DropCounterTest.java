package io.eddyrtc.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

class DropCounterTest {
    private enum Reason { MALFORMED, REPLAYED, CLOSED }

    /** A logger that keeps the lines it is given at or above {@code threshold}. */
    private static final class RecordingLogger implements System.Logger {
        final List<String> lines = new ArrayList<>();
        final Level threshold;

        RecordingLogger(Level threshold) {
            this.threshold = threshold;
        }

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.getSeverity() >= threshold.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                lines.add(msg);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                lines.add(MessageFormat.format(format, params));
            }
        }
    }

    @Test
    void countsEachReasonApartAndAllTogether() {
        DropCounter<Reason> drops = new DropCounter<>(Reason.class, new RecordingLogger(System.Logger.Level.INFO), "X");
        for (int i = 0; i < 5; i++) {
            drops.count(Reason.MALFORMED);
        }
        drops.count(Reason.CLOSED, "after close");

        assertEquals(5, drops.dropped(Reason.MALFORMED));
        assertEquals(0, drops.dropped(Reason.REPLAYED));
        assertEquals(1, drops.dropped(Reason.CLOSED));
        assertEquals(6, drops.total());
    }

    @Test
    void logsOnlyEachReasonsPowerOfTwoDropsWithTheirCountAndDetail() {
        RecordingLogger log = new RecordingLogger(System.Logger.Level.DEBUG);
        DropCounter<Reason> drops = new DropCounter<>(Reason.class, log, "SRTP");
        List<Integer> logged = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            if (drops.count(Reason.REPLAYED, "from peer")) {
                logged.add(i);
            }
        }
        drops.count(Reason.MALFORMED);

        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64, 128, 256, 512), logged);
        assertEquals(11, log.lines.size(), "a thousand drops of one reason and one of another: " + log.lines);
        assertEquals("SRTP dropped REPLAYED (1 so far): from peer", log.lines.getFirst());
        assertEquals("SRTP dropped REPLAYED (512 so far): from peer", log.lines.get(9));
        assertEquals("SRTP dropped MALFORMED (1 so far)", log.lines.getLast(), "a reason's first drop is logged whatever others did");
    }

    @Test
    void theGateHoldsWhenDebugIsOffAndNothingIsLogged() {
        RecordingLogger log = new RecordingLogger(System.Logger.Level.INFO);
        DropCounter<Reason> drops = new DropCounter<>(Reason.class, log, "ICE");

        assertTrue(drops.count(Reason.MALFORMED), "the first drop is worth a line for a caller with more to say");
        assertTrue(drops.count(Reason.MALFORMED));
        assertFalse(drops.count(Reason.MALFORMED));
        assertTrue(log.lines.isEmpty(), "debug lines while the logger is at INFO: " + log.lines);
    }

    @Test
    void countingAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        DropCounter<Reason> drops = new DropCounter<>(Reason.class, new RecordingLogger(System.Logger.Level.INFO), "X");
        Object source = "a source";
        mx.getThreadAllocatedBytes(thread);

        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000_000; i++) {
            drops.count(Reason.REPLAYED, source);
        }
        long bytes = mx.getThreadAllocatedBytes(thread) - before;

        assertEquals(1_000_000, drops.total());
        assertTrue(bytes < 1024, "a million drops allocated " + bytes + " bytes");
    }
}
