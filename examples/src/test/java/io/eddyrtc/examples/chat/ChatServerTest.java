package io.eddyrtc.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.net.PeerLimits;
import io.eddyrtc.net.UdpBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two Chromium pages join the chat SFU: each publishes its (fake) camera, the server renegotiates with the
 * other over its data channel, and each page decodes the other's video — forwarded in RTP mode through one
 * socket and one thread.
 */
class ChatServerTest {

    @Test
    void twoMembersSeeEachOther() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (ChatServer server = ChatServer.start(ServerOptions.loopback(), log);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            Page alice = chromium.open(server.url());
            alice.evaluate("async () => { await eddy.addCam(); }");
            alice.evaluate("eddy.connect()");
            alice.evaluate("eddy.waitChannelOpen(15000)");
            Page bob = chromium.open(server.url());
            bob.evaluate("async () => { await eddy.addCam(); }");
            bob.evaluate("eddy.connect()");
            bob.evaluate("eddy.waitChannelOpen(15000)");
            assertEquals(2, server.members());
            assertEquals(UdpBackend.LINUX_BATCHED, server.loop().backend(), "the chat runs on the batched FFM socket");
            long giveUp = System.nanoTime() + 20_000_000_000L;
            Map<?, ?> aliceSees = Map.of();
            Map<?, ?> bobSees = Map.of();
            while (System.nanoTime() < giveUp) {
                aliceSees = (Map<?, ?>) alice.evaluate("eddy.videoStats()");
                bobSees = (Map<?, ?>) bob.evaluate("eddy.videoStats()");
                if (decoded(aliceSees) >= 30 && decoded(bobSees) >= 30) {
                    break;
                }
                Thread.sleep(200);
            }
            String printed = logBytes.toString(StandardCharsets.UTF_8);
            assertTrue(decoded(aliceSees) >= 30, "Alice decodes Bob's camera: " + aliceSees + "\n" + printed
                    + "\nAlice's page:\n" + alice.textContent("#log"));
            assertTrue(decoded(bobSees) >= 30, "Bob decodes Alice's camera: " + bobSees + "\n" + printed
                    + "\nBob's page:\n" + bob.textContent("#log"));
            assertTrue(((Number) aliceSees.get("keyFramesDecoded")).intValue() >= 1, "starting from a keyframe: " + aliceSees);
            System.out.println("chat: Alice decoded " + decoded(aliceSees) + " frames of Bob's camera, Bob " + decoded(bobSees)
                    + " of Alice's\n" + printed);
        }
    }

    /**
     * A third member joins a room where two already publish: it is offered both tracks at once, and the
     * other two are offered its track; everyone ends up decoding two cameras. Then the third closes its tab:
     * it leaves the room (at the latest when its consent runs out), and the other two are offered the removal
     * of its camera, so each is left receiving one.
     */
    @Test
    void aThirdMemberSeesBothAndIsSeenByBothAndLeavesWhenItsTabCloses() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        ServerOptions options = ServerOptions.loopback().withConsentTimeout(Duration.ofSeconds(3))
                .withLimits(PeerLimits.defaults().withDisconnectedTimeout(Duration.ofSeconds(2)));
        try (ChatServer server = ChatServer.start(options, log);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            java.util.List<Page> pages = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Page page = chromium.open(server.url());
                page.evaluate("async () => { await eddy.addCam(320, 180); }");
                page.evaluate("eddy.connect()");
                page.evaluate("eddy.waitChannelOpen(15000)");
                pages.add(page);
            }
            long giveUp = System.nanoTime() + 25_000_000_000L;
            java.util.List<Map<?, ?>> seen = new java.util.ArrayList<>();
            while (System.nanoTime() < giveUp) {
                seen.clear();
                for (Page page : pages) {
                    seen.add((Map<?, ?>) page.evaluate("eddy.videoStats()"));
                }
                // two incoming cameras each: the stats sum over both, so 60 frames means both are flowing
                if (seen.stream().allMatch(st -> decoded(st) >= 60) && pages.stream().allMatch(p -> videos(p) == 2)) {
                    break;
                }
                Thread.sleep(250);
            }
            for (int i = 0; i < pages.size(); i++) {
                assertEquals(2, videos(pages.get(i)), "member " + (i + 1) + " got a track from each of the others\n"
                        + logBytes.toString(StandardCharsets.UTF_8) + "\n" + pages.get(i).textContent("#log"));
                assertTrue(decoded(seen.get(i)) >= 60, "member " + (i + 1) + " decodes both: " + seen.get(i));
            }
            System.out.println("chat with three: " + seen);
            pages.removeLast().close();
            long leaveBy = System.nanoTime() + 30_000_000_000L;
            while ((server.members() != 2 || pages.stream().anyMatch(p -> videos(p) != 1 || pictures(p) != 1))
                    && System.nanoTime() < leaveBy) {
                Thread.sleep(100);
            }
            String printed = logBytes.toString(StandardCharsets.UTF_8);
            assertEquals(2, server.members(), "the closed tab left the room\n" + printed);
            assertTrue(printed.contains("member 3 left"), printed);
            for (int i = 0; i < pages.size(); i++) {
                assertEquals(1, videos(pages.get(i)), "member " + (i + 1) + " was offered the removal of the closed tab's camera\n"
                        + printed + "\n" + pages.get(i).textContent("#log"));
                assertEquals(1, pictures(pages.get(i)), "the page took the ended track's picture away\n" + pages.get(i).textContent("#log"));
            }
            System.out.println("chat after a tab closed:\n" + printed);
        }
    }

    /** Video m-lines the page receives on (every transceiver has a receiver, so count the negotiated directions). */
    private static int videos(Page page) {
        return ((Number) page.evaluate("state.pc.getTransceivers().filter(t => t.receiver.track.kind === 'video'"
                + " && (t.currentDirection === 'recvonly' || t.currentDirection === 'sendrecv')).length")).intValue();
    }

    /** Video elements showing what eddy sends (the page's own camera preview is not one). */
    private static int pictures(Page page) {
        return ((Number) page.evaluate("document.querySelectorAll('video:not(#local)').length")).intValue();
    }

    private static int decoded(Map<?, ?> stats) {
        Object n = stats.get("framesDecoded");
        return n == null ? 0 : ((Number) n).intValue();
    }
}
