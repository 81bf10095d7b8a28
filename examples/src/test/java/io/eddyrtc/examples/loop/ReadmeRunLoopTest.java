package io.eddyrtc.examples.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.examples.demo.LoopbackDemo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's run loop is real code: it is the marked region of {@link UdpRunLoop} (which compiles), and
 * the loopback demo runs it on two real UDP sockets until both peers connect.
 */
class ReadmeRunLoopTest {
    /** Surefire runs in the module directory; the repository root is its parent. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void readmeShowsExactlyTheLoopThatCompiles() throws IOException {
        String source = Files.readString(ROOT.resolve("examples/src/main/java/io/eddyrtc/examples/loop/UdpRunLoop.java"));
        List<String> region = dedent(between(source, "// README:begin\n", "        // README:end"));
        String readme = Files.readString(ROOT.resolve("README.md"));
        String block = between(readme, "<!-- run-loop:begin (UdpRunLoop.java; ReadmeRunLoopTest keeps them equal) -->\n```java\n", "```\n");
        assertEquals(String.join("\n", region), String.join("\n", dedent(block)),
                "README.md's run loop differs from UdpRunLoop's README region: copy the region into the README");
    }

    @Test
    void theLoopConnectsTwoPeersOverLoopbackUdp() throws Exception {
        LoopbackDemo.Summary summary = LoopbackDemo.run(Duration.ofMillis(500));
        assertTrue(summary.bothConnected(), () -> "both peers connect: " + summary);
        assertNotNull(summary.a().selectedPair());
        assertNotNull(summary.b().selectedPair());
        assertEquals(summary.a().address(), summary.b().selectedPair().remote().address(), "B sends to A's socket");
        assertEquals(summary.b().address(), summary.a().selectedPair().remote().address(), "A sends to B's socket");
        assertTrue(summary.a().datagramsReceived() > 0 && summary.b().datagramsReceived() > 0);
        assertTrue(summary.messagesDelivered(), "data channel messages arrived both ways: " + summary);
        assertTrue(summary.captureFrames() > 100, "the shared VP8 capture was found and replayed");
        assertTrue(summary.videoDelivered(), "every replayed VP8 frame arrived: " + summary.b().videoFrames() + "/" + summary.captureFrames());
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        LoopbackDemo.print(summary, new PrintStream(text, true, StandardCharsets.UTF_8));
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("ICE connected after"), printed);
        assertTrue(printed.contains("DTLS connected after"), printed);
        assertTrue(summary.a().srtpProfile().startsWith("AEAD_AES_256_GCM"), "eddy's preferred SRTP profile: " + summary.a().srtpProfile());
        assertNotNull(summary.a().egress(), "A reported statistics of the stream it sent");
        long rtt = summary.a().egress().stats().rttNanos();
        assertTrue(rtt > 0 && rtt < 1_000_000_000L, "an RTT from B's receiver reports over loopback: " + rtt);
        assertTrue(printed.contains("RTT ") && printed.contains(" lost, jitter "), printed);
    }

    private static String between(String text, String begin, String end) {
        int from = text.indexOf(begin);
        assertTrue(from >= 0, "missing marker: " + begin.strip());
        from += begin.length();
        int to = text.indexOf(end, from);
        assertTrue(to >= 0, "missing end marker: " + end.strip());
        return text.substring(from, to);
    }

    /** Lines without trailing blanks and without the indentation they all share. */
    private static List<String> dedent(String block) {
        List<String> lines = block.lines().map(String::stripTrailing).collect(Collectors.toList());
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        int indent = lines.stream().filter(l -> !l.isEmpty()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList();
    }
}
