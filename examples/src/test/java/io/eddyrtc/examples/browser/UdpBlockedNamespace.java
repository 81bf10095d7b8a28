package io.eddyrtc.examples.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link TestNamespace} where UDP goes nowhere: nftables drops every UDP datagram in and out inside it. A
 * browser started through {@link #launcher()} can reach a server here over TCP only. Needs root, {@code ip} and
 * {@code nft} ({@code ci/prereqs.d/reach.sh}); removed on {@link #close()}.
 */
public final class UdpBlockedNamespace extends TestNamespace {
    private UdpBlockedNamespace() throws IOException, InterruptedException {
        super("udpless", 231, "/usr/sbin/nft");
    }

    /** Makes the namespace, its link and its rules. */
    public static UdpBlockedNamespace create() throws IOException, InterruptedException {
        UdpBlockedNamespace made = new UdpBlockedNamespace();
        Path rules = Files.createTempFile("eddy-udpless", ".nft");
        try {
            Files.writeString(rules, """
                    table inet eddy_udpless {
                      chain out { type filter hook output priority 0; meta l4proto udp drop; }
                      chain in { type filter hook input priority 0; meta l4proto udp drop; }
                    }
                    """, StandardCharsets.US_ASCII);
            made.inside("nft", "-f", rules.toString());
        } catch (IOException | InterruptedException | RuntimeException e) {
            made.close();
            throw e;
        } finally {
            Files.delete(rules);
        }
        return made;
    }
}
