package io.eddyrtc.perf.density;

import io.eddyrtc.buffers.testkit.HeapCensus;
import io.eddyrtc.engine.sim.PeerFleet;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.perf.net.RouterRun;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one connected peer costs: {@code ./eddy bench density [--modes rtp,sample,data] [--peers 100,1000]
 * [--idle 60] [--media 10] [--out DIR]}. For each mode and count it builds that many connected pairs with the
 * engine's simulation kit ({@link PeerFleet}: SDP like a browser, one shared certificate and pool per side),
 * lets them idle, then sends media both ways, then lets them idle again, and after each phase counts the
 * live heap (a full GC and a class histogram) and the off-heap pool slabs, per {@code Rtc}. Both sides of a
 * pair run the same mode, so the figures are per peer of that mode. Also: keepalive datagrams and CPU per
 * peer per second while idle, and at the end the router's CPU per datagram for as many peers ({@link RouterRun}).
 *
 * <p>Not a JMH benchmark and not a test: memory is counted, time is only reported. Writes {@code density.csv}
 * and {@code density.png} (bytes per peer against the number of peers) into {@code --out}; {@code --plot-only}
 * draws the picture again from the CSV there.
 */
public final class DensityBenchmark {
    private static final long S = 1_000_000_000L;
    /** Classes of the simulation kit itself, left out of what a peer costs. */
    private static final List<String> HARNESS = List.of("io.eddyrtc.buffers.testkit.", "io.eddyrtc.engine.sim.");
    /** What one read of the thread's CPU clock costs (measured once at start), left out of the per-path figures. */
    private static double clockReadNanos;

    private DensityBenchmark() {
    }

    /** One measurement: a mode, a count of pairs, a phase, and what it cost per Rtc. */
    record Row(String mode, int pairs, String phase, double heapPerRtc, double nativePerRtc, double mallocPerRtc,
               double slotsHeldPerRtc, double memoryInUsePerRtc) {
        double totalPerRtc() {
            return heapPerRtc + nativePerRtc;
        }
    }

    public static void main(String[] args) throws IOException {
        List<PeerFleet.Mode> modes = List.of(PeerFleet.Mode.RTP, PeerFleet.Mode.SAMPLE, PeerFleet.Mode.DATA);
        List<Integer> counts = List.of(100, 1000, 10_000);
        long idleSeconds = 60;
        long mediaSeconds = 10;
        Path out = Path.of("perf/results");
        boolean plotOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--plot-only" -> plotOnly = true;
                case "--modes" -> modes = parse(args[++i], s -> PeerFleet.Mode.valueOf(s.toUpperCase(Locale.ROOT)));
                case "--peers" -> counts = parse(args[++i], Integer::valueOf);
                case "--idle" -> idleSeconds = Long.parseLong(args[++i]);
                case "--media" -> mediaSeconds = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --modes rtp,sample,data --peers 100,1000 --idle 60 --media 10 --out DIR [--plot-only]");
            }
        }
        if (plotOnly) { // the picture again from the figures a run wrote
            DensityPlot.write(readCsv(out.resolve("density.csv")), readCsv(out.resolve("density-before").resolve("density.csv")),
                    out.resolve("density.png"));
            return;
        }
        System.out.printf("density: max heap %d MiB, %d cores, %s%n", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        warmUp();
        clockReadNanos = measureClockRead();
        System.out.printf("reading the thread's CPU clock costs %.0f ns of CPU, left out of the per-path figures%n",
                clockReadNanos);
        List<Row> rows = new ArrayList<>();
        for (PeerFleet.Mode mode : modes) {
            for (int pairs : counts) {
                rows.addAll(run(mode, pairs, idleSeconds, mediaSeconds));
            }
        }
        Files.createDirectories(out);
        writeCsv(rows, out.resolve("density.csv"));
        DensityPlot.write(rows, readCsv(out.resolve("density-before").resolve("density.csv")), out.resolve("density.png"));
        System.out.println("wrote " + out.resolve("density.csv") + " and " + out.resolve("density.png"));
        System.out.println("router: thread CPU per datagram routed among as many peers as pairs ran (RouterRun)");
        RouterRun.printTable(counts.stream().mapToInt(Integer::intValue).toArray(), 1);
    }

    /**
     * A few pairs of every mode through every phase, so that what the measured runs count is peers, not
     * classes loaded, caches filled or code compiled on first use.
     */
    private static void warmUp() {
        for (PeerFleet.Mode mode : PeerFleet.Mode.values()) {
            PeerFleet fleet = PeerFleet.connect(7, 8, mode);
            fleet.idle(10 * S);
            fleet.media(2 * S);
            fleet.idle(2 * S);
            fleet.close();
        }
    }

    /**
     * The CPU one read of the thread's CPU clock costs: each timed call reads it twice, and about one read's cost
     * falls between the two (the end of the first, the start of the second), so the per-path figures leave it out.
     */
    private static double measureClockRead() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            int n = 20_000;
            long start = threads.getCurrentThreadCpuTime();
            long sink = 0;
            for (int i = 0; i < n; i++) {
                sink += threads.getCurrentThreadCpuTime();
            }
            best = Math.min(best, (double) (threads.getCurrentThreadCpuTime() - start) / n + (sink == 42 ? 1 : 0));
        }
        return best;
    }

    private static <T> List<T> parse(String list, java.util.function.Function<String, T> each) {
        List<T> values = new ArrayList<>();
        for (String s : list.split(",")) {
            values.add(each.apply(s.trim()));
        }
        return values;
    }

    private static List<Row> run(PeerFleet.Mode mode, int pairs, long idleSeconds, long mediaSeconds) {
        String name = mode.name().toLowerCase(Locale.ROOT);
        System.out.printf("%n== %s mode, %,d pairs (%,d Rtcs) ==%n", name, pairs, 2 * pairs);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        HeapCensus base = HeapCensus.take();
        long started = System.nanoTime();
        PeerFleet fleet = PeerFleet.connect(42, pairs, mode);
        System.out.printf("connected in %.1f s of CPU-bound wall time%n", (System.nanoTime() - started) / 1e9);
        List<Row> rows = new ArrayList<>();
        fleet.idle(S);
        rows.add(measure(name, pairs, "connected", fleet, base));

        long datagrams = fleet.datagrams();
        long cpu = threads.getCurrentThreadCpuTime();
        long inRtcs = fleet.nanosInRtcs();
        long[] wakesBefore = new long[RtcNode.Wake.values().length];
        long[] nanosBefore = new long[wakesBefore.length];
        for (RtcNode.Wake w : RtcNode.Wake.values()) {
            wakesBefore[w.ordinal()] = fleet.wakes(w);
            nanosBefore[w.ordinal()] = fleet.nanosInRtcs(w);
        }
        fleet.idle(idleSeconds * S);
        double cpuPerPeerSecond = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / fleet.rtcs() / idleSeconds;
        long timedCalls = 0;
        for (RtcNode.Wake w : RtcNode.Wake.values()) {
            timedCalls += fleet.wakes(w) - wakesBefore[w.ordinal()];
        }
        double rtcPerPeerSecond = (fleet.nanosInRtcs() - inRtcs) / 1e3 / fleet.rtcs() / idleSeconds;
        double clockPerPeerSecond = timedCalls * clockReadNanos / 1e3 / fleet.rtcs() / idleSeconds;
        double keepalivePerPeerSecond = (double) (fleet.datagrams() - datagrams) / fleet.rtcs() / idleSeconds;
        rows.add(measure(name, pairs, "idle " + idleSeconds + " s", fleet, base));
        System.out.printf("idle: %.2f datagrams per peer per second; %.1f µs of CPU per peer per second in all, %.1f µs "
                + "of it in the Rtcs' calls (%.1f µs less the timing's own clock reads), the rest the simulated network's%n",
                keepalivePerPeerSecond, cpuPerPeerSecond, rtcPerPeerSecond, rtcPerPeerSecond - clockPerPeerSecond);
        for (RtcNode.Wake w : RtcNode.Wake.values()) {
            long n = fleet.wakes(w) - wakesBefore[w.ordinal()];
            if (n == 0) {
                continue;
            }
            double nanos = fleet.nanosInRtcs(w) - nanosBefore[w.ordinal()] - n * clockReadNanos;
            System.out.printf("    %-8s %6.3f calls per peer per second, %6.2f µs each, %5.2f µs per peer per second%n",
                    w.name().toLowerCase(Locale.ROOT), (double) n / fleet.rtcs() / idleSeconds, nanos / n / 1e3,
                    nanos / 1e3 / fleet.rtcs() / idleSeconds);
        }

        long received = fleet.mediaReceived();
        fleet.media(mediaSeconds * S);
        System.out.printf("media: %,d samples or RTP packets received in %d s%n", fleet.mediaReceived() - received,
                mediaSeconds);
        rows.add(measure(name, pairs, "media " + mediaSeconds + " s", fleet, base));
        fleet.idle(5 * S);
        rows.add(measure(name, pairs, "5 s after media", fleet, base));
        fleet.close();
        return rows;
    }

    private static Row measure(String mode, int pairs, String phase, PeerFleet fleet, HeapCensus base) {
        HeapCensus built = HeapCensus.take().minus(base);
        int rtcs = fleet.rtcs();
        double heap = (double) built.heapBytes(c -> HARNESS.stream().noneMatch(c::startsWith)) / rtcs;
        double pools = (double) fleet.poolBytes() / rtcs;
        double malloc = (double) built.mallocBytes() / rtcs;
        double held = (double) fleet.poolBytesHeld() / rtcs;
        double inUse = (double) fleet.memoryInUse() / rtcs;
        Row row = new Row(mode, pairs, phase, heap, pools, malloc, held, inUse);
        System.out.printf("%-16s heap %,9.0f B + pool slabs %,7.0f B = %,9.0f B per Rtc  (slots held %,7.0f B, "
                        + "Rtc.memoryInUse %,7.0f B, malloc Δ %,8.0f B)%n", phase, heap, pools, row.totalPerRtc(), held, inUse,
                malloc);
        for (HeapCensus.Row r : built.largest(12)) {
            System.out.printf("    %-70s %,10.0f B %8.1f objects%n", r.className(), (double) r.bytes() / rtcs,
                    (double) r.instances() / rtcs);
        }
        return row;
    }

    /** Rows written by an earlier run (for the plot's comparison), or none if there is no such file. */
    private static List<Row> readCsv(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
            String[] f = line.split(",");
            rows.add(new Row(f[0], Integer.parseInt(f[1]), f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), f.length > 6 ? Double.parseDouble(f[6]) : 0, f.length > 7 ? Double.parseDouble(f[7]) : 0));
        }
        return rows;
    }

    private static void writeCsv(List<Row> rows, Path file) throws IOException {
        StringBuilder csv = new StringBuilder(
                "mode,pairs,phase,heap_per_rtc,pool_per_rtc,malloc_per_rtc,slots_held_per_rtc,memory_in_use_per_rtc\n");
        for (Row r : rows) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%s,%.0f,%.0f,%.0f,%.0f,%.0f%n", r.mode(), r.pairs(), r.phase(),
                    r.heapPerRtc(), r.nativePerRtc(), r.mallocPerRtc(), r.slotsHeldPerRtc(), r.memoryInUsePerRtc()));
        }
        Files.writeString(file, csv);
    }
}
