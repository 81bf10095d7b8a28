package io.eddyrtc.examples.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.net.UdpBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chromium publishes its (fake) camera by WHIP as three simulcast layers (960×540, the smallest size libwebrtc sends
 * three of), two more Chromium pages play the room by WHEP, and both decode the video, starting from a keyframe —
 * each the layer its estimate holds, forwarded in RTP mode through one socket and one thread. Then the publisher ends
 * its session with DELETE and leaves the room.
 */
class SfuChromiumTest {

    @Test
    void aWhipPublisherIsSeenByTwoWhepPlayers() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (SfuServer server = SfuServer.start(new SfuOptions(ServerOptions.loopback(), null), log);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            Page publisher = chromium.open(server.url() + "/");
            publisher.evaluate("async () => { await whip.publish('stage', { width: 960, height: 540, simulcast: true }); }");
            List<Page> players = List.of(chromium.open(server.url() + "/"), chromium.open(server.url() + "/"));
            for (Page player : players) {
                player.evaluate("async () => { await whip.play('stage'); }");
            }
            assertEquals(UdpBackend.LINUX_BATCHED, server.loop().backend(), "the SFU runs on the batched FFM socket");
            long giveUp = System.nanoTime() + 30_000_000_000L;
            List<Map<?, ?>> seen = List.of();
            while (System.nanoTime() < giveUp) {
                seen = players.stream().<Map<?, ?>>map(p -> (Map<?, ?>) p.evaluate("whip.videoStats()")).toList();
                if (seen.stream().allMatch(s -> number(s, "framesDecoded") >= 30)) {
                    break;
                }
                Thread.sleep(200);
            }
            String printed = logBytes.toString(StandardCharsets.UTF_8);
            for (int i = 0; i < players.size(); i++) {
                assertTrue(number(seen.get(i), "framesDecoded") >= 30, "player " + (i + 1) + " decodes the publisher's camera: "
                        + seen.get(i) + "\n" + printed + "\n" + players.get(i).textContent("#log"));
                assertTrue(number(seen.get(i), "keyFramesDecoded") >= 1, "starting from a keyframe: " + seen.get(i));
            }
            assertTrue(server.forwarded() > 0);
            System.out.println("sfu: the players decoded " + seen + "\n" + printed);

            publisher.evaluate("async () => { await whip.stop(); }");
            long leaveBy = System.nanoTime() + 10_000_000_000L;
            while (server.peers() != 2 && System.nanoTime() < leaveBy) {
                Thread.sleep(50);
            }
            assertEquals(2, server.peers(), "the publisher's DELETE ended its session\n" + logBytes.toString(StandardCharsets.UTF_8));
            assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("publisher 1 in room stage left: its client ended the session"));
        }
    }

    private static long number(Map<?, ?> stats, String key) {
        Object n = stats.get(key);
        return n == null ? 0 : ((Number) n).longValue();
    }
}
