package io.eddyrtc.examples.browser;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test, where UDP goes nowhere: joined to this machine by a veth pair
 * ({@link #hostAddress()} here, {@link #namespaceAddress()} inside), with nftables dropping every UDP datagram in and
 * out inside it. A browser started through {@link #launcher()} lives in it and can reach a server here over TCP only.
 * Needs root, {@code ip} and {@code nft} ({@code ci/prereqs.d/reach.sh}); fails naming what is missing. Removed on
 * {@link #close()} (the namespace takes its end of the pair with it).
 */
public final class UdpBlockedNamespace implements AutoCloseable {
    private final String name;
    private final String hostLink;
    private final InetAddress host;
    private final InetAddress inside;
    private final Path launcher;

    private UdpBlockedNamespace(String name, String hostLink, InetAddress host, InetAddress inside, Path launcher) {
        this.name = name;
        this.hostLink = hostLink;
        this.host = host;
        this.inside = inside;
        this.launcher = launcher;
    }

    /** Makes the namespace, its link and its rules. */
    public static UdpBlockedNamespace create() throws IOException, InterruptedException {
        for (String tool : List.of("/usr/sbin/ip", "/usr/sbin/nft")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is missing: install iproute2 and nftables ('apt-get install iproute2 nftables'; "
                        + "./eddy test does this via ci/prereqs.d/reach.sh)");
            }
        }
        int id = (int) (ProcessHandle.current().pid() % 250) + 1; // a name and subnet of this JVM's own
        String name = "eddy-udpless-" + id;
        String hostLink = "eddyu" + id + "h";
        String nsLink = "eddyu" + id + "n";
        InetAddress host = InetAddress.getByName("10.231." + id + ".1");
        InetAddress inside = InetAddress.getByName("10.231." + id + ".2");
        run("ip", "netns", "add", name);
        UdpBlockedNamespace ns = null;
        try {
            run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", nsLink);
            run("ip", "link", "set", nsLink, "netns", name);
            run("ip", "addr", "add", host.getHostAddress() + "/30", "dev", hostLink);
            run("ip", "link", "set", hostLink, "up");
            run("ip", "netns", "exec", name, "ip", "addr", "add", inside.getHostAddress() + "/30", "dev", nsLink);
            run("ip", "netns", "exec", name, "ip", "link", "set", nsLink, "up");
            run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
            Path rules = Files.createTempFile("eddy-udpless", ".nft");
            Files.writeString(rules, """
                    table inet eddy_udpless {
                      chain out { type filter hook output priority 0; meta l4proto udp drop; }
                      chain in { type filter hook input priority 0; meta l4proto udp drop; }
                    }
                    """, StandardCharsets.US_ASCII);
            run("ip", "netns", "exec", name, "nft", "-f", rules.toString());
            Files.delete(rules);
            Path launcher = Files.createTempFile("eddy-chromium-in-" + name, ".sh");
            String chromium = System.getenv().getOrDefault("EDDY_CHROMIUM", "/usr/bin/chromium");
            Files.writeString(launcher, "#!/bin/sh\nexec /usr/sbin/ip netns exec " + name + " " + chromium + " \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
            ns = new UdpBlockedNamespace(name, hostLink, host, inside, launcher);
            return ns;
        } finally {
            if (ns == null) {
                quietly("ip", "netns", "del", name);
                quietly("ip", "link", "del", hostLink);
            }
        }
    }

    /** This machine's end of the link: where a server the namespace should reach listens. */
    public InetAddress hostAddress() {
        return host;
    }

    /** The namespace's end of the link. */
    public InetAddress namespaceAddress() {
        return inside;
    }

    /** A script that runs Chromium inside the namespace, for {@link HeadlessChromium#launch(Path, List, boolean)}. */
    public Path launcher() {
        return launcher;
    }

    @Override
    public void close() throws IOException {
        quietly("ip", "netns", "del", name);
        quietly("ip", "link", "del", hostLink);
        Files.deleteIfExists(launcher);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of(command));
        full.set(0, "/usr/sbin/" + command[0]);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (root is needed for network namespaces): " + output);
        }
    }

    private static void quietly(String... command) {
        try {
            List<String> full = new ArrayList<>(List.of(command));
            full.set(0, "/usr/sbin/" + command[0]);
            new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // cleaning up what may already be gone
        }
    }

    @Override
    public String toString() {
        return "UdpBlockedNamespace[" + name + ", " + host.getHostAddress() + " <-> " + inside.getHostAddress() + "]";
    }
}
