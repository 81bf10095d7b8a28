package io.eddyrtc.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
     * other two are offered its track; everyone ends up decoding two cameras.
     */
    @Test
    void aThirdMemberSeesBothAndIsSeenByBoth() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (ChatServer server = ChatServer.start(ServerOptions.loopback(), log);
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
        }
    }

    /** Video m-lines the page receives on (every transceiver has a receiver, so count the negotiated directions). */
    private static int videos(Page page) {
        return ((Number) page.evaluate("state.pc.getTransceivers().filter(t => t.receiver.track.kind === 'video'"
                + " && (t.currentDirection === 'recvonly' || t.currentDirection === 'sendrecv')).length")).intValue();
    }

    private static int decoded(Map<?, ?> stats) {
        Object n = stats.get("framesDecoded");
        return n == null ? 0 : ((Number) n).intValue();
    }
}
