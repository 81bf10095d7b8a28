package io.eddyrtc.perf.srtp;

import io.eddyrtc.crypto.srtp.SrtpConfig;
import io.eddyrtc.crypto.srtp.SrtpContext;
import io.eddyrtc.crypto.srtp.SrtpProfile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * eddy's SRTP protect and unprotect next to Pion's ({@code github.com/pion/srtp/v2}, its own benchmarks built
 * offline from Debian's {@code golang-github-pion-srtp.v2-dev}), in CPU time, round after round in one run, so
 * both see the same machine. Each round runs every case of both: Pion's {@code BenchmarkEncryptRTPInPlace} and
 * {@code BenchmarkEncryptRTP} (a 12-byte header and 100 or 1,000 bytes of payload, AEAD_AES_128_GCM and
 * AES128_CM_HMAC_SHA1_80) and {@code BenchmarkDecryptRTP} (its 6-byte test payload), a fixed number of
 * operations in a child process timed by its user and system CPU (its garbage collector included); eddy the
 * same packets in this JVM, timed by this thread's CPU, and by the wall clock to show what a busy machine does
 * to that. Printed: each case's median over the rounds, its lowest and highest (the spread), and bytes
 * allocated per operation (eddy: this thread; Pion: {@code -test.benchmem}).
 *
 * <p>eddy's protect copies the plain packet into a native slot and protects it there. Pion's
 * {@code EncryptRTPInPlace} benchmark copies it into a buffer it reuses and encrypts that: the same work.
 * {@code EncryptRTP} makes a new buffer per packet, and its garbage collector's work counts in the CPU time.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar
 * io.eddyrtc.perf.srtp.SrtpSideBySide PION_TEST_BINARY [rounds, default 5]} — or {@code perf/peers/pion-srtp/run.sh},
 * which builds the binary first.
 */
public final class SrtpSideBySide {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long SSRC = 0xCAFEBABEL;

    /**
     * One comparison: what Pion runs (null: an eddy-only row), and eddy's counterpart on its {@code engine}
     * ("gcrypt", the default where libgcrypt is; "openssl", the next for AES-GCM; "jdk", the portable fallback).
     */
    private record Case(String name, String pionBenchmark, SrtpProfile profile, boolean protect, int payload, long operations,
                        String engine) {}

    private static final SrtpProfile GCM = SrtpProfile.AEAD_AES_128_GCM;
    private static final SrtpProfile CM = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    private static final List<Case> CASES = List.of(
            new Case("protect AES-128-GCM, 1,000 B (Pion in place)", "^BenchmarkEncryptRTPInPlace$/^GCM-1000$", GCM, true, 1000,
                    2_000_000, "gcrypt"),
            new Case("protect AES-128-GCM, 1,000 B (Pion's new buffer)", "^BenchmarkEncryptRTP$/^GCM-1000$", GCM, true, 1000, 2_000_000,
                    "gcrypt"),
            new Case("protect AES-128-GCM, 100 B (Pion in place)", "^BenchmarkEncryptRTPInPlace$/^GCM-100$", GCM, true, 100, 3_000_000,
                    "gcrypt"),
            new Case("protect AES-128-GCM, 0 B (eddy's fixed cost)", null, GCM, true, 0, 3_000_000, "gcrypt"),
            new Case("protect AES-128-GCM, 1,000 B, eddy on OpenSSL's EVP", null, GCM, true, 1000, 2_000_000, "openssl"),
            new Case("protect AES-128-GCM, 0 B, eddy on OpenSSL's EVP", null, GCM, true, 0, 3_000_000, "openssl"),
            new Case("protect AES-128-GCM, 1,000 B, eddy on the JDK's GCM", null, GCM, true, 1000, 1_000_000, "jdk"),
            new Case("protect AES-CM-HMAC-SHA1-80, 1,000 B (Pion in place)", "^BenchmarkEncryptRTPInPlace$/^CTR-1000$", CM, true, 1000,
                    500_000, "gcrypt"),
            new Case("protect AES-CM-HMAC-SHA1-80, 1,000 B (Pion's new buffer)", "^BenchmarkEncryptRTP$/^CTR-1000$", CM, true, 1000,
                    500_000, "gcrypt"),
            new Case("protect AES-CM-HMAC-SHA1-80, 100 B (Pion in place)", "^BenchmarkEncryptRTPInPlace$/^CTR-100$", CM, true, 100,
                    1_000_000, "gcrypt"),
            new Case("protect AES-CM-HMAC-SHA1-80, 1,000 B, eddy on the JDK", null, CM, true, 1000, 500_000, "jdk"),
            new Case("unprotect AES-128-GCM, 6 B", "^BenchmarkDecryptRTP$/^GCM$", GCM, false, 6, 3_000_000, "gcrypt"),
            new Case("unprotect AES-CM-HMAC-SHA1-80, 6 B", "^BenchmarkDecryptRTP$/^CTR$", CM, false, 6, 3_000_000, "gcrypt"));

    private SrtpSideBySide() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: SrtpSideBySide PION_TEST_BINARY [rounds]; perf/peers/pion-srtp/run.sh builds it");
        }
        String pion = args[0];
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double[][] eddy = new double[CASES.size()][rounds];
        double[][] eddyWall = new double[CASES.size()][rounds];
        double[][] eddyBytes = new double[CASES.size()][rounds];
        double[][] theirs = new double[CASES.size()][rounds];
        double[][] theirBytes = new double[CASES.size()][rounds];
        for (Case c : CASES) { // compile eddy's paths before the first figure
            eddy(c, c.operations() / 2);
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < CASES.size(); i++) {
                Case c = CASES.get(i);
                double[] figures = eddy(c, c.operations());
                eddy[i][r] = figures[0];
                eddyWall[i][r] = figures[1];
                eddyBytes[i][r] = figures[2];
                double[] pionFigures = c.pionBenchmark() == null ? new double[] {Double.NaN, Double.NaN} : pion(pion, c);
                theirs[i][r] = pionFigures[0];
                theirBytes[i][r] = pionFigures[1];
            }
        }
        System.out.println("| case | eddy CPU ns/op, median (lowest–highest) | eddy wall ns/op (lowest–highest) | eddy B/op "
                + "| Pion CPU ns/op, median (lowest–highest) | Pion B/op | Pion ÷ eddy |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < CASES.size(); i++) {
            double e = median(eddy[i]);
            String ours = String.format(Locale.ROOT, "| %s | %.0f (%.0f–%.0f) | %.0f (%.0f–%.0f) | %.3f |", CASES.get(i).name(), e, min(eddy[i]),
                    max(eddy[i]), median(eddyWall[i]), min(eddyWall[i]), max(eddyWall[i]), median(eddyBytes[i]));
            if (CASES.get(i).pionBenchmark() == null) {
                System.out.println(ours + " | | | |");
            } else {
                double p = median(theirs[i]);
                System.out.printf(Locale.ROOT, "%s %.0f (%.0f–%.0f) | %.0f | %.2f |%n", ours, p, min(theirs[i]), max(theirs[i]),
                        median(theirBytes[i]), p / e);
            }
        }
    }

    /** eddy doing {@code n} of the case on this thread: CPU ns, wall-clock ns and bytes allocated, per operation. */
    private static double[] eddy(Case c, long n) {
        Random random = new Random(1);
        byte[] key = new byte[c.profile().masterKeyLength()];
        byte[] salt = new byte[c.profile().masterSaltLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        // read as a context is made; OpenSSL has no AES-CM engine in eddy
        System.setProperty(c.profile().isAead() ? "eddy.srtp.gcm" : "eddy.srtp.cm", c.engine());
        SrtpContext out = new SrtpContext(c.profile(), key, salt, SrtpConfig.defaults());
        SrtpContext in = new SrtpContext(c.profile(), key, salt, SrtpConfig.defaults());
        System.clearProperty("eddy.srtp.gcm");
        System.clearProperty("eddy.srtp.cm");
        MemorySegment slot = Arena.ofAuto().allocate(2048, 64);
        byte[] plain = new byte[12 + c.payload()];
        random.nextBytes(plain);
        plain[0] = (byte) 0x80;
        plain[1] = 96;
        MemorySegment.copy(MemorySegment.ofArray(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE}), 0,
                MemorySegment.ofArray(plain), 8, 4);
        // unprotect needs a fresh index each time (a replayed one is refused): a ring of packets protected in advance
        int ring = c.protect() ? 0 : 65_536;
        byte[][] protectedPackets = new byte[ring][];
        for (int i = 0; i < ring; i++) {
            plain[2] = (byte) (i >>> 8);
            plain[3] = (byte) i;
            MemorySegment.copy(plain, 0, slot, ValueLayout.JAVA_BYTE, 0, plain.length);
            int length = out.protectRtp(slot, 0, plain.length, (int) slot.byteSize());
            protectedPackets[i] = slot.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
        }
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long bytes0 = THREADS.getCurrentThreadAllocatedBytes();
        long sink = 0;
        for (long k = 0; k < n; k++) {
            if (c.protect()) {
                plain[2] = (byte) (k >>> 8);
                plain[3] = (byte) k;
                MemorySegment.copy(plain, 0, slot, ValueLayout.JAVA_BYTE, 0, plain.length);
                sink += out.protectRtp(slot, 0, plain.length, (int) slot.byteSize());
            } else {
                int i = (int) (k % ring);
                if (i == 0 && k > 0) {
                    in.removeStream(SSRC); // the ring starts over: a fresh stream, not a replay
                }
                byte[] p = protectedPackets[i];
                MemorySegment.copy(p, 0, slot, ValueLayout.JAVA_BYTE, 0, p.length);
                sink += in.unprotectRtp(slot, 0, p.length);
            }
        }
        long bytes = THREADS.getCurrentThreadAllocatedBytes() - bytes0;
        long wall = System.nanoTime() - wall0;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        if (sink == Long.MIN_VALUE) {
            System.out.println(sink);
        }
        return new double[] {(double) cpu / n, (double) wall / n, (double) bytes / n};
    }

    /**
     * Pion doing the case's operations in a child process: its user and system CPU ns per operation (the process's,
     * start-up included, a few milliseconds against seconds), and the bytes it allocated per operation.
     */
    private static double[] pion(String binary, Case c) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/time", "-f", "CPU %U %S", binary, "-test.run", "XXX", "-test.bench", c.pionBenchmark(),
                "-test.benchtime", c.operations() + "x", "-test.count", "1", "-test.benchmem").redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("Pion's benchmark failed: " + text);
        }
        double cpu = Double.NaN;
        double bytes = Double.NaN;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (line.startsWith("CPU ")) {
                cpu = (Double.parseDouble(f[1]) + Double.parseDouble(f[2])) * 1e9 / c.operations();
            }
            for (int i = 1; i < f.length; i++) {
                if (f[i].equals("B/op")) {
                    bytes = Double.parseDouble(f[i - 1]);
                }
            }
        }
        if (Double.isNaN(cpu)) {
            throw new IllegalStateException("no CPU line from /usr/bin/time: " + text);
        }
        return new double[] {cpu, bytes};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
