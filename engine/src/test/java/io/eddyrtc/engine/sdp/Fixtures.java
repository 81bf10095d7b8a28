package io.eddyrtc.engine.sdp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real browser SDPs in the shared fixtures directory (system property {@code eddy.shared}). */
final class Fixtures {
    private Fixtures() {
    }

    static Path dir() {
        String shared = System.getProperty("eddy.shared");
        if (shared == null || shared.isBlank()) {
            throw new IllegalStateException("system property eddy.shared is not set: run the tests through Maven "
                    + "(the parent pom sets it to ../shared beside the checkout) or pass -Deddy.shared=DIR, where DIR "
                    + "holds fixtures/sdp");
        }
        Path dir = Path.of(shared, "fixtures", "sdp");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no SDP fixtures at " + dir.toAbsolutePath() + " (eddy.shared=" + shared
                    + "): point -Deddy.shared at the shared directory that holds fixtures/sdp");
        }
        return dir;
    }

    static String read(String name) {
        try {
            return Files.readString(dir().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> all() {
        try (Stream<Path> s = Files.list(dir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sdp")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> offers() {
        return all().stream().filter(n -> n.contains("offer") && !n.endsWith(".answer.sdp")).toList();
    }
}
