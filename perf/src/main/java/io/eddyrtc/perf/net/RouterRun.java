package io.eddyrtc.perf.net;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * {@link RouterBenchmark}'s two cases in CPU time, which holds steady on a machine shared with other work where
 * wall-clock JMH figures swing by 2× and more: for 10, 1,000 and 10,000 peers behind one router, the thread CPU
 * nanoseconds per datagram routed (median of five rounds of {@code seconds}) and the bytes it allocated.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -Xmx3g -cp perf/target/benchmarks.jar
 * io.eddyrtc.perf.net.RouterRun [seconds per round, default 1]}.
 */
public final class RouterRun {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private RouterRun() {
    }

    public static void main(String[] args) {
        printTable(new int[] {10, 1_000, 10_000}, args.length > 0 ? Double.parseDouble(args[0]) : 1);
    }

    /** The table for routers of {@code peerCounts} peers, as Markdown on standard output. */
    public static void printTable(int[] peerCounts, double seconds) {
        System.out.println("| peers | media by address: CPU ns/datagram | check by ufrag: CPU ns/datagram | B allocated/datagram |");
        System.out.println("|---:|---:|---:|---:|");
        for (int peers : peerCounts) {
            RouterBenchmark b = new RouterBenchmark();
            b.peers = peers;
            b.setUp();
            measure(b, true, seconds); // warm-up: compiled before it counts
            measure(b, false, seconds);
            long bytes0 = THREADS.getCurrentThreadAllocatedBytes();
            routed = 0;
            double[] media = new double[5];
            double[] checks = new double[5];
            for (int round = 0; round < 5; round++) {
                media[round] = measure(b, true, seconds);
                checks[round] = measure(b, false, seconds);
            }
            long bytes = THREADS.getCurrentThreadAllocatedBytes() - bytes0;
            java.util.Arrays.sort(media);
            java.util.Arrays.sort(checks);
            System.out.printf(Locale.ROOT, "| %,d | %.1f | %.1f | %.4f |%n", peers, media[2], checks[2], (double) bytes / routed);
        }
    }

    /** Datagrams routed by the measured rounds of the current case. */
    private static long routed;

    /** Routes for about {@code seconds} of wall time; the thread CPU nanoseconds per datagram. */
    private static double measure(RouterBenchmark b, boolean media, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long n = 0;
        long sink = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                sink += media ? b.mediaByAddress() : b.checkByUfrag();
            }
            n += 10_000;
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        if (sink == Long.MIN_VALUE) {
            System.out.println(sink); // keeps the routing from being optimized away
        }
        routed += n;
        return (double) cpu / n;
    }
}
