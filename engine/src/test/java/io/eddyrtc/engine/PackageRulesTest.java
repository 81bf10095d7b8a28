package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages point down (docs/design.md, "Packages"): {@code io.eddyrtc.engine} holds only the
 * public face, and nothing below it — {@code internal}, {@code internal.media}, {@code sdp}, {@code rtp}... —
 * uses the objects that reach into an {@code Rtc} ({@code Rtc}, {@code Media}, {@code MediaWriter},
 * {@code Channel}, {@code DirectApi}), only the public face's value types. {@code route} sits above the face
 * (it holds {@code Rtc}s), so it may use it, and nothing else in the engine may use {@code route}. A scan of the
 * main sources.
 */
class PackageRulesTest {
    static final Path ROOT = Path.of("src/main/java/io/eddyrtc/engine");
    static final Set<String> PUBLIC_FACE = Set.of("Rtc", "RtcConfig", "MediaConfig", "Input", "Output", "Event", "RtcDropReason",
            "DirectApi", "Media", "MediaWriter", "Channel", "IceCredentials");
    /** What the packages below may use of the public face: events, outputs, inputs, drop reasons, config records. */
    static final Set<String> VALUE_TYPES = Set.of("Event", "Output", "Input", "RtcDropReason", "RtcConfig", "MediaConfig",
            "IceCredentials");
    /** A public-face type named in code, by import (single or on demand) or fully qualified. */
    static final Pattern FACE_REFERENCE = Pattern.compile("\\bio\\.eddyrtc\\.engine\\.([A-Z]\\w*|\\*)");
    /** Packages above the public face: they hold Rtcs. */
    static final Set<String> ABOVE_THE_FACE = Set.of("route");
    static final Pattern ROUTE_REFERENCE = Pattern.compile("\\bio\\.eddyrtc\\.engine\\.route\\b");
    /** Comments and string literals, which name no type (a logger's name may spell the facade's). */
    static final Pattern NOT_CODE = Pattern.compile("/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"",
            Pattern.DOTALL);

    @Test
    void thePublicPackageHoldsOnlyThePublicFace() throws IOException {
        Set<String> types = new TreeSet<>();
        try (Stream<Path> files = Files.list(sources())) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".java") && !n.equals("package-info.java"))
                    .forEach(n -> types.add(n.substring(0, n.length() - ".java".length())));
        }
        assertEquals(new TreeSet<>(PUBLIC_FACE), types, "io.eddyrtc.engine is the public face; internals go to engine.internal");
    }

    @Test
    void nothingBelowThePublicFaceUsesItsObjects() throws IOException {
        List<String> violations = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(sources())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.getParent().equals(ROOT) && !isAbove(f)).toList()) {
                scanned++;
                violations.addAll(faceObjectsUsed(ROOT.relativize(file).toString(), Files.readString(file)));
            }
        }
        assertTrue(scanned > 100, "scanned only " + scanned + " files below " + ROOT);
        assertEquals(List.of(), violations, "classes below the public face may use its value types " + VALUE_TYPES + " only");
    }

    @Test
    void onlyThePackagesAboveTheFaceUseThem() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !isAbove(f)).toList()) {
                if (ROUTE_REFERENCE.matcher(NOT_CODE.matcher(Files.readString(file)).replaceAll(" ")).find()) {
                    violations.add(ROOT.relativize(file).toString());
                }
            }
        }
        assertEquals(List.of(), violations, "the router holds Rtcs; the Rtc and what is below it must not know it");
    }

    private static boolean isAbove(Path file) {
        Path relative = ROOT.relativize(file);
        return relative.getNameCount() > 1 && ABOVE_THE_FACE.contains(relative.getName(0).toString());
    }

    @Test
    void theScanSeesTheFacadeHoweverItIsNamed() {
        String code = """
                import io.eddyrtc.engine.Event;
                import io.eddyrtc.engine.Rtc;
                // import io.eddyrtc.engine.Media; (a comment does not count)
                class X { io.eddyrtc.engine.MediaWriter w; io.eddyrtc.engine.media.Mid mid; String s = "io.eddyrtc.engine.Rtc"; }
                """;
        assertEquals(List.of("X.java: io.eddyrtc.engine.Rtc", "X.java: io.eddyrtc.engine.MediaWriter"), faceObjectsUsed("X.java", code));
        assertEquals(List.of("Y.java: io.eddyrtc.engine.*"), faceObjectsUsed("Y.java", "import io.eddyrtc.engine.*;"));
    }

    /** The public-face types other than value types that {@code source} names in its code. */
    static List<String> faceObjectsUsed(String file, String source) {
        List<String> used = new ArrayList<>();
        Matcher m = FACE_REFERENCE.matcher(NOT_CODE.matcher(source).replaceAll(" "));
        while (m.find()) {
            if (!VALUE_TYPES.contains(m.group(1))) {
                used.add(file + ": " + m.group());
            }
        }
        return used;
    }

    static Path sources() {
        assertTrue(Files.isDirectory(ROOT), "run from the engine module: " + ROOT.toAbsolutePath() + " is not there");
        return ROOT;
    }
}
