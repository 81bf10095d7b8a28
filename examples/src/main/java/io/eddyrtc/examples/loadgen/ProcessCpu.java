package io.eddyrtc.examples.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time (user and system, all its threads) from Linux's {@code /proc/PID/stat}: fields 14 and 15, in
 * clock ticks of 1/100 s (the {@code USER_HZ} every Linux architecture the JDK runs on reports to user space). A run of
 * tens of seconds makes the 10 ms tick small against what is measured.
 */
final class ProcessCpu {
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessCpu() {
    }

    /** CPU time of process {@code pid} so far, in nanoseconds. */
    static long nanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) is in parentheses and may hold spaces: count fields after its closing one
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long user = Long.parseLong(fields[11]); // field 14 of the whole line
        long system = Long.parseLong(fields[12]); // field 15
        return (user + system) * NANOS_PER_TICK;
    }
}
