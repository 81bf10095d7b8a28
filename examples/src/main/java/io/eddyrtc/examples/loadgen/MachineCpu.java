package io.eddyrtc.examples.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time from Linux's {@code /proc/stat} ({@code cpu} line, all cores, ticks of 1/100 s): what
 * every process ran (user, nice, system, interrupts) and what the hypervisor took from a virtual machine's cores
 * ("steal"). Read at a run's window start and end, they tell a run that measured a busy or a robbed machine from one
 * that measured the server: latency tails follow the steal, and the busy time not the server's or the load
 * generator's is other work.
 *
 * @param busyNanos   CPU time every process on the machine ran, kernel included
 * @param stolenNanos CPU time the hypervisor gave to other guests while this one wanted it
 */
record MachineCpu(long busyNanos, long stolenNanos) {
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** The counters now, or zeros where {@code /proc/stat} cannot be read (not Linux). */
    static MachineCpu now() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal ...
                    long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                            + Long.parseLong(f[7]);
                    long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                    return new MachineCpu(busy * NANOS_PER_TICK, steal * NANOS_PER_TICK);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc/stat: report nothing rather than fail a run over a diagnostic
        }
        return new MachineCpu(0, 0);
    }

    /** What happened between {@code start} and this. */
    MachineCpu since(MachineCpu start) {
        return new MachineCpu(busyNanos - start.busyNanos, stolenNanos - start.stolenNanos);
    }
}
