package io.eddyrtc.examples.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code ./eddy sfu}'s command line: its own options, and the example servers' passed on. */
class SfuOptionsTest {

    @Test
    void takesTheTokenAndPassesTheRestOn() throws Exception {
        SfuOptions o = SfuOptions.parse(new String[] {"--port", "4000", "--token", "abc.DEF-1", "--max-peers", "7"});
        assertEquals("abc.DEF-1", o.token());
        assertEquals(4000, o.server().http().getPort());
        assertEquals(7, o.server().limits().maxPeers());
        assertNull(SfuOptions.parse(new String[0]).token(), "no token unless asked");
    }

    @Test
    void mistakesNameThemselvesAndShowTheUsage() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> SfuOptions.parse(new String[] {"--token"}));
        assertTrue(missing.getMessage().startsWith("--token needs a value") && missing.getMessage().contains("[--token SECRET] [--jfr FILE]"),
                missing.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> SfuOptions.parse(new String[] {"--nope", "1"}));
        assertTrue(unknown.getMessage().contains("unknown option --nope") && unknown.getMessage().contains("usage: ./eddy sfu"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SfuOptions.parse(new String[] {"--token", "has space"}));
    }
}
