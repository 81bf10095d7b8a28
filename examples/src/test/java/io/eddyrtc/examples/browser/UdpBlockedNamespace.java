package io.eddyrtc.examples.browser;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link TestNamespace} where UDP goes nowhere: nftables drops every UDP datagram in and out inside it. A
 * browser started through {@link #launcher()} can reach a server here over TCP only. Needs root, {@code ip} and
 * {@code nft} ({@code ci/prereqs.d/reach.sh}); removed on {@link #close()}.
 */
public final class UdpBlockedNamespace implements AutoCloseable {
    private final TestNamespace namespace;

    private UdpBlockedNamespace(TestNamespace namespace) {
        this.namespace = namespace;
    }

    /** Makes the namespace, its link and its rules. */
    public static UdpBlockedNamespace create() throws IOException, InterruptedException {
        return new UdpBlockedNamespace(TestNamespace.create("udpless", 231, ns -> {
            Path rules = Files.createTempFile("eddy-udpless", ".nft");
            try {
                Files.writeString(rules, """
                        table inet eddy_udpless {
                          chain out { type filter hook output priority 0; meta l4proto udp drop; }
                          chain in { type filter hook input priority 0; meta l4proto udp drop; }
                        }
                        """, StandardCharsets.US_ASCII);
                ns.inside("nft", "-f", rules.toString());
            } finally {
                Files.delete(rules);
            }
        }, "/usr/sbin/nft"));
    }

    /** This machine's end of the link: where a server the namespace should reach listens. */
    public InetAddress hostAddress() {
        return namespace.hostAddress();
    }

    /** The namespace's end of the link. */
    public InetAddress namespaceAddress() {
        return namespace.namespaceAddress();
    }

    /** A script that runs Chromium inside the namespace, for {@link HeadlessChromium#launch(Path, java.util.List, boolean)}. */
    public Path launcher() {
        return namespace.launcher();
    }

    @Override
    public void close() throws IOException {
        namespace.close();
    }

    @Override
    public String toString() {
        return "UdpBlockedNamespace[" + namespace + "]";
    }
}
