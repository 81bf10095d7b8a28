package io.eddyrtc.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.examples.browser.HeadlessChromium;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
        try (ChatServer server = ChatServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                InetAddress.getLoopbackAddress(), log);
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

    private static int decoded(Map<?, ?> stats) {
        Object n = stats.get("framesDecoded");
        return n == null ? 0 : ((Number) n).intValue();
    }
}
