package io.eddyrtc.examples.interop;

import io.eddyrtc.examples.httppost.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * werift (npm, the version pinned in {@code src/test/node/werift-peer/package-lock.json}) running as a
 * separate Node.js process: an independent WebRTC implementation for interop tests. It speaks JSON lines
 * over stdin/stdout (the protocol is at the top of {@code peer.mjs}).
 */
final class WeriftPeer implements AutoCloseable {
    static final Path DIR = Path.of("src/test/node/werift-peer").toAbsolutePath();

    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();

    private WeriftPeer(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("werift-stdout").start(() -> pump(process.getInputStream(), lines::add));
        Thread.ofPlatform().daemon().name("werift-stderr").start(() -> pump(process.getErrorStream(), l -> stderr.append(l).append('\n')));
    }

    /** Starts werift as the answering ({@code "answer"}) or offering ({@code "offer"}) side. */
    static WeriftPeer start(String role) throws IOException {
        if (!Files.isDirectory(DIR.resolve("node_modules/werift"))) {
            throw new IllegalStateException("werift is not installed in " + DIR + ": run ci/prereqs.sh (./eddy test does) "
                    + "or 'npm ci' in that directory");
        }
        ProcessBuilder pb = new ProcessBuilder("node", "peer.mjs", role).directory(DIR.toFile());
        try {
            return new WeriftPeer(pb.start());
        } catch (IOException e) {
            throw new IllegalStateException("could not start Node.js ('node' on PATH) for the werift peer: " + e.getMessage(), e);
        }
    }

    /** werift's version, from its installed package.json. */
    static String version() throws IOException {
        String json = Files.readString(DIR.resolve("node_modules/werift/package.json"));
        return Json.string(json, "version");
    }

    void send(String jsonLine) throws IOException {
        stdin.write(jsonLine);
        stdin.write('\n');
        stdin.flush();
    }

    /** The next line (from now on) that {@code test} accepts; fails with everything werift said if none comes in time. */
    String await(Predicate<String> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String line : seen) {
            if (test.test(line)) {
                return line;
            }
        }
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("werift did not say what was expected within " + timeout + "; it said:\n"
                        + String.join("\n", seen) + "\nstderr:\n" + stderr);
            }
            seen.add(line);
            if (test.test(line)) {
                return line;
            }
        }
    }

    /** Everything werift wrote so far (for failure messages). */
    String transcript() {
        String pending;
        while ((pending = lines.poll()) != null) {
            seen.add(pending);
        }
        return String.join("\n", seen) + (stderr.isEmpty() ? "" : "\nstderr:\n" + stderr);
    }

    /** Ends the process with SIGKILL, as a crash or a pulled plug would: no close, no goodbye; returns once it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("werift (pid " + process.pid() + ") did not end within 10 s of SIGKILL");
        }
    }

    @Override
    public void close() throws Exception {
        try {
            send("{\"cmd\":\"close\"}");
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static void pump(java.io.InputStream in, java.util.function.Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                sink.accept(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
