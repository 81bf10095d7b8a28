package io.eddyrtc.examples.loadgen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** A process's CPU time from /proc: this JVM's own, after it has worked. */
class ProcessCpuTest {

    @Test
    void growsWithTheWorkDone() throws Exception {
        long pid = ProcessHandle.current().pid();
        long before = ProcessCpu.nanos(pid);
        long thread = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long sink = 0;
        while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - thread < 200_000_000L) { // 200 ms of CPU
            sink += Long.numberOfTrailingZeros(sink + System.identityHashCode(this));
        }
        long after = ProcessCpu.nanos(pid);
        assertTrue(before > 0, "a JVM that started has spent CPU");
        assertTrue(after - before >= 150_000_000L, "200 ms of one thread's CPU shows (ticks of 10 ms): " + (after - before) + " " + sink);
    }
}
