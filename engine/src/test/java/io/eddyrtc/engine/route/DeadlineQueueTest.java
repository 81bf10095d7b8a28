package io.eddyrtc.engine.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedExtension.class)
class DeadlineQueueTest {

    @Test
    void dueIdsComeOutEarliestFirst() {
        DeadlineQueue q = new DeadlineQueue(2);
        q.schedule(3, 300);
        q.schedule(1, 100);
        q.schedule(7, 200);
        assertEquals(100, q.nextDeadline());
        assertEquals(-1, q.pollDue(99), "nothing is due before the earliest deadline");
        assertEquals(1, q.pollDue(250));
        assertEquals(7, q.pollDue(250));
        assertEquals(-1, q.pollDue(250));
        assertEquals(300, q.nextDeadline());
        assertEquals(1, q.size());
    }

    @Test
    void rescheduleMovesAnIdAndNeverMeansGone() {
        DeadlineQueue q = new DeadlineQueue();
        q.schedule(0, 500);
        q.schedule(1, 600);
        q.schedule(1, 100);
        assertEquals(100, q.nextDeadline());
        q.schedule(1, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, q.deadline(1), "Long.MAX_VALUE (never) takes the id out");
        assertEquals(1, q.size());
        q.cancel(0);
        q.cancel(0);
        assertTrue(q.isEmpty());
        assertEquals(Long.MAX_VALUE, q.nextDeadline());
        assertThrows(IllegalArgumentException.class, () -> q.schedule(-1, 5));
    }

    /** Thousands of random schedules, moves, cancels and polls against a plain map: the same ids come out due. */
    @Test
    void agreesWithAMapUnderRandomUse(@Seed long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DeadlineQueue q = new DeadlineQueue(1);
        Map<Integer, Long> model = new HashMap<>();
        long now = 0;
        for (int step = 0; step < 200_000; step++) {
            int id = random.nextInt(500);
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3, 4 -> {
                    long d = now + random.nextLong(1_000);
                    q.schedule(id, d);
                    model.put(id, d);
                }
                case 5 -> {
                    q.cancel(id);
                    model.remove(id);
                }
                default -> {
                    now += random.nextLong(20);
                    int due = q.pollDue(now);
                    long earliest = model.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
                    if (earliest > now) {
                        assertEquals(-1, due, "nothing due at " + now + " (seed " + seed + ")");
                    } else {
                        assertEquals(earliest, (long) model.remove(due), "the id that came out has the earliest deadline");
                    }
                }
            }
            assertEquals(model.size(), q.size());
            assertEquals(model.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE), q.nextDeadline());
        }
    }

    @Test
    void movingDeadlinesAllocatesNothingOnceGrown() {
        DeadlineQueue q = new DeadlineQueue(10_000);
        SplittableRandom random = new SplittableRandom(1);
        for (int id = 0; id < 10_000; id++) {
            q.schedule(id, random.nextLong(1_000_000));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long now = 0;
        long polled = 0;
        long before = 0;
        for (int i = 0; i < 400_000; i++) {
            if (i == 200_000) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            now += 5;
            q.schedule(random.nextInt(10_000), now + random.nextLong(1_000_000));
            for (int id; (id = q.pollDue(now)) >= 0; ) {
                q.schedule(id, now + 1 + random.nextLong(1_000_000));
                polled++;
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(polled > 0, "some deadlines came due");
        assertTrue(allocated < 16_000, "200,000 moves allocated " + allocated + " bytes");
    }
}
