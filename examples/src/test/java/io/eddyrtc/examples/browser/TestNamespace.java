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
 * A network namespace made for one test, joined to this machine by a veth pair ({@link #hostAddress()} here,
 * {@link #namespaceAddress()} inside). A browser started through {@link #launcher()} lives in it; what the
 * namespace is for (rules, shaping) a subclass adds with {@link #inside} and {@link #onHost}. Needs root and
 * {@code ip} ({@code ci/prereqs.d/reach.sh}); fails naming what is missing. Removed on {@link #close()} (the
 * namespace takes its end of the pair with it).
 */
public abstract class TestNamespace implements AutoCloseable {
    private final String name;
    private final String hostLink;
    private final InetAddress host;
    private final InetAddress inside;
    private final Path launcher;

    /**
     * Makes a namespace named after {@code kind} (a few letters) on the subnet {@code 10.<subnet>.<id>.0/30},
     * {@code id} this JVM's own, so two kinds and two JVMs do not meet; {@code tools} are what the subclass
     * runs besides {@code ip}. A subclass that fails to finish setting up calls {@link #close()}.
     */
    protected TestNamespace(String kind, int subnet, String... tools) throws IOException, InterruptedException {
        List<String> needed = new ArrayList<>(List.of("/usr/sbin/ip"));
        needed.addAll(List.of(tools));
        for (String tool : needed) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is missing: install iproute2 and nftables ('apt-get install iproute2 nftables'; "
                        + "./eddy test does this via ci/prereqs.d/reach.sh)");
            }
        }
        int id = (int) (ProcessHandle.current().pid() % 250) + 1;
        this.name = "eddy-" + kind + "-" + id;
        this.hostLink = "eddy" + kind.charAt(0) + id + "h";
        String nsLink = "eddy" + kind.charAt(0) + id + "n";
        this.host = InetAddress.getByName("10." + subnet + "." + id + ".1");
        this.inside = InetAddress.getByName("10." + subnet + "." + id + ".2");
        run("ip", "netns", "add", name);
        boolean made = false;
        try {
            run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", nsLink);
            run("ip", "link", "set", nsLink, "netns", name);
            run("ip", "addr", "add", host.getHostAddress() + "/30", "dev", hostLink);
            run("ip", "link", "set", hostLink, "up");
            run("ip", "netns", "exec", name, "ip", "addr", "add", inside.getHostAddress() + "/30", "dev", nsLink);
            run("ip", "netns", "exec", name, "ip", "link", "set", nsLink, "up");
            run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
            this.launcher = Files.createTempFile("eddy-chromium-in-" + name, ".sh");
            String chromium = System.getenv().getOrDefault("EDDY_CHROMIUM", "/usr/bin/chromium");
            Files.writeString(launcher, "#!/bin/sh\nexec /usr/sbin/ip netns exec " + name + " " + chromium + " \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
            made = true;
        } finally {
            if (!made) {
                quietly("ip", "netns", "del", name);
                quietly("ip", "link", "del", hostLink);
            }
        }
    }

    /** Runs {@code command} (a tool in /usr/sbin and its arguments) inside the namespace. */
    protected void inside(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name, "/usr/sbin/" + command[0]));
        full.addAll(List.of(command).subList(1, command.length));
        run(full.toArray(String[]::new));
    }

    /** Runs {@code command} (a tool in /usr/sbin and its arguments) on this machine. */
    protected void onHost(String... command) throws IOException, InterruptedException {
        run(command);
    }

    /** This machine's end of the link. */
    protected String hostLink() {
        return hostLink;
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
        return getClass().getSimpleName() + "[" + name + " " + host.getHostAddress() + " <-> " + inside.getHostAddress() + "]";
    }
}
