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
        return Path.of(System.getProperty("eddy.shared", "/work/shared"), "fixtures", "sdp");
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
