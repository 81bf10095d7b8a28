package io.eddyrtc.perf.dtls;

import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsEndpoint;
import io.eddyrtc.crypto.dtls.DtlsEvent;
import io.eddyrtc.crypto.dtls.DtlsVersion;
import io.eddyrtc.crypto.dtls.NamedGroup;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * DTLS costs: a full handshake with both sides in one thread (certificates reused, cookies off, as in
 * WebRTC where ICE already proved the address), a certificate generation, and one application-data
 * record (about an SCTP packet) sealed by one side and opened by the other; each for DTLS 1.2 with X25519,
 * DTLS 1.3 with X25519 and DTLS 1.3 with the post-quantum hybrid X25519MLKEM768 ({@link #protocol}). The
 * time spent inside the server's calls is measured apart and printed at the end of each trial: what one
 * core of a server spends per peer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DtlsBenchmark {
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 6000);

    /** DTLS version and key-exchange group. */
    @Param({"1.2-X25519", "1.3-X25519", "1.3-X25519MLKEM768"})
    public String protocol;

    private DtlsConfig config;

    private final SecureRandom secure = new SecureRandom();
    private DtlsCertificate clientCert;
    private DtlsCertificate serverCert;
    private DtlsEndpoint connectedClient;
    private DtlsEndpoint connectedServer;
    private final byte[] payload = new byte[1100];

    @Setup
    public void setUp() {
        DtlsVersion version = protocol.startsWith("1.3") ? DtlsVersion.DTLS_1_3 : DtlsVersion.DTLS_1_2;
        NamedGroup group = NamedGroup.valueOf(protocol.substring(4));
        config = DtlsConfig.defaults().withCookies(false).withVersions(version).withGroups(List.of(group));
        clientCert = DtlsCertificate.generate(secure);
        serverCert = DtlsCertificate.generate(secure);
        DtlsEndpoint[] pair = handshake();
        connectedClient = pair[0];
        connectedServer = pair[1];
    }

    /** Time spent inside the server's calls, to report the server's share of a handshake (see tearDown). */
    private long serverNanos;
    private long handshakes;

    @Setup(org.openjdk.jmh.annotations.Level.Iteration)
    public void startCounting() {
        serverNanos = 0;
        handshakes = 0;
    }

    /** Printed after every iteration (warm-up ones too): quote the measured ones. */
    @org.openjdk.jmh.annotations.TearDown(org.openjdk.jmh.annotations.Level.Iteration)
    public void tearDown() {
        if (handshakes > 0) {
            System.out.printf("%n[%s server side alone: %.1f us per handshake (%.0f/s) over %d handshakes]%n", protocol,
                    serverNanos / 1e3 / handshakes, 1e9 * handshakes / serverNanos, handshakes);
        }
    }

    private DtlsEndpoint[] handshake() {
        DtlsEndpoint client = new DtlsEndpoint(config, clientCert, true, secure, new SplittableRandom(1));
        long s0 = System.nanoTime();
        DtlsEndpoint server = new DtlsEndpoint(config, serverCert, false, secure, new SplittableRandom(2));
        server.setRemoteFingerprint(clientCert.fingerprint());
        serverNanos += System.nanoTime() - s0;
        client.setRemoteFingerprint(serverCert.fingerprint());
        client.start(0);
        boolean moved = true;
        while (moved) {
            moved = false;
            for (byte[] d; (d = client.pollTransmit()) != null; moved = true) {
                long t0 = System.nanoTime();
                server.handleReceive(0, A, d);
                serverNanos += System.nanoTime() - t0;
            }
            long t1 = System.nanoTime();
            List<byte[]> out = new java.util.ArrayList<>();
            for (byte[] d; (d = server.pollTransmit()) != null; ) {
                out.add(d);
            }
            for (DtlsEvent e; (e = server.pollEvent()) != null; ) {
                // Connected: the server's keys, taken as a caller would
            }
            serverNanos += System.nanoTime() - t1;
            for (byte[] d : out) {
                client.handleReceive(0, B, d);
                moved = true;
            }
        }
        if (!client.isConnected() || !server.isConnected()) {
            throw new IllegalStateException("handshake did not complete");
        }
        handshakes++;
        return new DtlsEndpoint[] {client, server};
    }

    @Benchmark
    public DtlsEndpoint[] fullHandshakeBothSides() {
        return handshake();
    }

    @Benchmark
    public DtlsCertificate certificateGeneration() {
        return DtlsCertificate.generate(secure);
    }

    @Benchmark
    public Object applicationDataRecord() {
        connectedClient.send(0, payload, 0, payload.length);
        connectedServer.handleReceive(0, A, connectedClient.pollTransmit());
        DtlsEvent e = connectedServer.pollEvent();
        return e;
    }
}
