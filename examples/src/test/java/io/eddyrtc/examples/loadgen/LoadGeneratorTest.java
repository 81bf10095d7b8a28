package io.eddyrtc.examples.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.examples.sfu.SfuOptions;
import io.eddyrtc.examples.sfu.SfuServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator against {@code ./eddy sfu} for about ten seconds: two rooms, each one publisher and five players.
 * Every player receives video and audio, nearly every frame arrives, and the report's files are written and read back.
 * Timing is not asserted: the machine may be busy.
 */
class LoadGeneratorTest {

    @Test
    void twoPublishersAndTenPlayersThroughTheSfuDeliverAndReport(@TempDir Path out) throws Exception {
        ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (SfuServer sfu = SfuServer.start(new SfuOptions(ServerOptions.loopback(), "t0ken"),
                new PrintStream(serverLog, true, StandardCharsets.UTF_8))) {
            LoadOptions options = LoadOptions.defaults(URI.create(sfu.url())).with(o -> {
                o.rooms = 2;
                o.players = 5;
                o.video = 500_000;
                o.up = 2;
                o.warmup = 1;
                o.steady = 5;
                o.down = 2;
                o.threads = 2;
                o.token = "t0ken";
                o.out = out;
                o.label = "test";
                o.pid = ProcessHandle.current().pid(); // the server runs in this JVM
            });
            RunReport report = LoadGenerator.run(options, new PrintStream(progress, true, StandardCharsets.UTF_8));
            String said = report.text() + "\n" + progress.toString(StandardCharsets.UTF_8) + "\n" + serverLog.toString(StandardCharsets.UTF_8);

            System.out.print(report.text());
            assertEquals(12, report.peers());
            assertEquals(12, report.peersConnected(), said);
            assertEquals(10, report.playersReceiving(), "every player got video and audio\n" + said);
            assertTrue(report.videoExpected() >= 10 * 5 * 30 / 2, "the publishers sent video all through the window\n" + said);
            assertTrue(report.videoReceived() >= report.videoExpected() * 9 / 10, "nine frames in ten arrive at least\n" + said);
            assertTrue(report.audioReceived() >= report.audioExpected() * 9 / 10, said);
            assertEquals(report.videoReceived(), report.video().getTotalCount(), "each frame's latency is in the histogram");
            assertTrue(report.datagrams() > report.videoReceived(), "a frame of 2 KiB takes two packets or more\n" + said);
            assertTrue(report.sfuCpuNanos() > 0, said);
            assertTrue(sfu.forwarded() > 0);
            assertTrue(progress.toString(StandardCharsets.UTF_8).contains("[loadgen] steady"), "a progress line each second");
            assertTrue(report.wakeups().getTotalCount() > 0, "the wake-up probe ran through the window\n" + said);
            assertTrue(report.wakeups().getTotalCount() <= options.steadySecs() * 1000L + 1, "one wake-up a millisecond at most");
            assertTrue(report.text().contains("wake-up lateness (floor)"), said);
            assertTrue(report.machine().busyNanos() >= report.loadCpuNanos() / 2, "the machine ran the load generator at least\n" + said);

            List<Path> files = report.write(out);
            assertEquals(List.of(out.resolve("test.txt"), out.resolve("test-video.hgrm"), out.resolve("test-audio.hgrm"),
                    out.resolve("test-wakeup.hgrm"), out.resolve("test.svg")), files);
            PercentilePlot.Series video = PercentilePlot.read(out.resolve("test-video.hgrm"));
            assertTrue(video.points().size() > 10, "the distribution reads back from its .hgrm");
            assertEquals(report.video().getMaxValue() / 1e6, video.points().getLast()[1], report.video().getMaxValue() / 1e6 * 0.01 + 0.01,
                    "the last row is the maximum, in milliseconds");
            String svg = Files.readString(out.resolve("test.svg"));
            assertTrue(svg.startsWith("<svg") && svg.contains("<polyline") && svg.contains("99.9%"), svg);

            Path compared = LoadGenerator.compare(new String[] {"compare", out.resolve("test-video.hgrm").toString(),
                    out.resolve("test-audio.hgrm").toString(), "--out", out.resolve("both.svg").toString()});
            String both = Files.readString(compared);
            assertEquals(2, both.split("<polyline").length - 1, "one line per run compared");
            assertTrue(both.contains("test-video vs test-audio"), both);
        }
    }

    /**
     * A publisher sends three simulcast layers (1/16, 1/4 and all of 600 kbit/s): the SFU forwards each player one, the
     * highest its estimate holds, which on loopback is the top one: each player receives about the top layer's bitrate,
     * whole and in order.
     */
    @Test
    void fromThreeSimulcastLayersThePlayersGetTheTopOne(@TempDir Path out) throws Exception {
        ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
        try (SfuServer sfu = SfuServer.start(new SfuOptions(ServerOptions.loopback(), null),
                new PrintStream(serverLog, true, StandardCharsets.UTF_8))) {
            LoadOptions options = LoadOptions.defaults(URI.create(sfu.url())).with(o -> {
                o.players = 2;
                o.video = 600_000;
                o.simulcast = true;
                o.up = 2;
                o.warmup = 4; // each player's estimate climbs from 300 kbit/s to what the top layer needs
                o.steady = 4;
                o.down = 1;
                o.out = out;
            });
            RunReport report = LoadGenerator.run(options, new PrintStream(OutputStream.nullOutputStream()));
            System.out.print(report.text());
            String said = report.text() + "\n" + serverLog.toString(StandardCharsets.UTF_8);
            assertEquals(2, report.playersReceiving(), said);
            assertTrue(report.videoKbps() > 600 * 0.7, "the top layer is forwarded, not a lower one\n" + said);
            assertTrue(report.videoKbps() < 600 * 1.3, "one layer is forwarded, not all three\n" + said);
            assertTrue(report.videoReceived() >= report.videoExpected() * 9 / 10, said);
            assertEquals("1280 ×2", report.layers(), "both on the top layer's keyframes\n" + said);
        }
    }

    /**
     * The same publisher, and of two players one held ({@code --held-players 1}) behind 150 kbit/s: the SFU gives the
     * held one the lowest layer (1/16 of 600 kbit/s, its keyframes 320 wide) and the other the top one.
     */
    @Test
    void aHeldPlayerGetsTheLowestLayerAndTheOtherTheTop(@TempDir Path out) throws Exception {
        ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
        try (SfuServer sfu = SfuServer.start(new SfuOptions(ServerOptions.loopback(), null),
                new PrintStream(serverLog, true, StandardCharsets.UTF_8))) {
            LoadOptions options = LoadOptions.parse(new String[] {"--url", sfu.url(), "--players", "2", "--video-kbps", "600",
                    "--simulcast", "--held-players", "1", "--held-kbps", "150", "--ramp-up", "2", "--warmup", "4", "--steady", "3",
                    "--ramp-down", "1", "--out", out.toString()});
            RunReport report = LoadGenerator.run(options, new PrintStream(OutputStream.nullOutputStream()));
            System.out.print(report.text());
            String said = report.text() + "\n" + serverLog.toString(StandardCharsets.UTF_8);
            assertEquals(2, report.playersReceiving(), said);
            assertEquals("1280 ×1; held players: 320 ×1", report.layers(), said);
            assertTrue(report.text().contains("1 player per room held to 150 kbit/s"), said);
        }
    }
}
