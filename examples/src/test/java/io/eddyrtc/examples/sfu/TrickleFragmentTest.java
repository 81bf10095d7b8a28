package io.eddyrtc.examples.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The trickle-ICE fragments of RFC 8840 as a WHIP client PATCHes them. */
class TrickleFragmentTest {

    @Test
    void readsCredentialsCandidatesAndTheEnd() {
        TrickleFragment f = TrickleFragment.parse("a=ice-ufrag:EsAw\r\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\na=group:BUNDLE 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
                + "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw network-id 1\r\n"
                + "a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0 ufrag EsAw network-id 2\r\n"
                + "a=end-of-candidates\r\n");
        assertEquals("EsAw", f.ufrag());
        assertEquals("P2uYro0UCOQ4zxjKXaWCBui1", f.password());
        assertEquals(2, f.candidates().size());
        assertEquals(new InetSocketAddress("198.51.100.2", 61765), f.candidates().get(1).address());
        assertTrue(f.end());
    }

    @Test
    void aFragmentWithNothingButCandidatesHasNoCredentialsAndNoEnd() {
        TrickleFragment f = TrickleFragment.parse("a=candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host\n");
        assertNull(f.ufrag());
        assertFalse(f.end());
        assertEquals(1, f.candidates().size());
    }

    @Test
    void refusesWhatIsNotAFragmentAndMoreCandidatesThanABrowserGathers() {
        assertThrows(IllegalArgumentException.class, () -> TrickleFragment.parse("hello\r\n"));
        assertThrows(IllegalArgumentException.class, () -> TrickleFragment.parse("a=candidate:garbage\r\n"));
        String many = "a=candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host\r\n".repeat(TrickleFragment.MAX_CANDIDATES + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrickleFragment.parse(many));
        assertTrue(e.getMessage().contains("more than " + TrickleFragment.MAX_CANDIDATES), e.getMessage());
    }
}
