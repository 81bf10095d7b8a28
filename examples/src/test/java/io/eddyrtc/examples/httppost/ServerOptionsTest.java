package io.eddyrtc.examples.httppost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.net.PeerLimits;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The command line of {@code http-post} and {@code chat}: safe defaults, and a clear word on anything else. */
class ServerOptionsTest {

    @Test
    void byDefaultThePageIsOnLoopbackOverHttpWithTheStatedLimits() throws Exception {
        ServerOptions options = ServerOptions.parse("chat", new String[0]);
        assertTrue(options.http().getAddress().isLoopbackAddress(), "bound to loopback: " + options.http());
        assertEquals(3000, options.http().getPort());
        assertNull(options.tls());
        assertEquals(new PeerLimits(100, Duration.ofSeconds(15), Duration.ofSeconds(10)), options.limits());
        assertEquals(Duration.ofSeconds(30), options.consentTimeout());
        assertEquals("http://localhost:3000/", options.pageUrl(3000));
        assertTrue(options.describe().contains("this machine only"), options.describe());
    }

    @Test
    void everyOptionIsRead() throws Exception {
        ServerOptions options = ServerOptions.parse("http-post", new String[] {"--bind", "0.0.0.0", "--port", "8443",
                "--host-ip", "127.0.0.1", "--https", "--max-peers", "5", "--connect-timeout", "7", "--disconnected-timeout", "3",
                "--tcp", "8444"});
        assertTrue(options.http().getAddress().isAnyLocalAddress());
        assertEquals(8443, options.http().getPort());
        assertEquals(InetAddress.getLoopbackAddress(), options.hostIp());
        assertNotNull(options.tls(), "--https makes a self-signed certificate");
        assertEquals(new PeerLimits(5, Duration.ofSeconds(7), Duration.ofSeconds(3)), options.limits());
        assertEquals("https://localhost:8443/", options.pageUrl(8443), "served everywhere: the host candidate's address is shown");
        assertTrue(options.describe().contains("TLS certificate SHA-256 " + options.tls().fingerprint()), options.describe());
        assertEquals(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 8444), options.tcp(), "ICE-TCP at the host address");
        assertTrue(options.describe().contains("ICE-TCP: a passive TCP candidate on port 8444"), options.describe());
        assertNull(ServerOptions.parse("chat", new String[0]).tcp(), "no TCP unless asked");
    }

    @Test
    void mistakesAreNamedWithTheUsage() {
        for (String[] args : new String[][] {{"--cert", "a.pem"}, {"--verbose"}, {"--port"}, {"--port", "web"}, {"--max-peers", "0"}, {"--tcp", "70000"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse("chat", args),
                    String.join(" ", args));
            assertTrue(e.getMessage().contains("usage: ./eddy chat [--port 3000]") || e.getMessage().contains("maxPeers must be at least 1"),
                    e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse("chat", new String[] {"--key", "k.pem"}))
                .getMessage().contains("--cert and --key go together"));
    }

    @Test
    void theConsentTimeoutSetsTheServersIce() {
        assertEquals(Duration.ofSeconds(5).toNanos(), ServerOptions.loopback().ice().consentIntervalNanos(), "RFC 7675's 5 s");
        ServerOptions quick = ServerOptions.loopback().withConsentTimeout(Duration.ofSeconds(2));
        assertEquals(Duration.ofSeconds(2).toNanos(), quick.ice().consentTimeoutNanos());
        assertTrue(quick.ice().consentIntervalNanos() < quick.ice().consentTimeoutNanos());
    }
}
