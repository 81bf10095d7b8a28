package io.eddyrtc.perf.dtls;

import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsEndpoint;
import io.eddyrtc.crypto.dtls.DtlsEvent;
import io.eddyrtc.crypto.dtls.DtlsVersion;
import io.eddyrtc.crypto.dtls.NamedGroup;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Server-side DTLS handshakes per second per core, by CPU time: complete handshakes between two endpoints
 * in one thread, where the thread's CPU time (not wall time, which a busy shared machine stretches) inside
 * the server's calls (its construction, every datagram in, taking its datagrams and its Connected) and the
 * bytes it allocates there are counted apart from the client's. For each protocol (1.2/X25519,
 * 1.3/X25519, 1.3/X25519MLKEM768): a warm-up until the JIT compiler is done, then the measured handshakes.
 * The collector's time over them is given apart (the thread's CPU time leaves it out, and Pion's figure, its
 * process's CPU time, has its collector's in it): run with {@code -XX:ActiveProcessorCount=1}, as Pion runs
 * with {@code GOMAXPROCS=1}, the JVM collects in one thread while the handshakes wait, so that time is CPU time.
 *
 * <p>{@code java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar io.eddyrtc.perf.dtls.DtlsHandshakeCpu [handshakes [protocol]]}
 * (the Pion counterpart: {@code perf/peers/pion-dtls/run.sh}); {@code protocol}, e.g. {@code "DTLS 1.3/X25519"}, runs
 * that one alone (for a profile of it).
 */
public final class DtlsHandshakeCpu {
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 6000);

    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final DtlsConfig config;
    private final SecureRandom secure = new SecureRandom();
    private final DtlsCertificate clientCert = DtlsCertificate.generate(secure);
    private final DtlsCertificate serverCert = DtlsCertificate.generate(secure);
    private long serverCpu;
    private long serverBytes;
    private long totalCpu;
    private long totalWall;

    private DtlsHandshakeCpu(DtlsVersion version, NamedGroup group) {
        this.config = DtlsConfig.defaults().withCookies(false).withVersions(version).withGroups(List.of(group));
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        System.out.printf("%-26s %14s %10s %13s %12s %11s %12s %12s%n", "protocol", "server CPU µs", "server /s", "server bytes",
                "pair CPU µs", "pairs /s", "pair GC µs", "pair wall µs");
        Object[][] protocols = {{DtlsVersion.DTLS_1_2, NamedGroup.X25519}, {DtlsVersion.DTLS_1_3, NamedGroup.X25519},
                {DtlsVersion.DTLS_1_3, NamedGroup.X25519MLKEM768}};
        for (Object[] p : protocols) {
            if (args.length > 1 && !args[1].equals(p[0] + "/" + p[1])) {
                continue;
            }
            DtlsHandshakeCpu run = new DtlsHandshakeCpu((DtlsVersion) p[0], (NamedGroup) p[1]);
            run.warmUp(Math.max(500, n / 2));
            run.serverCpu = 0;
            run.serverBytes = 0;
            run.totalCpu = 0;
            run.totalWall = 0;
            System.gc(); // the warm-up's garbage is not the measured handshakes' to collect
            long gc = gcMillis();
            run.handshakes(n);
            double gcMicros = (gcMillis() - gc) * 1e3 / n;
            double serverMicros = run.serverCpu / 1e3 / n;
            double pairMicros = run.totalCpu / 1e3 / n;
            System.out.printf("%-26s %14.1f %10.0f %13d %12.1f %11.0f %12.1f %12.1f%n", p[0] + "/" + p[1], serverMicros, 1e6 / serverMicros,
                    run.serverBytes / n, pairMicros, 1e6 / pairMicros, gcMicros, run.totalWall / 1e3 / n);
        }
    }

    /** The collectors' time so far (their pauses, as the JVM counts them). */
    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /**
     * At least {@code n} handshakes, then more until the JIT compiler is done (a round of 500 without
     * compilation time), at most 40 rounds: code still interpreted or in a lower tier would be counted, and on
     * a busy machine the compiler threads get their turn late.
     */
    private void warmUp(int n) {
        handshakes(n);
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        for (int round = 0; round < 40; round++) {
            long compiled = jit.getTotalCompilationTime();
            handshakes(500);
            if (jit.getTotalCompilationTime() == compiled) {
                return;
            }
        }
    }

    private void handshakes(int n) {
        long thread = Thread.currentThread().threadId();
        for (int i = 0; i < n; i++) {
            long t = THREADS.getCurrentThreadCpuTime();
            long w = System.nanoTime();
            handshake(thread);
            totalWall += System.nanoTime() - w;
            totalCpu += THREADS.getCurrentThreadCpuTime() - t;
        }
    }

    private void handshake(long thread) {
        DtlsEndpoint client = new DtlsEndpoint(config, clientCert, true, secure, new SplittableRandom(1));
        client.setRemoteFingerprint(serverCert.fingerprint());
        long c0 = THREADS.getCurrentThreadCpuTime();
        long b0 = THREADS.getThreadAllocatedBytes(thread);
        DtlsEndpoint server = new DtlsEndpoint(config, serverCert, false, secure, new SplittableRandom(2));
        server.setRemoteFingerprint(clientCert.fingerprint());
        serverCpu += THREADS.getCurrentThreadCpuTime() - c0;
        serverBytes += THREADS.getThreadAllocatedBytes(thread) - b0;
        client.start(0);
        List<byte[]> toServer = new ArrayList<>();
        List<byte[]> toClient = new ArrayList<>();
        for (byte[] d; (d = client.pollTransmit()) != null; ) {
            toServer.add(d);
        }
        while (!toServer.isEmpty()) {
            long c = THREADS.getCurrentThreadCpuTime();
            long b = THREADS.getThreadAllocatedBytes(thread);
            for (byte[] d : toServer) {
                server.handleReceive(0, A, d);
            }
            for (byte[] d; (d = server.pollTransmit()) != null; ) {
                toClient.add(d);
            }
            for (DtlsEvent e; (e = server.pollEvent()) != null; ) {
                // Connected: the keys, taken as a caller would
            }
            serverCpu += THREADS.getCurrentThreadCpuTime() - c;
            serverBytes += THREADS.getThreadAllocatedBytes(thread) - b;
            toServer.clear();
            for (byte[] d : toClient) {
                client.handleReceive(0, B, d);
            }
            toClient.clear();
            for (byte[] d; (d = client.pollTransmit()) != null; ) {
                toServer.add(d);
            }
        }
        if (!client.isConnected() || !server.isConnected()) {
            throw new IllegalStateException("handshake did not complete: " + client + " " + server);
        }
    }
}
