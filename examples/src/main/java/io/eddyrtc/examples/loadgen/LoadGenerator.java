package io.eddyrtc.examples.loadgen;

import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.examples.jfr.FlightRecording;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * {@code ./eddy loadgen}: eddy itself as the load on a WHIP/WHEP server. Each room gets one publisher, sending
 * synthetic VP8-shaped video and Opus-shaped audio ({@link SyntheticMedia}) whose frames carry when they were due and
 * sent ({@link FrameStamp}), and players that receive them and measure each frame's one-way latency on the same clock
 * ({@link PlayerMeter}). The peers are eddy {@code Rtc}s in sample mode, many per thread ({@link ClientThread}), each on
 * a socket of its own. The run joins the peers over the ramp-up (publishers first), gives the calls and both JVMs' JIT
 * a warm-up (a cold process runs the packet path interpreted, seconds behind), measures a steady window, and lets
 * them go over the ramp-down (players first), printing a progress line every second; then it prints and writes the
 * report ({@link RunReport}). {@code compare} overlays the {@code .hgrm} files of several runs in one plot.
 */
public final class LoadGenerator {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** How long after the window frames due in it may still arrive and count; a later one counts as lost. */
    private static final long GRACE_NANOS = SECOND;

    private final LoadOptions options;
    private final PrintStream log;
    private final RunTotals totals;
    private final WhipClient whip;
    private final List<ClientThread> threads = new ArrayList<>();
    private final List<ClientPeer> peers = new ArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final InetAddress localAddress;
    /** One certificate for every peer, as one browser profile has: making one per peer costs milliseconds each. */
    private final DtlsCertificate certificate = DtlsCertificate.generate(new SecureRandom());

    private LoadGenerator(LoadOptions options, PrintStream log) throws IOException {
        this.options = options;
        this.log = log;
        this.totals = new RunTotals(options.rooms());
        this.whip = new WhipClient(options.token());
        this.localAddress = addressToward(options.url());
    }

    /** Runs the load as {@code options} say, printing progress to {@code log}; returns what it measured. */
    public static RunReport run(LoadOptions options, PrintStream log) throws Exception {
        return new LoadGenerator(options, log).run();
    }

    private RunReport run() throws Exception {
        int perThread = (options.peers() + options.threads() - 1) / options.threads();
        for (int t = 0; t < options.threads(); t++) {
            threads.add(new ClientThread("loadgen-" + t, perThread, totals));
        }
        try (WakeupProbe probe = new WakeupProbe(totals)) {
            return measure(probe);
        } finally {
            for (ClientThread t : threads) {
                t.close();
            }
        }
    }

    private RunReport measure(WakeupProbe probe) throws Exception {
        long start = System.nanoTime();
        long nextProgress = start + SECOND;
        List<int[]> order = new ArrayList<>(); // {room, is publisher, is held}
        for (int r = 0; r < options.rooms(); r++) {
            order.add(new int[] {r, 1, 0});
        }
        for (int p = 0; p < options.players(); p++) {
            for (int r = 0; r < options.rooms(); r++) {
                order.add(new int[] {r, 0, p < options.heldPlayers() ? 1 : 0});
            }
        }
        long spacing = order.isEmpty() ? 0 : options.rampUpSecs() * SECOND * 4 / 5 / order.size();
        for (int i = 0; i < order.size(); i++) {
            nextProgress = waitUntil(start + i * spacing, nextProgress, "ramp-up");
            join(i, order.get(i)[0], order.get(i)[1] == 1, order.get(i)[2] == 1);
        }
        long steadyStart = Math.max(start + options.rampUpSecs() * SECOND, System.nanoTime() + SECOND) + options.warmupSecs() * SECOND;
        long steadyEnd = steadyStart + options.steadySecs() * SECOND;
        totals.window(steadyStart, steadyEnd);
        nextProgress = waitUntil(steadyStart, nextProgress, "warm-up");
        long sfuCpuStart = options.sfuPid() > 0 ? ProcessCpu.nanos(options.sfuPid()) : -1;
        long loadCpuStart = ProcessCpu.nanos(ProcessHandle.current().pid());
        MachineCpu machineStart = MachineCpu.now();
        nextProgress = waitUntil(steadyEnd, nextProgress, "steady");
        MachineCpu machine = MachineCpu.now().since(machineStart);
        long sfuCpu = options.sfuPid() > 0 ? ProcessCpu.nanos(options.sfuPid()) - sfuCpuStart : -1;
        long loadCpu = ProcessCpu.nanos(ProcessHandle.current().pid()) - loadCpuStart;
        nextProgress = waitUntil(steadyEnd + GRACE_NANOS, nextProgress, "steady+"); // frames due in the window still arriving
        Histogram video = totals.videoLatency.getIntervalHistogram();
        Histogram uncorrected = totals.videoUncorrected.getIntervalHistogram();
        Histogram audio = totals.audioLatency.getIntervalHistogram();
        Histogram wakeups = probe.lateness();
        double[] players = players();
        String layers = options.simulcast() ? layers() : "";
        int connected = connectedPeers();
        List<ClientPeer> leaving = new ArrayList<>(peers.reversed()); // players first, publishers last
        long downSpacing = leaving.isEmpty() ? 0 : options.rampDownSecs() * SECOND / leaving.size();
        long downStart = System.nanoTime();
        for (int i = 0; i < leaving.size(); i++) {
            nextProgress = waitUntil(downStart + i * downSpacing, nextProgress, "ramp-down");
            leave(leaving.get(i));
        }
        long videoExpected = 0;
        long audioExpected = 0;
        for (int r = 0; r < options.rooms(); r++) {
            audioExpected += totals.scheduled.get(2 * r) * options.players();
            videoExpected += totals.scheduled.get(2 * r + 1) * options.players();
        }
        double steadySecs = options.steadySecs();
        long datagrams = totals.datagramsToPlayersAtEnd.sum() - totals.datagramsToPlayersAtStart.sum();
        String setup = String.format(Locale.ROOT, "%d×(1→%d)%s, %d kbit/s %d fps video%s, %d kbit/s audio%s", options.rooms(),
                options.players(), failures.get() > 0 ? " (" + failures.get() + " joins failed)" : "", options.videoBitsPerSecond() / 1000,
                options.fps(), options.simulcast() ? " in 3 simulcast layers" : "", options.audioBitsPerSecond() / 1000,
                options.heldPlayers() > 0 ? ", " + options.heldPlayers() + (options.heldPlayers() == 1 ? " player" : " players")
                        + " per room held to " + options.heldBitsPerSecond() / 1000 + " kbit/s" : "");
        return new RunReport(options.label(), setup, steadySecs, video, uncorrected, audio, wakeups, videoExpected, totals.videoReceived.sum(),
                audioExpected, totals.audioReceived.sum(), players[0], (int) players[1], totals.freezes.sum(), totals.freezeNanos.sum() / 1e9,
                totals.videoBytes.sum() * 8 / steadySecs / 1000 / Math.max(1, options.rooms() * options.players()), datagrams, sfuCpu,
                loadCpu, machine, totals.lateSends.sum(), totals.writeRefusals.sum(), connected, options.peers(), layers);
    }

    /**
     * Makes a peer, signals it by WHIP or WHEP, and only then hands it to its thread: building an {@code Rtc} and the
     * HTTP exchange take milliseconds a thread sending media has no time for. Until it is handed over nothing else
     * touches the {@code Rtc}. A held player receives through a {@link BottleneckLink}.
     */
    private void join(int index, int room, boolean publisher, boolean held) throws Exception {
        ClientThread thread = threads.get(index % threads.size());
        ClientPeer.Role role = publisher ? ClientPeer.Role.PUBLISH : ClientPeer.Role.PLAY;
        ClientPeer peer = new ClientPeer(role, room, options, totals, certificate, new InetSocketAddress(localAddress, 0),
                held ? new BottleneckLink(options.heldBitsPerSecond()) : null);
        URI endpoint = URI.create(options.url() + (publisher ? "/whip/" : "/whep/") + options.roomPrefix() + (room + 1));
        try {
            WhipClient.Session session = whip.post(endpoint, peer.offer());
            peer.accept(session.answerSdp());
            peer.location = session.location().toString();
        } catch (Exception e) {
            failures.incrementAndGet();
            log.println("[loadgen] " + role.name().toLowerCase(Locale.ROOT) + " in room " + (room + 1) + " could not join: " + e.getMessage());
            peer.leave();
        }
        peers.add(peer);
        thread.call(() -> {
            thread.adopt(peer);
            return null;
        });
    }

    /** Ends a peer's call and its session at the server. */
    private void leave(ClientPeer peer) throws Exception {
        ClientThread thread = threads.get(peers.indexOf(peer) % threads.size());
        String location = thread.call(() -> {
            peer.leave();
            return peer.location;
        });
        if (location != null) {
            try {
                whip.delete(URI.create(location));
            } catch (IOException e) {
                log.println("[loadgen] DELETE " + location + " failed: " + e.getMessage());
            }
        }
    }

    /** Sleeps until {@code at}, printing the progress line each second meanwhile; the next progress time. */
    private long waitUntil(long at, long nextProgress, String phase) throws Exception {
        while (true) {
            long now = System.nanoTime();
            if (now >= nextProgress) {
                progress(phase, now);
                nextProgress += SECOND;
                continue;
            }
            if (now >= at) {
                return nextProgress;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(at, nextProgress) - now);
        }
    }

    private void progress(String phase, long now) throws Exception {
        Histogram last = totals.recent.getIntervalHistogram();
        log.printf(Locale.ROOT, "[loadgen] %-9s | %d/%d peers connected | %d frames in the last second | latency p50 %.3f p99 %.3f "
                        + "max %.3f ms%n", phase, connectedPeers(), options.peers(), last.getTotalCount(),
                last.getValueAtPercentile(50) / 1e6, last.getValueAtPercentile(99) / 1e6, last.getMaxValue() / 1e6);
    }

    private int connectedPeers() throws Exception {
        int n = 0;
        for (ClientThread t : threads) {
            n += t.call(() -> (int) t.peers().stream().filter(p -> p.connected && !p.gone).count());
        }
        return n;
    }

    /** The players' mean video jitter in milliseconds, and how many received both video and audio in the window. */
    private double[] players() throws Exception {
        double jitter = 0;
        int players = 0;
        int receiving = 0;
        for (ClientThread t : threads) {
            double[] part = t.call(() -> {
                double[] sums = new double[3];
                for (ClientPeer p : t.peers()) {
                    if (p.meter != null) {
                        sums[0] += p.meter.jitterNanos(true);
                        sums[1]++;
                        sums[2] += p.meter.receivedBoth() ? 1 : 0;
                    }
                }
                return sums;
            });
            jitter += part[0];
            players += (int) part[1];
            receiving += (int) part[2];
        }
        return new double[] {players == 0 ? 0 : jitter / players / 1e6, receiving};
    }

    /**
     * Which simulcast layer the players are on: the width of each one's last keyframe, counted, e.g.
     * {@code 1280 ×9; held players: 320 ×1}.
     */
    private String layers() throws Exception {
        Map<Integer, Integer> free = new TreeMap<>();
        Map<Integer, Integer> held = new TreeMap<>();
        for (ClientThread t : threads) {
            t.call(() -> {
                for (ClientPeer p : t.peers()) {
                    if (p.meter != null) {
                        (p.inbound != null ? held : free).merge(p.meter.width(), 1, Integer::sum);
                    }
                }
                return null;
            });
        }
        return widths(free) + (held.isEmpty() ? "" : "; held players: " + widths(held));
    }

    private static String widths(Map<Integer, Integer> counted) {
        StringBuilder s = new StringBuilder();
        counted.forEach((width, players) -> s.append(s.isEmpty() ? "" : ", ").append(width).append(" ×").append(players));
        return s.toString();
    }

    /** The local address that routes to the server: loopback for a server on loopback, else the interface's. */
    static InetAddress addressToward(URI url) throws IOException {
        InetAddress server = InetAddress.getByName(url.getHost());
        if (server.isLoopbackAddress()) {
            return server;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(server, 9); // no datagram is sent: connecting a UDP socket only picks the route
            return probe.getLocalAddress();
        }
    }

    /** {@code compare A.hgrm B.hgrm ... [--out FILE.svg]}: one plot of several runs. */
    static Path compare(String[] args) throws IOException {
        List<PercentilePlot.Series> series = new ArrayList<>();
        Path out = Path.of("compare.svg");
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else {
                series.add(PercentilePlot.read(Path.of(args[i])));
            }
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("name the .hgrm files to compare\n" + LoadOptions.usage());
        }
        StringBuilder title = new StringBuilder("one-way latency: ");
        for (int i = 0; i < series.size(); i++) {
            title.append(i == 0 ? "" : " vs ").append(series.get(i).label());
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, PercentilePlot.svg(title.toString(), series));
        return out;
    }

    public static void main(String[] args) throws Exception {
        try {
            if (args.length > 0 && args[0].equals("compare")) {
                System.out.println("eddy loadgen: plot written to " + compare(args));
                return;
            }
            if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
                System.out.println(LoadOptions.usage());
                return;
            }
            LoadOptions options = LoadOptions.parse(FlightRecording.fromArgs(args, System.out)); // a recording is written at exit
            RunReport report = run(options, System.out);
            System.out.print(report.text());
            for (Path file : report.write(options.out())) {
                System.out.println("  wrote " + file);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
