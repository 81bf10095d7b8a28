package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Debian's coturn ({@code turnserver}) as a TURN server on loopback for one test class: long-term credentials
 * (one user) in a config file written here, UDP and TCP on one free port, relaying on loopback, a verbose log the
 * test reads to see allocations made and released. Stopped by {@link #close()}. Fails, never skips, when coturn is
 * missing ({@code ci/prereqs.d/ice.sh} installs it).
 */
final class Coturn implements AutoCloseable {
    static final String REALM = "eddy.test";
    static final String USER = "alice";
    static final String PASSWORD = "secret-pass";

    private final Process process;
    private final Path dir;
    private final Path log;
    final InetSocketAddress address;

    private Coturn(Process process, Path dir, Path log, InetSocketAddress address) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.address = address;
    }

    static Coturn start() throws IOException {
        File binary = new File("/usr/bin/turnserver");
        if (!binary.canExecute()) {
            fail("coturn is missing: /usr/bin/turnserver not found. Install it with `apt-get install -y coturn` "
                    + "(./eddy test does this via ci/prereqs.d/ice.sh)");
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int port = freePortForBoth(loopback);
        Path dir = Files.createTempDirectory("eddy-coturn-relay");
        Path log = dir.resolve("turn.log");
        Path config = dir.resolve("turnserver.conf");
        Files.writeString(config, String.join("\n",
                "listening-ip=127.0.0.1",
                "listening-port=" + port,
                "relay-ip=127.0.0.1",
                "realm=" + REALM,
                "lt-cred-mech",
                "user=" + USER + ":" + PASSWORD,
                "fingerprint",
                "no-tls",
                "no-dtls",
                "no-cli",
                "allow-loopback-peers",
                "verbose",
                "simple-log",
                "no-stdout-log",
                "log-file=" + log,
                "pidfile=" + dir.resolve("turn.pid"),
                "userdb=" + dir.resolve("turndb"),
                ""), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(binary.getPath(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Coturn coturn = new Coturn(p, dir, log, new InetSocketAddress(loopback, port));
        coturn.waitForLog(text -> text.contains("Total General servers") || text.contains("relay 127.0.0.1 initialization done"),
                Duration.ofSeconds(15), "coturn to start");
        return coturn;
    }

    /** A port free for both UDP and TCP on {@code address} (a moment ago). */
    private static int freePortForBoth(InetAddress address) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(0, address)) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, address)) {
                    return port;
                } catch (IOException taken) {
                    // that port is taken over TCP: try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + address);
    }

    /** Everything coturn logged so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the log satisfies {@code condition}; fails naming {@code what} and the log's place if it never does. */
    void waitForLog(Predicate<String> condition, Duration bound, String what) {
        long end = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                fail("turnserver exited with " + process.exitValue() + " while waiting for " + what + "; see " + dir);
            }
            if (condition.test(log())) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        fail("coturn's log never showed " + what + " within " + bound.toSeconds() + " s; log:\n" + log());
    }

    /** How many times {@code text} occurs in the log. */
    long count(String text) {
        String all = log();
        long n = 0;
        for (int at = all.indexOf(text); at >= 0; at = all.indexOf(text, at + 1)) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
