package io.eddyrtc.examples.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ./eddy loadgen}'s command line. */
class LoadOptionsTest {

    @Test
    void readsEveryOption() {
        LoadOptions o = LoadOptions.parse(new String[] {"--url", "http://127.0.0.1:3000/", "--rooms", "10", "--players", "10",
                "--video-kbps", "1500", "--fps", "25", "--simulcast", "--steady", "30", "--threads", "2", "--sfu-pid", "42",
                "--out", "results", "--label", "eddy-10x10", "--token", "t", "--held-players", "2", "--held-kbps", "400"});
        assertEquals(URI.create("http://127.0.0.1:3000"), o.url(), "a trailing slash is dropped: paths are appended");
        assertEquals(110, o.peers());
        assertEquals(1_500_000, o.videoBitsPerSecond());
        assertEquals(25, o.fps());
        assertTrue(o.simulcast());
        assertEquals(30, o.steadySecs());
        assertEquals(42, o.sfuPid());
        assertEquals(Path.of("results"), o.out());
        assertEquals("eddy-10x10", o.label());
        assertEquals("t", o.token());
        assertEquals(2, o.heldPlayers());
        assertEquals(400_000, o.heldBitsPerSecond());
    }

    @Test
    void mistakesNameThemselvesAndShowTheUsage() {
        IllegalArgumentException noUrl = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--rooms", "2"}));
        assertTrue(noUrl.getMessage().startsWith("--url is required") && noUrl.getMessage().contains("usage: ./eddy loadgen"));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.parse(new String[] {"--url", "http://h:1", "--rooms", "many"}));
        assertTrue(nan.getMessage().startsWith("--rooms: not a number: many"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--url", "http://h:1", "--fps", "0"}));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--url", "http://h:1", "--bogus", "1"}));
        IllegalArgumentException unheld = assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.parse(new String[] {"--url", "http://h:1", "--players", "2", "--held-players", "1"}));
        assertTrue(unheld.getMessage().startsWith("held players need --held-kbps"), unheld.getMessage());
    }
}
