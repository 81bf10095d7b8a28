package io.eddyrtc.examples.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What a run measured in its steady window, and the files it leaves: a percentile table, the {@code .hgrm}
 * distributions (values in milliseconds, as HdrHistogram's plotter and {@code compare} read them) and an SVG plot.
 *
 * @param label             the run's name
 * @param video             one-way latency of video frames from when each was due (nanoseconds)
 * @param videoUncorrected  the same from when each was sent: without the coordinated-omission correction
 * @param audio             one-way latency of audio frames from when each was due
 * @param wakeups           how late a thread sleeping a millisecond at a time woke ({@link WakeupProbe}): the machine's floor
 * @param videoExpected     video frames the players should have received (sent by their publisher × players)
 * @param audioExpected     audio frames likewise
 * @param jitterMs          RFC 3550 interarrival jitter of video frames, the players' mean
 * @param playersReceiving  players that received video and audio in the window
 * @param videoKbps         video received per player
 * @param datagrams         datagrams the players received: what the server forwarded (RTCP and STUN included)
 * @param sfuCpuNanos       the server's CPU time over the window, or -1 when not measured
 * @param loadCpuNanos      the load generator's own CPU time over the window
 * @param machine           the whole machine's CPU over the window: what ran, and what the hypervisor took
 * @param layers            with simulcast, which layer the players were on at the window's end (the width of their last
 *                          keyframe), held players apart; empty without simulcast
 */
record RunReport(String label, String setup, double steadySecs, Histogram video, Histogram videoUncorrected, Histogram audio, Histogram wakeups,
                 long videoExpected, long videoReceived, long audioExpected, long audioReceived, double jitterMs, int playersReceiving,
                 long freezes,
                 double freezeSecs, double videoKbps, long datagrams, long sfuCpuNanos, long loadCpuNanos, MachineCpu machine, long lateSends,
                 long writeRefusals, int peersConnected, int peers, String layers) {

    double videoLoss() {
        return videoExpected == 0 ? 0 : Math.max(0, 1 - (double) videoReceived / videoExpected);
    }

    double audioLoss() {
        return audioExpected == 0 ? 0 : Math.max(0, 1 - (double) audioReceived / audioExpected);
    }

    /** The server's CPU microseconds per datagram it delivered to a player, or NaN when not measured. */
    double sfuMicrosPerPacket() {
        return sfuCpuNanos < 0 || datagrams == 0 ? Double.NaN : sfuCpuNanos / 1000.0 / datagrams;
    }

    /** The percentile table and the rest, as printed at the end of a run. */
    String text() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "loadgen %s: %s, %.0f s steady, %d of %d peers connected%n", label, setup, steadySecs,
                peersConnected, peers));
        s.append(String.format(Locale.ROOT, "%-26s %9s %9s %9s %9s %9s %9s %10s%n", "one-way latency (ms)", "p50", "p90", "p99",
                "p99.9", "max", "mean", "samples"));
        row(s, "video", video);
        row(s, "video, not CO-corrected", videoUncorrected);
        row(s, "audio", audio);
        row(s, "wake-up lateness (floor)", wakeups);
        s.append(String.format(Locale.ROOT, "loss: video %.3f%% (%d of %d frames), audio %.3f%% (%d of %d)%n", 100 * videoLoss(),
                videoExpected - Math.min(videoExpected, videoReceived), videoExpected, 100 * audioLoss(),
                audioExpected - Math.min(audioExpected, audioReceived), audioExpected));
        s.append(String.format(Locale.ROOT, "players receiving video and audio: %d%n", playersReceiving));
        s.append(String.format(Locale.ROOT, "jitter (video frames, mean over players): %.3f ms; freezes: %d (%.2f s); video %.0f kbit/s "
                + "per player%n", jitterMs, freezes, freezeSecs, videoKbps));
        if (!layers.isEmpty()) {
            s.append("simulcast layer at the end (keyframe width × players): ").append(layers).append(System.lineSeparator());
        }
        s.append(String.format(Locale.ROOT, "datagrams to players: %d (%.0f/s)", datagrams, datagrams / steadySecs));
        if (sfuCpuNanos >= 0) {
            s.append(String.format(Locale.ROOT, "; server CPU %.2f s = %.2f µs per datagram forwarded (%.0f%% of a core)",
                    sfuCpuNanos / 1e9, sfuMicrosPerPacket(), 100 * sfuCpuNanos / 1e9 / steadySecs));
        }
        s.append(String.format(Locale.ROOT, "%nload generator CPU %.2f s (%.0f%% of a core); sends late by more than a frame: %d; "
                + "frames the Rtc refused: %d%n", loadCpuNanos / 1e9, 100 * loadCpuNanos / 1e9 / steadySecs, lateSends, writeRefusals));
        s.append(String.format(Locale.ROOT, "machine: other work %.0f%% of a core, stolen by the hypervisor %.2f s%n",
                100 * Math.max(0, machine.busyNanos() - loadCpuNanos - Math.max(0, sfuCpuNanos)) / 1e9 / steadySecs,
                machine.stolenNanos() / 1e9));
        return s.toString();
    }

    private static void row(StringBuilder s, String name, Histogram h) {
        s.append(String.format(Locale.ROOT, "%-26s %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %10d%n", name, ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                h.getMean() / 1e6, h.getTotalCount()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /**
     * Writes {@code LABEL.txt}, {@code LABEL-video.hgrm}, {@code LABEL-audio.hgrm}, {@code LABEL-wakeup.hgrm} and
     * {@code LABEL.svg} into {@code dir}; the files.
     */
    List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        Path text = dir.resolve(label + ".txt");
        Files.writeString(text, text());
        files.add(text);
        for (String kind : new String[] {"video", "audio", "wakeup"}) {
            Path hgrm = dir.resolve(label + "-" + kind + ".hgrm");
            Histogram h = switch (kind) {
                case "video" -> video;
                case "audio" -> audio;
                default -> wakeups;
            };
            try (PrintStream out = new PrintStream(Files.newOutputStream(hgrm), false, StandardCharsets.UTF_8)) {
                h.outputPercentileDistribution(out, 5, 1e6);
            }
            files.add(hgrm);
        }
        Path svg = dir.resolve(label + ".svg");
        Files.writeString(svg, PercentilePlot.svg("one-way latency through the server: " + label + " (" + setup + ")",
                List.of(PercentilePlot.of("video", video), PercentilePlot.of("video, not CO-corrected", videoUncorrected),
                        PercentilePlot.of("audio", audio), PercentilePlot.of("wake-up lateness (floor)", wakeups))));
        files.add(svg);
        return files;
    }
}
