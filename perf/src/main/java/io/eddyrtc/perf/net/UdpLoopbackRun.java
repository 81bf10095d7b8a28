package io.eddyrtc.perf.net;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The UDP transport benchmark in CPU time, 1,200-byte datagrams on loopback, for each transport and batch
 * size: one thread runs {@link LoopbackPair#round()} rounds, a batch out of one socket and into another, so
 * it pays for the way out and the way in of every datagram (a core of a forwarding server). Reported:
 * datagrams per second of that thread's CPU, its CPU and the process's CPU per datagram, wall-clock
 * datagrams per second, and the bytes the thread allocated per datagram. CPU time, unlike wall time, holds
 * steady on a machine shared with other work.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar
 * io.eddyrtc.perf.net.UdpLoopbackRun [seconds per case, default 3]}.
 */
public final class UdpLoopbackRun {
    private static final int[] BATCHES = {1, 32, 64};
    private static final int PAYLOAD_BYTES = 1200;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private UdpLoopbackRun() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time, which the figures are made of");
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (LoopbackPair.Mode mode : LoopbackPair.Mode.values()) { // compile every path before any figure is taken
            for (int batch : BATCHES) {
                try (LoopbackPair pair = new LoopbackPair(mode, batch, PAYLOAD_BYTES)) {
                    echo(pair, (long) (seconds * 0.5e9));
                }
            }
        }
        System.out.println("| transport | batch | datagrams/s per core (thread CPU) | thread CPU ns/datagram "
                + "| process CPU ns/datagram | wall datagrams/s | B allocated/datagram | lost |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (LoopbackPair.Mode mode : LoopbackPair.Mode.values()) {
            for (int batch : BATCHES) {
                try (LoopbackPair pair = new LoopbackPair(mode, batch, PAYLOAD_BYTES)) {
                    echo(pair, (long) (seconds * 0.2e9)); // warm this pair's memory
                    long wall0 = System.nanoTime();
                    long cpu0 = THREADS.getCurrentThreadCpuTime();
                    long process0 = os.getProcessCpuTime();
                    long bytes0 = THREADS.getCurrentThreadAllocatedBytes();
                    long datagrams = echo(pair, (long) (seconds * 1e9));
                    long bytes = THREADS.getCurrentThreadAllocatedBytes() - bytes0;
                    long process = os.getProcessCpuTime() - process0;
                    long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
                    long wall = System.nanoTime() - wall0;
                    System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %.0f | %.0f | %,.0f | %.3f | %d |%n", mode, batch,
                            datagrams * 1e9 / cpu, (double) cpu / datagrams, (double) process / datagrams,
                            datagrams * 1e9 / wall, (double) bytes / datagrams, pair.lost());
                }
            }
        }
    }

    /** Echo rounds for about {@code nanos} of wall time; the datagrams received. */
    private static long echo(LoopbackPair pair, long nanos) {
        long end = System.nanoTime() + nanos;
        long datagrams = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 64; i++) {
                datagrams += pair.round();
            }
        }
        return datagrams;
    }
}
