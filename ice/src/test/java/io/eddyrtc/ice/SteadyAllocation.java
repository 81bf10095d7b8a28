package io.eddyrtc.ice;

import java.lang.management.ManagementFactory;

/** What the calling thread allocates once warm, by the JVM's per-thread allocation counter. */
final class SteadyAllocation {
    private SteadyAllocation() {
    }

    /** Runs {@code step} {@code warm} times for the JIT, then {@code measured} times, and returns the bytes those allocated. */
    static long bytes(int warm, int measured, Runnable step) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < warm; i++) {
            step.run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < measured; i++) {
            step.run();
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
