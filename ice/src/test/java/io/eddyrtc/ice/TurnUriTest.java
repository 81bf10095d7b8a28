package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** {@code turn:}/{@code turns:} URIs as browsers take them (RFC 7065), and the server they name. */
class TurnUriTest {

    @Test
    void theFormsBrowsersAccept() {
        assertEquals(new TurnUri("turn.example.org", 3478, Transport.UDP, false), TurnUri.parse("turn:turn.example.org"));
        assertEquals(new TurnUri("192.0.2.7", 80, Transport.TURN_TCP, false), TurnUri.parse("turn:192.0.2.7:80?transport=tcp"));
        assertEquals(new TurnUri("192.0.2.7", 3478, Transport.UDP, false), TurnUri.parse("TURN:192.0.2.7?transport=UDP"));
        assertEquals(new TurnUri("2001:db8::1", 3479, Transport.UDP, false), TurnUri.parse("turn:[2001:db8::1]:3479"));
        TurnUri secure = TurnUri.parse("turns:turn.example.org");
        assertEquals(new TurnUri("turn.example.org", 5349, Transport.TURN_TCP, true), secure);
        assertEquals("turns:turn.example.org:5349?transport=tcp", secure.toString());
    }

    @Test
    void malformedUrisSayWhatIsWrong() {
        for (String bad : new String[] {"stun:192.0.2.1", "turn:", "turn:host:0", "turn:host:99999", "turn:host?transport=sctp",
                "turns:host?transport=udp", "turn:[2001:db8::1", "turn:ho st", null, " "}) {
            assertThrows(IllegalArgumentException.class, () -> TurnUri.parse(bad), String.valueOf(bad));
        }
    }

    @Test
    void aServerNeedsAnAddressAndNoTlsYet() throws Exception {
        TurnServer s = TurnServer.parse("turn:192.0.2.7:3478?transport=tcp", "alice", "pw");
        assertEquals(new InetSocketAddress("192.0.2.7", 3478), s.address());
        assertEquals(Transport.TURN_TCP, s.transport());
        assertFalse(s.toString().contains("pw"), "the password stays out of logs: " + s);
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> TurnServer.parse("turn:turn.example.org", "alice", "pw"));
        assertTrue(name.getMessage().contains("resolve"), name.getMessage());
        TurnServer resolved = TurnServer.of(TurnUri.parse("turn:turn.example.org"), InetAddress.getByName("192.0.2.8"), "alice", "pw");
        assertEquals(new InetSocketAddress("192.0.2.8", 3478), resolved.address());
        IllegalArgumentException tls = assertThrows(IllegalArgumentException.class,
                () -> TurnServer.parse("turns:192.0.2.7", "alice", "pw"));
        assertTrue(tls.getMessage().contains("TLS"), tls.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TurnServer(s.address(), Transport.TCP, "alice", "pw"));
    }
}
